"""The public online quiz (线上知识竞答) of a campaign event, and the people who took it.

A quiz draws objective questions from learning's question bank, a fresh draw for each visitor.
The draw travels in a signed form token (no answers in it) until the visitor hands in; then each
question is kept here as it was shown (a snapshot with its key and 解析), so scoring and the
result page use exactly what the visitor saw, whatever happens to the bank later.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q

from campaigns.models.events import published_q
from campaigns.models.states import EventStatus
from learning.exams.answers import MultiplePolicy, QuestionType

OBJECTIVE_TYPES = [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE]
MAX_QUESTIONS = 30


def default_question_types() -> list[str]:
    return [qtype.value for qtype in OBJECTIVE_TYPES]


class QuizQuerySet(models.QuerySet):
    def public(self):
        """Quizzes whose event the public may see (an approved campaign's public, not cancelled event)."""
        return self.filter(published_q("event__"), event__status=EventStatus.PLANNED)


class Quiz(models.Model):
    """How a 线上知识竞答 event draws its questions, and when the public may take part."""

    event = models.OneToOneField(
        "campaigns.Event", verbose_name="活动场次", on_delete=models.CASCADE, related_name="quiz"
    )
    intro = models.TextField("答题说明", blank=True, help_text="显示在答题页顶部，如活动规则、奖励办法")
    question_count = models.PositiveSmallIntegerField(
        "每人题数",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUESTIONS)],
        help_text=f"每位参与者随机抽取的题目数，最多 {MAX_QUESTIONS} 题",
    )
    question_types = models.JSONField("题型", default=default_question_types)
    domains = models.ManyToManyField(
        "website.Domain", verbose_name="普法领域", blank=True, related_name="+", help_text="不选则不限领域"
    )
    tags = models.CharField("标签", max_length=200, blank=True, help_text="多个标签用逗号分隔，含任一标签即可")
    opens_at = models.DateTimeField("开始答题")
    closes_at = models.DateTimeField("截止答题")
    multiple_policy = models.CharField(
        "多选题计分", max_length=20, choices=MultiplePolicy.choices, default=MultiplePolicy.ALL_OR_NOTHING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = "知识竞答"
        verbose_name_plural = "知识竞答"
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")),
                name="quiz_opens_before_it_closes",
                violation_error_message="截止答题时间应晚于开始答题时间。",
            )
        ]

    def __str__(self):
        return f"{self.event} 知识竞答"

    def is_open(self, moment: datetime.datetime) -> bool:
        return self.opens_at <= moment < self.closes_at

    @property
    def tag_names(self) -> list[str]:
        from learning.exams.interchange.common import split_tags

        return split_tags(self.tags)

    @property
    def question_type_labels(self) -> str:
        return "、".join(QuestionType(qtype).label for qtype in self.question_types if qtype in QuestionType.values)


class QuizParticipantQuerySet(models.QuerySet):
    def summary(self) -> dict:
        """How many took part, their average score and full marks, in one query."""
        row = self.aggregate(
            count=Count("pk"),
            average=Avg("score"),
            full_marks=Count("pk", filter=Q(score=models.F("max_score"))),
        )
        return row


class QuizParticipant(models.Model):
    """One visitor's handed-in quiz. The phone number is never stored: only a keyed digest (to allow one
    entry per phone per day) and a masked form (138****5678) to show the publicity team."""

    quiz = models.ForeignKey(Quiz, verbose_name="知识竞答", on_delete=models.CASCADE, related_name="participants")
    name = models.CharField("姓名", max_length=30)
    phone_digest = models.CharField("手机号摘要", max_length=64, blank=True, editable=False)
    phone_masked = models.CharField("手机号", max_length=11, blank=True)
    client_ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    nonce = models.CharField("答卷标识", max_length=32, editable=False)
    result_key = models.CharField("成绩链接标识", max_length=32, unique=True, editable=False)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2)
    correct_count = models.PositiveSmallIntegerField("答对题数")
    question_count = models.PositiveSmallIntegerField("题数")
    started_at = models.DateTimeField("开始答题")
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    submitted_on = models.DateField("提交日期")

    objects = QuizParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = "竞答参与者"
        verbose_name_plural = "竞答参与者"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One hand-in per form token: a replayed form is refused even when two arrive at once.
            models.UniqueConstraint(fields=["quiz", "nonce"], name="quiz_participant_token_once"),
            # One entry per phone number per day per quiz.
            models.UniqueConstraint(
                fields=["quiz", "phone_digest", "submitted_on"],
                condition=~Q(phone_digest=""),
                name="quiz_participant_phone_once_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.quiz}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("campaigns:quiz_result", kwargs={"pk": self.quiz.event_id, "key": self.result_key})


class QuizAnswer(models.Model):
    """One question as a participant saw it (snapshot with key and 解析, option order) and what they answered.

    Shaped like learning's ``AttemptItem`` (position, snapshot, option_order, response, score,
    is_correct), so learning's question and review views render it unchanged.
    """

    participant = models.ForeignKey(QuizParticipant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "learning.Question", verbose_name="题目", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField("题号")
    snapshot = models.JSONField("答题时的题目")
    option_order = models.JSONField("选项顺序", default=list, blank=True)
    response = models.JSONField("作答", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    is_correct = models.BooleanField("正确")

    # What learning's review views read from an exam's attempt item.
    revision = 0
    grader_comment = ""

    class Meta:
        verbose_name = "竞答作答"
        verbose_name_plural = "竞答作答"
        ordering = ["participant", "position"]
        constraints = [models.UniqueConstraint(fields=["participant", "position"], name="quiz_answer_position_once")]

    def __str__(self):
        return f"{self.participant} · 第 {self.position} 题"
