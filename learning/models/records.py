import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Sum

BUREAU_TIMEZONE = ZoneInfo("Asia/Shanghai")


def earned_on(moment: datetime.datetime) -> datetime.date:
    """The day, and so the year, that hours earned at ``moment`` count in: the calendar day in Asia/Shanghai.

    The moment is when the hours were earned: a course's last lesson completed, an exam handed in, a
    group-study session begun. An exam open across 31 December credits a hand-in at 23:59 to the old
    year and one at 00:01 to the new one, whatever the exam's own year.
    """
    return moment.astimezone(BUREAU_TIMEZONE).date()


class LearningSource(models.TextChoices):
    SELF_STUDY = "self_study", "自学"
    GROUP_STUDY = "group_study", "集中学法"
    EXTERNAL = "external", "上级培训与考试"
    EXAM = "exam", "考试"


class LearningRecordQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def hours(self) -> Decimal:
        return self.aggregate(total=Sum("hours"))["total"] or Decimal("0")

    def hours_by_source(self) -> dict[str, Decimal]:
        rows = self.values("source").annotate(total=Sum("hours")).order_by()
        return {row["source"]: row["total"] for row in rows}


class LearningRecord(models.Model):
    """One credited (or corrected) amount of study time: a fact, never edited in place.

    Every hour a person is credited with is one row saying what happened, when, and from which
    source. A correction is another row with negative or positive hours, a reason, the person
    who made it and the record it corrects. ``award_key`` makes an award happen at most once
    (``course:12``, ``session:7``, ``exam:3``), enforced by a unique constraint per user.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="learning_records"
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    occurred_on = models.DateField("日期")
    source = models.CharField("来源", max_length=20, choices=LearningSource.choices)
    title = models.CharField("内容", max_length=200)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=2)
    award_key = models.CharField("授予键", max_length=100, blank=True)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    corrects = models.ForeignKey(
        "self", verbose_name="更正对象", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.TextField("更正原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = LearningRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "学时记录"
        verbose_name_plural = "学时记录"
        ordering = ["-occurred_on", "-pk"]
        permissions = [("correct_learningrecord", "更正学时记录")]
        indexes = [
            # Covering the year's sums per person (oversight's ledger) and per day, so neither reads the
            # table; the day index carries the person too, for a department's days.
            models.Index(fields=["year", "user", "source", "hours", "award_key"], name="learning_record_person_sums"),
            models.Index(fields=["year", "occurred_on", "source", "hours", "user"], name="learning_record_day_sums"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "award_key"], condition=~Q(award_key=""), name="learning_award_once"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""),
                name="learning_correction_has_reason",
                violation_error_message="更正记录必须说明原因。",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.hours} 学时）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("学时记录不可修改；请新增一条更正记录。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("学时记录不可删除；请新增一条更正记录。")
