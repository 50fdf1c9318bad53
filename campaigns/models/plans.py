import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from campaigns.models.events import EventKind
from campaigns.models.states import CampaignStatus, EventStatus


class CampaignTemplate(ClusterableModel):
    """How a planned campaign starts out: its milestones relative to the key date and its main event."""

    name = models.CharField("名称", max_length=100, unique=True)
    is_default = models.BooleanField("默认模板", default=False, help_text="普法节点未指定模板时使用")
    description = models.TextField("说明", blank=True)
    event_kind = models.CharField(
        "主活动形式", max_length=20, choices=EventKind.choices, blank=True, help_text="留空则不预建活动"
    )
    event_start_time = models.TimeField("主活动开始时间", default=datetime.time(9, 0))
    event_minutes = models.PositiveSmallIntegerField("主活动时长（分钟）", default=150)
    event_place = models.CharField("主活动地点", max_length=200, default="待定")

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("event_kind"),
                FieldRowPanel([FieldPanel("event_start_time"), FieldPanel("event_minutes")]),
                FieldPanel("event_place"),
            ],
            heading="节点当天的主活动",
        ),
        InlinePanel("milestones", heading="时间节点", label="时间节点"),
    ]

    class Meta:
        verbose_name = "活动模板"
        verbose_name_plural = "活动模板"
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_template")
        ]

    def __str__(self):
        return self.name


class AssigneeRule(models.TextChoices):
    COORDINATOR = "coordinator", "活动联络人"
    HEAD = "head", "牵头处室负责人"
    NONE = "none", "不指定"


class MilestoneTemplate(models.Model):
    template = ParentalKey(CampaignTemplate, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("名称", max_length=100)
    offset_days = models.SmallIntegerField("相对节点（天）", help_text="T−30 填 -30，节点当天填 0，T+7 填 7")
    assignee_rule = models.CharField(
        "责任人", max_length=20, choices=AssigneeRule.choices, default=AssigneeRule.COORDINATOR
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("offset_days"), FieldPanel("assignee_rule")])]

    class Meta:
        verbose_name = "时间节点模板"
        ordering = ["offset_days", "sort_order"]

    def __str__(self):
        return f"T{self.offset_days:+d} {self.name}" if self.offset_days else f"T {self.name}"


class CampaignQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def approved(self):
        return self.filter(status=CampaignStatus.APPROVED)

    def active(self):
        return self.exclude(status=CampaignStatus.CANCELLED)

    def for_department(self, department):
        return self.filter(Q(lead_department=department) | Q(partner_departments=department)).distinct()

    def awaiting(self, user):
        """Submitted campaigns this user may approve (a superuser: all)."""
        submitted = self.filter(status=CampaignStatus.SUBMITTED)
        if user.is_superuser:
            return submitted
        from organisation.heads import headed_departments

        return submitted.filter(lead_department__in=headed_departments(user))

    def with_outcomes(self):
        """Campaigns annotated with their held events' totals (for reports and the annual figures)."""
        live = ~Q(events__status=EventStatus.CANCELLED)
        held = Q(events__outcome__isnull=False) & live
        return self.annotate(
            event_count=models.Count("events", filter=live, distinct=True),
            held_count=models.Count("events", filter=held, distinct=True),
            participants=models.Sum("events__outcome__participants", filter=held),
            online_reach=models.Sum("events__outcome__online_reach", filter=held),
            materials=models.Sum("events__outcome__materials_distributed", filter=held),
        )


class Campaign(models.Model):
    """A publicity campaign (普法活动方案): usually around one key date, led by one department."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("活动名称", max_length=200)
    key_date = models.ForeignKey(
        "campaigns.KeyDate",
        verbose_name="普法节点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    start_date = models.DateField("开始日期", help_text="普法节点当天（时段为首日），时间节点按此推算")
    end_date = models.DateField("结束日期")
    lead_department = models.ForeignKey(
        "organisation.Department",
        verbose_name="牵头处室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_campaigns",
    )
    partner_departments = models.ManyToManyField(
        "organisation.Department", verbose_name="配合处室", blank=True, related_name="partner_campaigns"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联络人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_campaigns",
    )
    template = models.ForeignKey(
        CampaignTemplate, verbose_name="活动模板", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned = models.BooleanField("由年度计划生成", default=False, editable=False)
    status = models.CharField("状态", max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    description = models.TextField("活动方案", blank=True)
    laws = models.ManyToManyField("website.LawPage", verbose_name="宣传的法规", blank=True, related_name="campaigns")
    audiences = models.ManyToManyField("website.Audience", verbose_name="普法对象", blank=True, related_name="+")
    budget = models.DecimalField("预算（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    summary = models.TextField("活动总结", blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "普法活动"
        verbose_name_plural = "普法活动"
        ordering = ["start_date", "title"]
        permissions = [("plan_year", "生成年度普法计划"), ("approve_campaign", "审批本处室牵头的普法活动")]
        constraints = [
            # plan_year creates at most one campaign per key date and year, however often it runs.
            models.UniqueConstraint(
                fields=["key_date", "year"], condition=Q(planned=True), name="one_planned_campaign_per_key_date_year"
            ),
            models.CheckConstraint(condition=Q(start_date__lte=models.F("end_date")), name="campaign_start_before_end"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("campaigns:campaign", kwargs={"pk": self.pk})

    @property
    def is_approved(self) -> bool:
        return self.status == CampaignStatus.APPROVED

    @property
    def is_returned(self) -> bool:
        return self.status == CampaignStatus.RETURNED

    @property
    def is_cancelled(self) -> bool:
        return self.status == CampaignStatus.CANCELLED


class ApprovalRecord(models.Model):
    """One step of a campaign's approval: who did what, when, and why (an append-only audit trail)."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        SUBMIT = "submit", "提交审批"
        APPROVE = "approve", "批准"
        RETURN = "return", "退回"
        CANCEL = "cancel", "取消"
        CHANGE = "change", "批准后修改"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="approval_records")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=CampaignStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=CampaignStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.campaign} {self.get_action_display()}"


class MilestoneQuerySet(models.QuerySet):
    def in_live_campaigns(self):
        return self.exclude(campaign__status=CampaignStatus.CANCELLED)

    def open(self):
        return self.in_live_campaigns().filter(done_at__isnull=True)

    def overdue(self, today: datetime.date):
        return self.open().filter(due_on__lt=today)

    def due_on(self, day: datetime.date):
        return self.open().filter(due_on=day)


class Milestone(models.Model):
    """A task with a deadline in a campaign (方案报批, 物料制作 …), placed relative to the key date."""

    campaign = models.ForeignKey(Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("名称", max_length=100)
    offset_days = models.SmallIntegerField("相对节点（天）", null=True, blank=True)
    due_on = models.DateField("截止日期", db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="完成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sequence = models.PositiveIntegerField("修订序号", default=0, editable=False)
    uid = models.UUIDField("日历标识", unique=True, editable=False, default=uuid.uuid4)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.name

    @property
    def offset_label(self) -> str:
        if self.offset_days is None:
            return ""
        return "T" if self.offset_days == 0 else f"T{self.offset_days:+d}".replace("-", "−")
