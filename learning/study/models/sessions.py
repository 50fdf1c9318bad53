from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from organisation.models import Department


class SessionKind(models.TextChoices):
    THEORY_GROUP = "theory_group", "党委理论学习中心组学习"
    BUREAU_MEETING = "bureau_meeting", "局务会议学法"
    TRAINING = "training", "法律法规培训"
    LECTURE = "lecture", "法治专题讲座"


class GroupStudySessionQuerySet(models.QuerySet):
    def invited(self, user):
        """Sessions ``user`` is invited to: everyone, their department or one above it, or by name."""
        profile = getattr(user, "staff_profile", None)
        if profile is None:
            return self.none()
        condition = Q(invite_everyone=True) | Q(invited_people=user)
        if profile.department_id:
            ids = []
            department = profile.department
            while department is not None:
                ids.append(department.pk)
                department = department.parent
            condition |= Q(invited_departments__in=ids)
        return self.filter(condition).distinct()

    def upcoming(self, now):
        return self.filter(ends_at__gte=now, cancelled=False).order_by("starts_at")

    def past(self, now):
        return self.filter(ends_at__lt=now).order_by("-starts_at")

    def organised_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(organiser=user)


class GroupStudySession(models.Model):
    """集中学法: one group study meeting, with QR sign-in, leave, notes and photos."""

    kind = models.CharField("类型", max_length=20, choices=SessionKind.choices)
    topic = models.CharField("主题", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200)
    speaker = models.CharField("主讲人", max_length=100, blank=True)
    description = models.TextField("学习内容与材料说明", blank=True)
    materials = models.ManyToManyField("wagtaildocs.Document", verbose_name="学习材料", blank=True, related_name="+")
    credit_hours = models.DecimalField(
        "学时",
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    invite_everyone = models.BooleanField("全体人员", default=False)
    invited_departments = models.ManyToManyField(
        Department, verbose_name="参加处室（含下属单位）", blank=True, related_name="+"
    )
    invited_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="参加人员", blank=True, related_name="+"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织人", on_delete=models.PROTECT, related_name="organised_sessions"
    )
    notes = models.TextField("学习纪要", blank=True)
    cancelled = models.BooleanField("已取消", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = GroupStudySessionQuerySet.as_manager()

    class Meta:
        verbose_name = "集中学法"
        verbose_name_plural = "集中学法"
        ordering = ["-starts_at"]
        permissions = [("organise_groupstudysession", "组织集中学法")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message="结束时间须晚于开始时间。",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.topic}"

    @property
    def award_key(self) -> str:
        return f"session:{self.pk}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "已签到"
    LEAVE = "leave", "请假"


class Attendance(models.Model):
    """One person at one session: signed in (by QR code or by the organiser) or on leave with a reason."""

    session = models.ForeignKey(
        GroupStudySession, verbose_name="集中学法", on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="session_attendance"
    )
    status = models.CharField("状态", max_length=10, choices=AttendanceStatus.choices)
    method = models.CharField("方式", max_length=10, choices=[("qr", "扫码签到"), ("manual", "组织人登记")])
    reason = models.CharField("请假事由", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "签到记录"
        verbose_name_plural = "签到记录"
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attend_session_once"),
            models.CheckConstraint(
                condition=~Q(status="leave") | ~Q(reason=""),
                name="leave_has_reason",
                violation_error_message="请假须填写事由。",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()}"


class SessionPhoto(models.Model):
    session = models.ForeignKey(
        GroupStudySession, verbose_name="集中学法", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ForeignKey("wagtailimages.Image", verbose_name="照片", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.caption or f"照片 {self.pk}"
