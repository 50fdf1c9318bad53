from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from learning.exams.answers import QuestionType
from learning.exams.interchange.common import split_tags


class PracticeSet(models.Model):
    """A named practice (练习) over part of the bank: a domain, some tags, a type."""

    title = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    domain = models.ForeignKey(
        "website.Domain", verbose_name="普法领域", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.CharField("标签", max_length=200, blank=True, help_text="多个标签用逗号分隔，含任一标签即可")
    qtype = models.CharField(
        "题型", max_length=20, choices=QuestionType.choices, blank=True, help_text="留空为全部题型"
    )
    question_count = models.PositiveSmallIntegerField(
        "每次题数", default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "练习"
        verbose_name_plural = "练习"
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title

    @property
    def tag_names(self) -> list[str]:
        return split_tags(self.tags)


class PracticeKind(models.TextChoices):
    SET = "set", "专项练习"
    DOMAIN = "domain", "按领域练习"
    RANDOM = "random", "随机练习"
    MISTAKES = "mistakes", "错题重练"


class PracticeSession(models.Model):
    """One round of practice: the questions drawn, how far the person has got, and how they did.

    Practice never counts as an exam result; it feeds only the person's 错题本.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="练习人", on_delete=models.CASCADE, related_name="practice_sessions"
    )
    kind = models.CharField("方式", max_length=10, choices=PracticeKind.choices)
    practice_set = models.ForeignKey(
        PracticeSet, verbose_name="练习", null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    domain = models.ForeignKey(
        "website.Domain", verbose_name="普法领域", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question_ids = models.JSONField("题目", default=list)
    position = models.PositiveSmallIntegerField("当前题", default=0)
    answered = models.PositiveSmallIntegerField("已答", default=0)
    correct = models.PositiveSmallIntegerField("答对", default=0)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "练习记录"
        verbose_name_plural = "练习记录"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("exams:practice_session", args=[self.pk])

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def title(self) -> str:
        if self.practice_set_id:
            return self.practice_set.title
        if self.domain_id:
            return f"{self.domain.name} · 练习"
        return self.get_kind_display()


class PracticeAnswer(models.Model):
    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("learning.Question", on_delete=models.CASCADE, related_name="practice_answers")
    position = models.PositiveSmallIntegerField("题号")
    response = models.JSONField("作答", null=True)
    is_correct = models.BooleanField("正确", null=True)
    answered_at = models.DateTimeField("作答时间")

    class Meta:
        verbose_name = "练习作答"
        verbose_name_plural = "练习作答"
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="practice_answer_once")]

    def __str__(self):
        return f"{self.session} · 第 {self.position + 1} 题"


class MistakeQuerySet(models.QuerySet):
    def outstanding(self):
        return self.filter(cleared_at__isnull=True)

    def of(self, user):
        return self.filter(user=user)


class Mistake(models.Model):
    """错题本: a question this person got wrong, asked again until they answer it right."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="mistakes"
    )
    question = models.ForeignKey("learning.Question", verbose_name="题目", on_delete=models.CASCADE, related_name="+")
    wrong_count = models.PositiveSmallIntegerField("答错次数", default=1)
    last_wrong_at = models.DateTimeField("最近答错")
    cleared_at = models.DateTimeField("已掌握于", null=True, blank=True)

    objects = MistakeQuerySet.as_manager()

    class Meta:
        verbose_name = "错题"
        verbose_name_plural = "错题本"
        ordering = ["-last_wrong_at"]
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="mistake_once_per_question")]

    def __str__(self):
        return f"{self.user} · {self.question}"
