from django.conf import settings
from django.db import models
from django.db.models import Q

from organisation.validators import validate_mobile


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def subtree_of(self, department):
        """The department and every unit below it (``organisation.departments``)."""
        from organisation.departments import department_tree

        return self.filter(pk__in=department_tree().subtree_ids(department.pk))


class Department(models.Model):
    """A 处室 or 局属单位 of the bureau."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_law_enforcement = models.BooleanField(
        "执法机构", default=False, help_text="承担行政执法职责（谁执法谁普法）的机构"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "处室/单位"
        verbose_name_plural = "处室/单位"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class StaffProfileQuerySet(models.QuerySet):
    def active(self):
        return self.filter(user__is_active=True, left_on__isnull=True)

    def law_enforcement(self):
        return self.filter(is_law_enforcement=True)

    def in_department(self, department):
        return self.filter(department__in=Department.objects.subtree_of(department))

    def visible_to(self, user):
        """Profiles whose learning records ``user`` may read: oversight all, a head their department, else self."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("organisation.view_all_records"):
            return self
        own = self.filter(user=user)
        profile = getattr(user, "staff_profile", None)
        if profile and profile.department_id and user.has_perm("organisation.view_department_records"):
            return self.filter(
                Q(pk__in=own.values("pk")) | Q(department__in=Department.objects.subtree_of(profile.department))
            )
        return own


class StaffProfile(models.Model):
    """The person behind a user account: who they are in the bureau."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="staff_profile"
    )
    employee_no = models.CharField("工号", max_length=30, unique=True)
    real_name = models.CharField("姓名", max_length=50)
    department = models.ForeignKey(
        Department, verbose_name="处室", on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    position = models.CharField("职务", max_length=50, blank=True)
    is_law_enforcement = models.BooleanField("执法人员", default=False)
    enforcement_cert_no = models.CharField("执法证号", max_length=50, blank=True)
    mobile = models.CharField("手机", max_length=20, blank=True, validators=[validate_mobile])
    joined_on = models.DateField("入职日期", null=True, blank=True, help_text="年中入职者的学时目标按在岗月份折算")
    left_on = models.DateField("离岗日期", null=True, blank=True)

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "职工"
        verbose_name_plural = "职工"
        ordering = ["department__sort_order", "employee_no"]
        permissions = [
            ("view_department_records", "查看本处室人员的学习档案"),
            ("view_all_records", "查看全部人员的学习档案"),
            ("import_staff", "导入职工名单"),
            ("head_department", "担任处室负责人（审批本处室的普法活动，接收本处室周报）"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_law_enforcement=False) | ~Q(enforcement_cert_no=""),
                name="enforcer_has_certificate",
                violation_error_message="执法人员须填写执法证号。",
            )
        ]

    def __str__(self):
        return f"{self.real_name}（{self.employee_no}）"

    @property
    def is_department_head(self):
        from organisation.heads import is_head

        return is_head(self.user)


def display_name(user) -> str:
    """The name to show for a user: the staff profile's real name when there is one."""
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        return profile.real_name
    return user.get_full_name() or user.get_username()


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """What still asks for the person's attention: not read, and not a task someone has already done."""
        return self.filter(read_at__isnull=True, resolved_at__isnull=True)

    def open_tasks(self):
        return self.exclude(task="").filter(resolved_at__isnull=True)

    def for_user(self, user):
        return self.filter(user=user)


class Notification(models.Model):
    """An in-site message to one person. ``key`` makes sending idempotent (see ``notify``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(
        "去重键", max_length=200, help_text="同一接收人同一键只发送一次，如 milestone-due:12:2026-11-27"
    )
    kind = models.CharField("类别", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("发送时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    email_wanted = models.BooleanField("需发邮件", default=False)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    task = models.CharField(
        "待办事项",
        max_length=200,
        blank=True,
        db_index=True,
        help_text="待审批、待评分、待审核通知所属的事项，如 campaign-approval:12；办结后各人的这条通知一并标为已处理",
    )
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title

    @property
    def resolved_by_name(self) -> str:
        return display_name(self.resolved_by) if self.resolved_by else ""


class SignInEpoch(models.Model):
    """How many times an account has been switched off. A session remembers the count it signed in under and
    ends when the count has moved on, so reactivating an account never brings its old sessions back.

    A database trigger on the user table (migration 0004) bumps the count whenever ``is_active`` goes from true
    to false, so every path counts: a form's save, Wagtail's bulk "set active state", ``QuerySet.update``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="sign_in_epoch",
    )
    epoch = models.PositiveIntegerField("停用次数", default=0)

    class Meta:
        verbose_name = "账号停用次数"
        verbose_name_plural = "账号停用次数"

    def __str__(self):
        return f"{self.user_id}: {self.epoch}"


class AttemptCounter(models.Model):
    """A count of attempts (sign-in failures, quiz hand-ins) under one key within a window, changed only by one
    upsert statement, so parallel requests cannot all read the same count (organisation.throttle).
    """

    key = models.CharField("键", max_length=200, primary_key=True)
    count = models.PositiveIntegerField("次数", default=0)
    window_ends_at = models.DateTimeField("窗口结束", db_index=True)

    class Meta:
        verbose_name = "尝试计数"
        verbose_name_plural = "尝试计数"

    def __str__(self):
        return f"{self.key}: {self.count}"


class NotificationSettings(models.Model):
    """Which notices a person also wants by email (``organisation.notifications``); the in-site notice always comes.

    A person without a row gets every email, as the defaults say.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email_tasks = models.BooleanField(
        "待办事项", default=True, help_text="待审批、待评分、待审核、待复核等需要我办理的事项"
    )
    email_decisions = models.BooleanField(
        "与我有关的结果", default=True, help_text="培训申报通过或退回、成绩评定或更正、活动方案批准或退回"
    )
    email_reminders = models.BooleanField(
        "提醒", default=True, help_text="截止日期、活动和集中学法前一天、考试开始和截止、学法进度等提醒"
    )

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self):
        return f"{self.user_id}"
