from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from campaigns import rules


class KeyDateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class KeyDate(ClusterableModel):
    """普法节点: a date that recurs every year by a rule (4.26, the second Saturday of June, 宪法宣传周 …)."""

    class Kind(models.TextChoices):
        FIXED = rules.RuleKind.FIXED, "固定日期"
        NTH_WEEKDAY = rules.RuleKind.NTH_WEEKDAY, "某月第几个星期几"
        PERIOD = rules.RuleKind.PERIOD, "时段（宣传周、宣传月）"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "星期一"
        TUESDAY = 1, "星期二"
        WEDNESDAY = 2, "星期三"
        THURSDAY = 3, "星期四"
        FRIDAY = 4, "星期五"
        SATURDAY = 5, "星期六"
        SUNDAY = 6, "星期日"

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("规则", max_length=20, choices=Kind.choices, default=Kind.FIXED)
    month = models.PositiveSmallIntegerField("月", choices=[(m, f"{m}月") for m in range(1, 13)])
    day = models.PositiveSmallIntegerField(
        "日", null=True, blank=True, help_text="固定日期与时段：基准日（时段从基准日加偏移天数开始）"
    )
    weekday = models.PositiveSmallIntegerField("星期", choices=Weekday.choices, null=True, blank=True)
    nth = models.SmallIntegerField(
        "第几个",
        null=True,
        blank=True,
        choices=[(1, "第一个"), (2, "第二个"), (3, "第三个"), (4, "第四个"), (5, "第五个"), (-1, "最后一个")],
    )
    offset_days = models.SmallIntegerField(
        "开始偏移（天）", default=0, help_text="时段：相对基准日，-6 表示提前 6 天开始"
    )
    length_days = models.PositiveSmallIntegerField("持续天数", default=1, help_text="时段：共几天；0 表示至当月月末")
    first_year = models.PositiveSmallIntegerField("设立年份", null=True, blank=True, help_text="此前年份不出现")
    last_year = models.PositiveSmallIntegerField("停止年份", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    domain = models.ForeignKey(
        "website.Domain",
        verbose_name="普法领域",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="生成年度计划时按领域匹配牵头处室",
    )
    laws = models.ManyToManyField(
        "website.LawPage", verbose_name="相关法规", blank=True, related_name="+", help_text="按法规匹配牵头处室"
    )
    template = models.ForeignKey(
        "campaigns.CampaignTemplate",
        verbose_name="活动模板",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="留空则用默认模板",
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = KeyDateQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("month"), FieldPanel("day")]),
                FieldRowPanel([FieldPanel("nth"), FieldPanel("weekday")]),
                FieldRowPanel([FieldPanel("offset_days"), FieldPanel("length_days")]),
                FieldRowPanel([FieldPanel("first_year"), FieldPanel("last_year")]),
            ],
            heading="日期规则",
        ),
        FieldPanel("description"),
        FieldPanel("domain"),
        FieldPanel("laws"),
        FieldPanel("template"),
        FieldPanel("is_active"),
        FieldPanel("sort_order"),
        InlinePanel("overrides", heading="官方公布的年度日期", label="年度日期"),
    ]

    class Meta:
        verbose_name = "普法节点"
        verbose_name_plural = "普法节点"
        ordering = ["month", "day", "sort_order", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.kind == self.Kind.NTH_WEEKDAY:
            if self.weekday is None:
                errors["weekday"] = "请选择星期几。"
            if self.nth is None:
                errors["nth"] = "请选择第几个。"
        elif not self.day:
            errors["day"] = "请填写日。"
        elif self.month:
            limit = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][self.month - 1]
            if self.day > limit:
                errors["day"] = f"{self.month}月没有{self.day}日。"
        if self.first_year and self.last_year and self.last_year < self.first_year:
            errors["last_year"] = "停止年份不能早于设立年份。"
        if errors:
            raise ValidationError(errors)

    @property
    def rule(self) -> rules.Rule:
        return rules.Rule(
            kind=self.kind,
            month=self.month,
            day=self.day,
            weekday=self.weekday,
            nth=self.nth,
            offset_days=self.offset_days if self.kind == self.Kind.PERIOD else 0,
            length_days=self.length_days if self.kind == self.Kind.PERIOD else 1,
            first_year=self.first_year,
            last_year=self.last_year,
        )

    @property
    def rule_text(self) -> str:
        return rules.describe(self.rule)


class KeyDateOverride(models.Model):
    """The dates an official notice set for one year; they win over the rule."""

    key_date = ParentalKey(KeyDate, verbose_name="普法节点", on_delete=models.CASCADE, related_name="overrides")
    year = models.PositiveSmallIntegerField("年度")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    source = models.CharField("依据", max_length=200, blank=True, help_text="如通知文号")

    panels = [FieldRowPanel([FieldPanel("year"), FieldPanel("start"), FieldPanel("end")]), FieldPanel("source")]

    class Meta:
        verbose_name = "年度日期"
        verbose_name_plural = "年度日期"
        ordering = ["key_date", "year"]
        constraints = [
            models.UniqueConstraint(fields=["key_date", "year"], name="one_override_per_key_date_year"),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="override_start_before_end"),
        ]

    def __str__(self):
        return f"{self.key_date} {self.year}：{self.start:%m.%d}–{self.end:%m.%d}"

    def clean(self):
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": "结束日期不能早于开始日期。"})
        if self.start and self.year and abs(self.start.year - self.year) > 1:
            raise ValidationError({"start": "开始日期应在该年度内。"})
