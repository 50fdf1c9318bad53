from django.conf import settings
from django.db import models


class LessonProgressQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def completed(self):
        return self.filter(completed_at__isnull=False)


class LessonProgress(models.Model):
    """One person's progress in one lesson: shared by every tab they open, so time is never counted twice.

    ``seconds`` is credited by the server from its own clock between accepted heartbeats (see
    ``learning.study.progress.lesson_heartbeat``); the browser only says "still here, page visible".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "learning.LessonPage", verbose_name="课时", on_delete=models.CASCADE, related_name="progress"
    )
    course = models.ForeignKey(
        "learning.CoursePage", verbose_name="课程", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    seconds = models.DecimalField("已计学习时间（秒）", max_digits=9, decimal_places=3, default=0)
    last_beat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    last_view = models.CharField("最近页面标识", max_length=32, blank=True)
    last_seq = models.PositiveIntegerField("最近心跳序号", default=0)
    scroll = models.PositiveSmallIntegerField("阅读位置（‰）", default=0)
    started_at = models.DateTimeField("开始学习", auto_now_add=True)
    last_seen_at = models.DateTimeField("最近学习", null=True, blank=True, db_index=True)
    quiz_passed_at = models.DateTimeField("测验通过时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.CharField(
        "完成方式", max_length=10, blank=True, choices=[("time", "阅读时长"), ("quiz", "通过测验")]
    )

    objects = LessonProgressQuerySet.as_manager()

    class Meta:
        verbose_name = "课时进度"
        verbose_name_plural = "课时进度"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson"),
            models.CheckConstraint(condition=models.Q(seconds__gte=0), name="progress_seconds_not_negative"),
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self):
        return f"{self.user} · {self.lesson_id}"

    @property
    def minutes(self) -> int:
        return int(self.seconds // 60)


class LessonQuizAttempt(models.Model):
    """A submitted lesson quiz, graded on the server; kept as evidence of how a lesson was completed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(
        "learning.LessonPage", verbose_name="课时", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    answers = models.JSONField("作答", default=dict)
    correct = models.PositiveSmallIntegerField("答对题数")
    total = models.PositiveSmallIntegerField("总题数")
    passed = models.BooleanField("通过")
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "随堂测验"
        verbose_name_plural = "随堂测验"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.lesson_id}: {self.correct}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0
