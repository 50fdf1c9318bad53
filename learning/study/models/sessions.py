import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from learning.assignment import ancestor_ids
from learning.study.models.external import private_storage
from organisation.models import Department


class SessionKind(models.TextChoices):
    THEORY_GROUP = "theory_group", "党委理论学习中心组学习"
    BUREAU_MEETING = "bureau_meeting", "局务会议学法"
    TRAINING = "training", "法律法规培训"
    LECTURE = "lecture", "法治专题讲座"


class SessionState(models.TextChoices):
    """Where a session stands at a moment (``GroupStudySession.state_at``): read from the clock, never stored."""

    SCHEDULED = "scheduled", "未开始"
    SIGN_IN = "sign_in", "签到中"  # from CHECKIN_WINDOW before the start
    IN_PROGRESS = "in_progress", "进行中"
    ENDED = "ended", "已结束"  # the QR code still signs in for CHECKIN_WINDOW after the end
    SIGN_IN_CLOSED = "sign_in_closed", "签到已截止"
    CANCELLED = "cancelled", "已取消"


CHECKIN_WINDOW = datetime.timedelta(hours=1)  # sign-in opens this long before and closes this long after


def session_held(*, ends_at, now) -> bool:
    """A session counts once it has ended: its sign-ins as attended (实到), the invited who did not
    come as absent. The learning record and the bureau's figures both ask this."""
    return ends_at <= now


def invited_in_post(user) -> Q:
    """The sessions ``user`` was invited to on or after the day they joined (``user`` has a staff profile)."""
    profile = user.staff_profile
    invited = Q(pk__in=GroupStudySession.objects.invited(user).values("pk"))
    if profile.joined_on is not None:
        invited &= Q(starts_at__date__gte=profile.joined_on)
    return invited


class GroupStudySessionQuerySet(models.QuerySet):
    def invited(self, user):
        """Sessions ``user`` is invited to: everyone, their department or one above it, or by name."""
        profile = getattr(user, "staff_profile", None)
        if profile is None:
            return self.none()
        condition = Q(invite_everyone=True) | Q(invited_people=user)
        if profile.department_id:
            condition |= Q(invited_departments__in=ancestor_ids(profile.department))
        return self.filter(condition).distinct()

    def expected_of(self, user):
        """The sessions on ``user``'s record (应到 once held): those they were invited to on or after the
        day they joined, and any they signed in to or took leave from; never a cancelled one. The
        set-based version for many people at once is ``learning.study.expected.session_matrices``."""
        if getattr(user, "staff_profile", None) is None:
            return self.none()
        marked = Q(pk__in=Attendance.objects.filter(user=user).values("session_id"))
        return self.filter(invited_in_post(user) | marked, cancelled=False)

    def of_year(self, year: int):
        """Sessions starting in ``year``, local time."""
        tz = timezone.get_current_timezone()
        return self.filter(
            starts_at__gte=datetime.datetime(year, 1, 1, tzinfo=tz),
            starts_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=tz),
        )

    def upcoming(self, now):
        return self.filter(ends_at__gte=now, cancelled=False).order_by("starts_at")

    def past(self, now):
        return self.filter(ends_at__lte=now).order_by("-starts_at")

    def organised_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(organiser=user)

    def shared_with(self, user):
        """Sessions whose materials and photos ``user`` may see: the organiser's, those they are
        invited to or attended, and every session for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(organiser=user)
            | Q(pk__in=GroupStudySession.objects.invited(user).values("pk"))
            | Q(attendance__user=user)
        ).distinct()


class GroupStudySession(models.Model):
    """集中学法: one group study meeting, with QR sign-in, leave, notes and photos."""

    kind = models.CharField("类型", max_length=20, choices=SessionKind.choices)
    topic = models.CharField("主题", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200)
    speaker = models.CharField("主讲人", max_length=100, blank=True)
    description = models.TextField("学习内容与材料说明", blank=True)
    credit_hours = models.DecimalField(
        "学时",
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    invite_everyone = models.BooleanField("全体人员", default=False)
    allow_uninvited = models.BooleanField(
        "允许未受邀人员签到", default=False, help_text="勾选后，未在参加对象中的职工也可扫码签到并计入学时"
    )
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

    def state_at(self, now: datetime.datetime) -> SessionState:
        if self.cancelled:
            return SessionState.CANCELLED
        if now < self.starts_at - CHECKIN_WINDOW:
            return SessionState.SCHEDULED
        if now < self.starts_at:
            return SessionState.SIGN_IN
        if not session_held(ends_at=self.ends_at, now=now):
            return SessionState.IN_PROGRESS
        if now <= self.ends_at + CHECKIN_WINDOW:
            return SessionState.ENDED
        return SessionState.SIGN_IN_CLOSED


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

    @property
    def is_present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT


def session_photo_path(instance, filename):
    return f"session-photos/{instance.session_id}/{uuid.uuid4().hex}.jpg"


class SessionPhoto(models.Model):
    """A photo of the session, kept outside MEDIA_ROOT (people at an internal meeting are not public)
    and served only by ``study:session_photo_file`` to those the session is ``shared_with``."""

    session = models.ForeignKey(
        GroupStudySession, verbose_name="集中学法", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.ImageField(
        "照片",
        storage=private_storage,
        upload_to=session_photo_path,
        width_field="width",
        height_field="height",
        max_length=255,
    )
    width = models.PositiveIntegerField("宽", default=0, editable=False)
    height = models.PositiveIntegerField("高", default=0, editable=False)
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.caption or f"照片 {self.pk}"


def session_material_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"session-materials/{instance.session_id}/{uuid.uuid4().hex}.{suffix}"


class SessionMaterial(models.Model):
    """A file the organiser shares with a session's participants: kept outside MEDIA_ROOT and served
    only by ``study:session_material`` to those the session is ``shared_with``."""

    session = models.ForeignKey(
        GroupStudySession, verbose_name="集中学法", on_delete=models.CASCADE, related_name="material_files"
    )
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", storage=private_storage, upload_to=session_material_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "学习材料"
        verbose_name_plural = "学习材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""
