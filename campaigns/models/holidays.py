from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel


class HolidayYear(ClusterableModel):
    """A year's official holiday arrangement, entered from the State Council notice; it wins over the package."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField("依据", max_length=200, help_text="如《国务院办公厅关于2027年部分节假日安排的通知》")
    notes = models.TextField("备注", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    panels = [
        FieldPanel("year"),
        FieldPanel("source"),
        FieldPanel("notes"),
        InlinePanel("periods", heading="放假与调休上班", label="安排", min_num=1),
    ]

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class HolidayPeriod(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    holiday_year = ParentalKey(HolidayYear, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField("节日", max_length=50, help_text="如 春节")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
    ]

    class Meta:
        verbose_name = "放假/调休"
        verbose_name_plural = "放假/调休"
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="holiday_start_before_end")]

    def __str__(self):
        return f"{self.name}{self.get_kind_display()} {self.start}–{self.end}"

    def clean(self):
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": "结束日期不能早于开始日期。"})
        if self.end and self.start and (self.end - self.start).days > 14:
            raise ValidationError({"end": "一段安排不超过 15 天，请检查日期。"})
