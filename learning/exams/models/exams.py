import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from learning.assignment import assigned_to_filter
from learning.exams.answers import MultiplePolicy, QuestionType
from learning.exams.interchange.common import split_tags


class PaperMode(models.TextChoices):
    FIXED = "fixed", "固定试题"
    RULES = "rules", "按规则随机抽题"


class ScorePolicy(models.TextChoices):
    HIGHEST = "highest", "取最高分"
    LAST = "last", "取最后一次"


class ReviewPolicy(models.TextChoices):
    IMMEDIATELY = "immediately", "交卷后即可查看答案与解析"
    AFTER_CLOSE = "after_close", "考试结束后可查看答案与解析"
    NEVER = "never", "不公布答案"


class ExamState(models.TextChoices):
    """Where an exam stands for one person at a moment (their own window, the resit): read, never stored."""

    OPEN = "open", "进行中"
    RESIT = "resit", "补考中"
    UPCOMING = "upcoming", "未开始"
    CLOSED = "closed", "已结束"


class ExamQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def for_year(self, year: int):
        return self.filter(year=year)

    def assigned_to(self, user):
        """Published exams assigned to ``user``, or for which they have a personal override."""
        return self.published().filter(assigned_to_filter(user) | Q(overrides__user=user)).distinct()

    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)

    def live(self, moment):
        """Exams open or still to come at ``moment`` (published or not): a window, the resit window or someone's
        personal window has not closed, or someone is still sitting one. The question pool rule keeps their
        questions out of public quizzes and practice, and their keys out of every page but the bank's."""
        from learning.exams.models.attempts import Attempt

        ahead = Q(closes_at__gt=moment) | Q(resit_closes_at__gt=moment)
        ahead |= Q(pk__in=ExamOverride.objects.filter(closes_at__gt=moment).values("exam_id"))
        ahead |= Q(pk__in=Attempt.objects.open().values("exam_id"))
        return self.filter(ahead)

    def with_interest_of(self, user, moment):
        """The conflict of interest: exams in which ``user`` has an attempt, or that are assigned to them and
        still to be sat (their window, or their personal one, has not closed; a resit is only for those who
        sat). They may not correct a key, grade or edit a question of these exams."""
        from learning.exams.models.attempts import Attempt

        sat = Q(pk__in=Attempt.objects.filter(user=user).values("exam_id"))
        ahead = Q(closes_at__gt=moment) | Q(
            pk__in=ExamOverride.objects.filter(user=user, closes_at__gt=moment).values("exam_id")
        )
        to_sit = Q(pk__in=Exam.objects.assigned_to(user).values("pk")) & ahead
        return self.filter(sat | to_sit)


class Exam(ClusterableModel):
    """An exam (考试): a paper, a window, rules for attempts, and who must sit it."""

    title = models.CharField("名称", max_length=200)
    description = models.TextField("考试说明", blank=True)
    year = models.PositiveSmallIntegerField("年度", help_text="计入哪一年度的学习档案")
    published = models.BooleanField("已发布", default=False, help_text="发布后被指派的人员才能看到并参加")
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    time_limit_minutes = models.PositiveSmallIntegerField(
        "限时（分钟）", null=True, blank=True, help_text="留空表示不限时（仍须在截止时间前交卷）"
    )
    max_attempts = models.PositiveSmallIntegerField("可考次数", default=1, validators=[MinValueValidator(1)])
    pass_percent = models.PositiveSmallIntegerField(
        "合格线（%）",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="得分率达到即合格",
    )
    score_policy = models.CharField("成绩取法", max_length=10, choices=ScorePolicy.choices, default=ScorePolicy.HIGHEST)
    review_policy = models.CharField(
        "答案公布", max_length=20, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_CLOSE
    )
    paper_mode = models.CharField("组卷方式", max_length=10, choices=PaperMode.choices, default=PaperMode.FIXED)
    shuffle_questions = models.BooleanField("打乱题目顺序", default=True)
    shuffle_options = models.BooleanField("打乱选项顺序", default=True)
    multiple_policy = models.CharField(
        "多选题计分", max_length=20, choices=MultiplePolicy.choices, default=MultiplePolicy.ALL_OR_NOTHING
    )
    hours = models.DecimalField(
        "合格计入学时", max_digits=5, decimal_places=1, default=Decimal("2"), validators=[MinValueValidator(0)]
    )
    issues_certificate = models.BooleanField("合格发证", default=True)
    resit_opens_at = models.DateTimeField("补考开始", null=True, blank=True)
    resit_closes_at = models.DateTimeField("补考截止", null=True, blank=True)
    resit_attempts = models.PositiveSmallIntegerField("补考次数", default=1)
    assign_everyone = models.BooleanField("全体人员", default=False)
    assign_enforcement_staff = models.BooleanField("全体执法人员", default=False)
    assign_departments = ParentalManyToManyField(
        "organisation.Department", verbose_name="指定处室", blank=True, related_name="+"
    )
    assign_people = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="指定人员", blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ExamQuerySet.as_manager()

    class Meta:
        verbose_name = "考试"
        verbose_name_plural = "考试"
        ordering = ["-opens_at", "-pk"]
        permissions = [
            ("view_exam_statistics", "查看考试统计"),
            ("grade_essays", "评阅简答题"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="exam_closes_after_it_opens",
                violation_error_message="截止时间须晚于开始时间。",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "截止时间须晚于开始时间。"
        if bool(self.resit_opens_at) != bool(self.resit_closes_at):
            errors["resit_closes_at"] = "补考开始和截止时间须同时填写。"
        elif self.resit_opens_at and self.resit_closes_at:
            if self.resit_closes_at <= self.resit_opens_at:
                errors["resit_closes_at"] = "补考截止时间须晚于补考开始时间。"
            elif self.closes_at and self.resit_opens_at < self.closes_at:
                errors["resit_opens_at"] = "补考须在正式考试截止之后开始。"
        if errors:
            raise ValidationError(errors)

    @property
    def has_resit(self) -> bool:
        return bool(self.resit_opens_at and self.resit_closes_at)

    def is_open(self, moment: datetime.datetime) -> bool:
        return self.opens_at <= moment < self.closes_at

    def answers_public_from(self) -> datetime.datetime:
        """When everyone's windows (resit and personal ones included) have closed: "after close" review starts."""
        personal = self.overrides.aggregate(last=models.Max("closes_at"))["last"]
        return max(moment for moment in (self.closes_at, self.resit_closes_at, personal) if moment)

    def review_allowed(self, moment: datetime.datetime) -> bool:
        """Whether people who handed in may now see the right answers and 解析."""
        if self.review_policy == ReviewPolicy.IMMEDIATELY:
            return True
        if self.review_policy == ReviewPolicy.AFTER_CLOSE:
            return moment >= self.answers_public_from()
        return False


class ExamQuestion(Orderable):
    """One question of a fixed paper."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        "learning.Question", verbose_name="题目", on_delete=models.PROTECT, related_name="exam_uses"
    )
    points = models.DecimalField(
        "本卷分值", max_digits=5, decimal_places=1, null=True, blank=True, help_text="留空则用题目自身分值"
    )

    class Meta(Orderable.Meta):
        verbose_name = "固定试题"
        verbose_name_plural = "固定试题"
        constraints = [models.UniqueConstraint(fields=["exam", "question"], name="exam_question_once")]


class ExamRule(Orderable):
    """Draw ``count`` questions of a type (from a domain and/or tags), optionally with a difficulty mix."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="rules")
    qtype = models.CharField("题型", max_length=20, choices=QuestionType.choices)
    domain = models.ForeignKey(
        "website.Domain", verbose_name="普法领域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tags = models.CharField("标签", max_length=200, blank=True, help_text="多个标签用逗号分隔，含任一标签即可")
    count = models.PositiveSmallIntegerField("题数", validators=[MinValueValidator(1)])
    easy = models.PositiveSmallIntegerField("其中易", default=0)
    medium = models.PositiveSmallIntegerField("其中中", default=0)
    hard = models.PositiveSmallIntegerField("其中难", default=0)
    points = models.DecimalField(
        "每题分值", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    class Meta(Orderable.Meta):
        verbose_name = "抽题规则"
        verbose_name_plural = "抽题规则"

    def __str__(self):
        return f"{self.get_qtype_display()} {self.count} 题"

    def clean(self):
        mix = self.easy + self.medium + self.hard
        if mix and self.count and mix != self.count:
            raise ValidationError({"count": f"难度搭配合计 {mix} 题，与题数 {self.count} 不一致。"})

    @property
    def tag_names(self) -> list[str]:
        return split_tags(self.tags)

    @property
    def difficulty_mix(self) -> dict[int, int]:
        """Difficulty → how many; empty when any difficulty will do."""
        mix = {1: self.easy, 2: self.medium, 3: self.hard}
        return {level: n for level, n in mix.items() if n} if any(mix.values()) else {}


class ExamOverride(models.Model):
    """Arrangements for one person: extra time, a later window, more attempts (e.g. on leave during the exam)."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="+")
    extra_minutes = models.PositiveSmallIntegerField("延长时间（分钟）", default=0)
    opens_at = models.DateTimeField("个人开始时间", null=True, blank=True)
    closes_at = models.DateTimeField("个人截止时间", null=True, blank=True)
    extra_attempts = models.PositiveSmallIntegerField("增加次数", default=0)
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = "个人特殊安排"
        verbose_name_plural = "个人特殊安排"
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="exam_override_once")]

    def __str__(self):
        return f"{self.exam} · {self.user}"
