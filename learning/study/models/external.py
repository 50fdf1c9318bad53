from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from organisation.models import Department


def private_storage():
    """The "private" storage (settings.STORAGES): outside MEDIA_ROOT, read only through permission-checked views."""
    return storages["private"]


def certificate_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"certificates/{instance.user_id}/{instance.completed_on:%Y}/{instance.uuid}.{suffix}"


REVIEW_PERMISSION = "learning.review_externaltraining"


class ExternalKind(models.TextChoices):
    TRAINING = "training", "上级培训"
    EXAM = "exam", "上级考试"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已退回"


class ExternalTrainingQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReviewStatus.PENDING)

    def decided(self):
        return self.exclude(status=ReviewStatus.PENDING)

    def reviewable_by(self, user):
        """What ``user`` may approve: a department head their department's people (never their own);
        a superuser anyone's. Oversight reads these but does not review them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        profile = getattr(user, "staff_profile", None)
        if profile is None or not profile.department_id or not user.has_perm(REVIEW_PERMISSION):
            return self.none()
        departments = Department.objects.subtree_of(profile.department)
        return self.filter(user__staff_profile__department__in=departments).exclude(user=user)

    @staticmethod
    def reviewers(training):
        """Who is asked to review ``training``: the heads with the review permission of the person's department
        or of one above it, never the person. The same rule as ``reviewable_by``, read the other way
        (superusers may review anything but are not asked)."""
        from organisation.departments import department_tree
        from organisation.heads import granted

        department_id = training.user.staff_profile.department_id if hasattr(training.user, "staff_profile") else None
        if department_id is None:
            return granted(REVIEW_PERMISSION).none()
        return (
            granted(REVIEW_PERMISSION)
            .filter(staff_profile__department__in=department_tree().ancestor_ids(department_id))
            .exclude(pk=training.user_id)
        )

    def readable_by(self, user):
        from organisation.models import StaffProfile

        visible = StaffProfile.objects.visible_to(user).values("user_id")
        return self.filter(Q(user__in=visible) | Q(pk__in=self.reviewable_by(user).values("pk")))


class ExternalTraining(models.Model):
    """上级培训与考试: study done elsewhere, counted only after a reviewer approves it."""

    uuid = models.CharField(max_length=32, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="external_training"
    )
    kind = models.CharField("类型", max_length=10, choices=ExternalKind.choices, default=ExternalKind.TRAINING)
    title = models.CharField("培训或考试名称", max_length=200)
    organiser = models.CharField("举办单位", max_length=200)
    completed_on = models.DateField("完成日期")
    hours = models.DecimalField(
        "学时",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    score = models.CharField("成绩", max_length=30, blank=True, help_text="考试成绩或“合格”，可不填")
    certificate = models.FileField("证书或证明", storage=private_storage, upload_to=certificate_path, max_length=200)
    status = models.CharField("状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    submitted_at = models.DateTimeField("提交时间")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_reason = models.TextField("审核意见", blank=True)

    objects = ExternalTrainingQuerySet.as_manager()

    class Meta:
        verbose_name = "上级培训与考试"
        verbose_name_plural = "上级培训与考试"
        ordering = ["-submitted_at"]
        permissions = [("review_externaltraining", "审核上级培训与考试")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_reason=""),
                name="rejection_has_reason",
                violation_error_message="退回须说明原因。",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == ReviewStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == ReviewStatus.REJECTED

    @property
    def award_key(self) -> str:
        return f"external:{self.pk}"
