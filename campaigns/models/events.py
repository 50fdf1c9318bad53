import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone

from campaigns.models.states import CampaignStatus, EventStatus


class EventKind(models.TextChoices):
    STREET = "street", "现场宣传"
    LECTURE = "lecture", "讲座"
    ONLINE_QUIZ = "online_quiz", "线上知识竞答"
    EXHIBITION = "exhibition", "展览"
    SCENIC_SPOT = "scenic_spot", "进景区"
    INTERNET_CAFE = "internet_cafe", "进网吧"
    THEATRE = "theatre", "进剧场"
    SCHOOL = "school", "进校园"
    COMMUNITY = "community", "进社区"
    TRAINING = "training", "业务培训"
    ONLINE = "online", "线上宣传"
    OTHER = "other", "其他"


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``year`` and of the next, in the site's time zone."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def published_q(prefix: str = "") -> Q:
    """An event has a public page when it is marked public and its campaign is approved (a cancelled one says so)."""
    return Q(**{f"{prefix}is_public": True, f"{prefix}campaign__status": CampaignStatus.APPROVED})


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def not_cancelled(self):
        return self.exclude(status=EventStatus.CANCELLED)

    def in_live_campaigns(self):
        """Events of campaigns that are not cancelled (an event of its own may still be)."""
        return self.exclude(campaign__status=CampaignStatus.CANCELLED)

    def live(self):
        """Events that will (or did) take place: neither they nor their campaign are cancelled."""
        return self.not_cancelled().in_live_campaigns()

    def in_year(self, year: int):
        start, end = year_bounds(year)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def between(self, start: datetime.datetime, end: datetime.datetime):
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def held(self):
        """Events that took place and were reported: the ones the annual figures count."""
        return self.not_cancelled().filter(outcome__isnull=False)

    def upcoming_public(self, now: datetime.datetime):
        """What the public may see: approved campaigns' public events that have not ended."""
        return self.published().not_cancelled().filter(ends_at__gte=now).order_by("starts_at", "pk")

    def for_department(self, department):
        return self.filter(
            Q(campaign__lead_department=department)
            | Q(campaign__partner_departments=department)
            | Q(partner_departments=department)
        ).distinct()

    def for_person(self, user):
        return self.filter(Q(staff=user) | Q(campaign__coordinator=user)).distinct()

    def totals(self) -> dict[str, int]:
        """Events held, participants, materials handed out and online reach, in one query."""
        held = self.held()
        row = held.aggregate(
            participants=Sum("outcome__participants"),
            materials=Sum("outcome__materials_distributed"),
            online_reach=Sum("outcome__online_reach"),
        )
        return {
            "events": held.count(),
            **{key: value or 0 for key, value in row.items()},
        }


class Event(models.Model):
    """One activity of a campaign: a time, a place, the people who staff it, what the public can expect."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="所属活动", on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("形式", max_length=20, choices=EventKind.choices, default=EventKind.STREET)
    description = models.TextField("活动内容", blank=True, help_text="对公众展示：参加者可以了解和体验什么")
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200, help_text="同一地点同一时间只能安排一场活动")
    capacity = models.PositiveIntegerField("容纳人数", null=True, blank=True)
    partner_departments = models.ManyToManyField(
        "organisation.Department", verbose_name="配合处室", blank=True, related_name="partner_events"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="工作人员", blank=True, related_name="campaign_events"
    )
    budget = models.DecimalField("预算（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    materials = models.TextField("宣传物料", blank=True, help_text="如 折页 500 份、展板 6 块")
    is_public = models.BooleanField("对公众公布", default=True)
    status = models.CharField("状态", max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    uid = models.UUIDField("日历标识", unique=True, editable=False, default=uuid.uuid4)
    sequence = models.PositiveIntegerField("修订序号", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "活动场次"
        verbose_name_plural = "活动场次"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="event_starts_before_it_ends")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("campaigns:public_event", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_published(self) -> bool:
        """The same rule as ``published_q``, for one event whose campaign is loaded."""
        return self.is_public and self.campaign.status == CampaignStatus.APPROVED

    @property
    def is_open_to_public(self) -> bool:
        """Published and not cancelled: the public may take part (its quiz among others)."""
        return self.is_published and not self.is_cancelled


class EventOutcome(models.Model):
    """What an event achieved, reported afterwards; the annual report's publicity figures add these up."""

    event = models.OneToOneField(Event, verbose_name="活动场次", on_delete=models.CASCADE, related_name="outcome")
    participants = models.PositiveIntegerField("参与人数", default=0)
    materials_distributed = models.PositiveIntegerField("发放资料（份）", default=0)
    # The one figure every report reads as online reach: what the team reported for other channels
    # (阅读、观看 …) plus the event's quiz participants, which the quiz adds as people hand in.
    online_reach = models.PositiveIntegerField("线上覆盖（人次）", default=0, help_text="阅读、观看、答题等人次")
    quiz_participants = models.PositiveIntegerField(
        "其中知识竞答（人次）", default=0, editable=False, help_text="线上知识竞答交卷人次，由系统自动计入线上覆盖"
    )
    media_coverage = models.TextField("媒体报道", blank=True, help_text="每行一条：媒体名称与标题或链接")
    summary = models.TextField("活动小结")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField("填报时间", auto_now=True)

    class Meta:
        verbose_name = "活动成效"
        verbose_name_plural = "活动成效"

    def __str__(self):
        return f"{self.event} 成效"

    @property
    def other_reach(self) -> int:
        """The reach the team reported themselves, without the quiz's participants."""
        return max(self.online_reach - self.quiz_participants, 0)

    @property
    def media_lines(self) -> list[str]:
        return [line.strip() for line in self.media_coverage.splitlines() if line.strip()]


class OutcomePhoto(models.Model):
    outcome = models.ForeignKey(EventOutcome, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", verbose_name="照片", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["pk"]

    def __str__(self):
        return self.caption or f"{self.outcome.event} 照片"
