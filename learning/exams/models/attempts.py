from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse

from learning.exams.answers import format_key


class AttemptStatus(models.TextChoices):
    OPEN = "open", "作答中"
    SUBMITTED = "submitted", "待阅卷"
    GRADED = "graded", "已评分"


FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.GRADED)


class AttemptQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=AttemptStatus.OPEN)

    def finished(self):
        return self.filter(status__in=FINISHED)

    def graded(self):
        return self.filter(status=AttemptStatus.GRADED)

    def for_year(self, year: int):
        return self.filter(exam__year=year)

    def of(self, user):
        return self.filter(user=user)

    def participation(self):
        """One row per (exam, person): attempts handed in, best score and when they last handed one in."""
        return (
            self.finished()
            .values("exam", "user")
            .annotate(attempts=Count("pk"), best_score=Max("score"), last_submitted_at=Max("submitted_at"))
            .order_by("exam", "user")
        )


class Attempt(models.Model):
    """One sitting of an exam by one person. Its items hold what was shown, what was answered and the score."""

    exam = models.ForeignKey("learning.Exam", verbose_name="考试", on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="考生", on_delete=models.PROTECT, related_name="exam_attempts"
    )
    number = models.PositiveSmallIntegerField("第几次")
    is_resit = models.BooleanField("补考", default=False)
    status = models.CharField("状态", max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN)
    started_at = models.DateTimeField("开始时间")
    deadline = models.DateTimeField("交卷期限")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    auto_submitted = models.BooleanField("到时自动交卷", default=False)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2, default=Decimal("0"))
    passed = models.BooleanField("合格", null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "user"], condition=Q(status="open"), name="one_open_attempt_per_person"
            ),
            models.UniqueConstraint(fields=["exam", "user", "number"], name="attempt_number_once"),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.exam} · 第 {self.number} 次"

    def get_absolute_url(self):
        if self.is_open:
            return reverse("exams:take", args=[self.pk])
        return reverse("exams:result", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN

    @property
    def is_awaiting_grading(self) -> bool:
        """Handed in with 简答 answers nobody has graded yet."""
        return self.status == AttemptStatus.SUBMITTED


class AttemptItemQuerySet(models.QuerySet):
    def awaiting_grading(self):
        """简答 answers of handed-in attempts that nobody has graded yet."""
        return self.filter(attempt__status=AttemptStatus.SUBMITTED, score__isnull=True)


class AttemptItem(models.Model):
    """One question as one attempt showed it: a frozen snapshot, the option order, the answer and its score."""

    attempt = models.ForeignKey(Attempt, verbose_name="答卷", on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        "learning.Question", verbose_name="题目", on_delete=models.PROTECT, related_name="attempt_items"
    )
    position = models.PositiveSmallIntegerField("题号")
    snapshot = models.JSONField("作答时的题目")
    option_order = models.JSONField("选项顺序", default=list, blank=True)
    response = models.JSONField("作答", null=True, blank=True)
    revision = models.PositiveIntegerField("保存次数", default=0)
    saved_at = models.DateTimeField("保存时间", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField("正确", null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="阅卷人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField("阅卷时间", null=True, blank=True)
    grader_comment = models.TextField("阅卷意见", blank=True)

    objects = AttemptItemQuerySet.as_manager()

    class Meta:
        verbose_name = "答题"
        verbose_name_plural = "答题"
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position_once"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_item_question_once"),
        ]

    def __str__(self):
        return f"{self.attempt} · 第 {self.position} 题"

    @property
    def qtype(self) -> str:
        return self.snapshot["qtype"]

    @property
    def points(self) -> Decimal:
        return Decimal(self.snapshot["points"])

    @property
    def key_display(self) -> str:
        return format_key(self.snapshot["qtype"], self.snapshot["key"])


class ExamResultQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(exam__year=year)

    def passed(self):
        return self.filter(passed=True)

    def passes_per_person(self):
        """One row per person: how many exams they passed (combine with ``for_year``)."""
        return self.passed().values("user").annotate(passes=Count("pk")).order_by("user")


class ExamResult(models.Model):
    """A person's standing in one exam, kept up to date whenever an attempt is handed in, graded or regraded.

    ``score`` follows the exam's score policy (highest or last); ``best_score`` and ``last_score``
    are both kept so reports can use either without recomputing from attempts.
    """

    exam = models.ForeignKey("learning.Exam", verbose_name="考试", on_delete=models.CASCADE, related_name="results")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="考生", on_delete=models.PROTECT, related_name="exam_results"
    )
    attempts = models.PositiveSmallIntegerField("交卷次数", default=0)
    best_score = models.DecimalField("最高分", max_digits=6, decimal_places=2, null=True, blank=True)
    last_score = models.DecimalField("最后一次得分", max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("成绩", max_digits=6, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2, default=Decimal("0"))
    passed = models.BooleanField("合格", default=False)
    awaiting_grading = models.BooleanField("待阅卷", default=False)
    counted_attempt = models.ForeignKey(
        Attempt, verbose_name="计分答卷", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_submitted_at = models.DateTimeField("最后交卷时间", null=True, blank=True)

    objects = ExamResultQuerySet.as_manager()

    class Meta:
        verbose_name = "考试成绩"
        verbose_name_plural = "考试成绩"
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="exam_result_once")]

    def __str__(self):
        return f"{self.exam} · {self.user} · {self.score}"


class Certificate(models.Model):
    """合格证书: issued once per person and exam, for a real pass, checkable by anyone with its code."""

    exam = models.ForeignKey(
        "learning.Exam", verbose_name="考试", on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="持证人", on_delete=models.PROTECT, related_name="exam_certificates"
    )
    attempt = models.OneToOneField(
        Attempt, verbose_name="合格答卷", on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField("验证码", max_length=20, unique=True)
    holder_name = models.CharField("姓名", max_length=50)
    department_name = models.CharField("单位", max_length=100, blank=True)
    score = models.DecimalField("成绩", max_digits=6, decimal_places=2)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField("发证时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "合格证书"
        verbose_name_plural = "合格证书"
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="certificate_once_per_exam")]

    def __str__(self):
        return f"{self.exam} · {self.holder_name}"

    def get_absolute_url(self):
        return reverse("exams:certificate", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    def get_verify_url(self):
        return reverse("exams:verify", args=[self.code])


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "待复核"
    APPLIED = "applied", "已生效"
    REJECTED = "rejected", "已驳回"


class AnswerKeyCorrectionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=CorrectionStatus.PENDING)


class AnswerKeyCorrection(models.Model):
    """An answer key corrected after people sat the question; its regrade entries say what changed for whom.

    A correction that would change results of a closed exam waits (``PENDING``) until a second person
    (法治办) confirms it; only then is the key changed and everyone regraded. Both names stay on it.
    """

    question = models.ForeignKey(
        "learning.Question", verbose_name="题目", on_delete=models.PROTECT, related_name="key_corrections"
    )
    old_key = models.JSONField("原答案")
    new_key = models.JSONField("新答案")
    reason = models.TextField("更正原因")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField("更正时间")
    status = models.CharField("状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.APPLIED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("复核时间", null=True, blank=True)

    objects = AnswerKeyCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = "答案更正"
        verbose_name_plural = "答案更正"
        ordering = ["-corrected_at"]
        permissions = [("confirm_answerkeycorrection", "复核答案更正")]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(status="pending"), name="one_pending_correction_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question} · {self.corrected_at:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.status == CorrectionStatus.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.status == CorrectionStatus.REJECTED


class RegradeEntry(models.Model):
    """The audit entry for one attempt regraded by an answer-key correction."""

    correction = models.ForeignKey(AnswerKeyCorrection, on_delete=models.CASCADE, related_name="entries")
    attempt = models.ForeignKey(Attempt, verbose_name="答卷", on_delete=models.PROTECT, related_name="regrades")
    old_item_score = models.DecimalField("原题得分", max_digits=6, decimal_places=2, null=True)
    new_item_score = models.DecimalField("新题得分", max_digits=6, decimal_places=2, null=True)
    old_score = models.DecimalField("原总分", max_digits=6, decimal_places=2, null=True)
    new_score = models.DecimalField("新总分", max_digits=6, decimal_places=2, null=True)
    old_passed = models.BooleanField("原是否合格", null=True)
    new_passed = models.BooleanField("新是否合格", null=True)

    class Meta:
        verbose_name = "重新评分记录"
        verbose_name_plural = "重新评分记录"
        constraints = [models.UniqueConstraint(fields=["correction", "attempt"], name="regrade_once_per_attempt")]

    def __str__(self):
        return f"{self.attempt} · {self.old_score} → {self.new_score}"
