"""Events, their outcomes, and milestones. Changing what a calendar shows raises the event's SEQUENCE."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from campaigns import lifecycle
from campaigns.models import (
    ApprovalRecord,
    Campaign,
    CampaignStatus,
    Event,
    EventOutcome,
    EventStatus,
    Milestone,
    OutcomePhoto,
)
from campaigns.panels import forget_upcoming_events
from campaigns.services.errors import CampaignError

EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "budget",
    "materials",
    "is_public",
)
EVENT_M2M = ("partner_departments", "staff")
# What a subscribed calendar shows: a change to any of these must reach it.
CALENDAR_FIELDS = ("title", "kind", "description", "starts_at", "ends_at", "place", "status")
OUTCOME_FIELDS = ("participants", "materials_distributed", "online_reach", "media_coverage", "summary")


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at >= ends_at:
        raise CampaignError("结束时间应晚于开始时间。")
    if ends_at - starts_at > datetime.timedelta(days=31):
        raise CampaignError("一场活动不超过 31 天；更长的活动请分为多场。")


@transaction.atomic
def event_create(*, campaign: Campaign, actor, data: dict) -> Event:
    transaction.on_commit(forget_upcoming_events)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    lifecycle.check("edit", campaign=campaign, actor=actor)
    _check_times(data["starts_at"], data["ends_at"])
    event = Event(campaign=campaign, **{name: data[name] for name in EVENT_FIELDS if name in data})
    event.save()
    for name in EVENT_M2M:
        if name in data:
            getattr(event, name).set(data[name])
    if campaign.status == CampaignStatus.APPROVED:
        ApprovalRecord.objects.create(
            campaign=campaign,
            action=ApprovalRecord.Action.CHANGE,
            from_status=campaign.status,
            to_status=campaign.status,
            actor=actor,
            comment=f"新增活动场次：{event.title}",
        )
    return event


@transaction.atomic
def event_update(*, event: Event, actor, data: dict) -> Event:
    """Change an event (move it, rename it …); calendars see a higher SEQUENCE when what they show changed."""
    transaction.on_commit(forget_upcoming_events)
    event = Event.objects.select_for_update().select_related("campaign").get(pk=event.pk)
    lifecycle.check("edit", campaign=event.campaign, actor=actor)
    if event.is_cancelled:
        raise CampaignError("该场活动已取消，不能再修改。")
    before = {name: getattr(event, name) for name in CALENDAR_FIELDS}
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    _check_times(event.starts_at, event.ends_at)
    changed = [name for name in CALENDAR_FIELDS if getattr(event, name) != before[name]]
    if changed:
        event.sequence += 1
    event.save()
    for name in EVENT_M2M:
        if name in data:
            getattr(event, name).set(data[name])
    if changed and event.campaign.status == CampaignStatus.APPROVED:
        moved = "starts_at" in changed or "ends_at" in changed
        ApprovalRecord.objects.create(
            campaign=event.campaign,
            action=ApprovalRecord.Action.CHANGE,
            from_status=event.campaign.status,
            to_status=event.campaign.status,
            actor=actor,
            comment=(
                f"调整“{event.title}”时间为 {timezone.localtime(event.starts_at):%Y-%m-%d %H:%M}"
                if moved
                else f"修改活动场次：{event.title}"
            ),
        )
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor, reason: str) -> Event:
    transaction.on_commit(forget_upcoming_events)
    reason = (reason or "").strip()
    if not reason:
        raise CampaignError("取消活动场次时请写明原因。")
    event = Event.objects.select_for_update().select_related("campaign").get(pk=event.pk)
    lifecycle.check("edit", campaign=event.campaign, actor=actor)
    if event.is_cancelled:
        raise CampaignError("该场活动已取消。")
    event.status = EventStatus.CANCELLED
    event.cancel_reason = reason[:200]
    event.sequence += 1
    event.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    if event.campaign.status == CampaignStatus.APPROVED:
        ApprovalRecord.objects.create(
            campaign=event.campaign,
            action=ApprovalRecord.Action.CHANGE,
            from_status=event.campaign.status,
            to_status=event.campaign.status,
            actor=actor,
            comment=f"取消活动场次“{event.title}”：{reason}",
        )
    return event


@transaction.atomic
def outcome_report(*, event: Event, actor, data: dict, photos=(), now: datetime.datetime | None = None) -> EventOutcome:
    """Record (or correct) what an event achieved; photos are added to the image library.

    ``data["online_reach"]`` is the reach the team counted themselves (阅读、观看 …); the event's
    quiz participants, which the quiz adds as people hand in, are added to it, never typed over.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().select_related("campaign").get(pk=event.pk)
    if event.is_cancelled:
        raise CampaignError("该场活动已取消，无需填报成效。")
    if event.starts_at > now:
        raise CampaignError("活动尚未开始，请在活动结束后填报成效。")
    outcome = EventOutcome.objects.select_for_update().filter(event=event).first() or EventOutcome(event=event)
    for name in OUTCOME_FIELDS:
        if name in data:
            setattr(outcome, name, data[name])
    if "online_reach" in data:
        outcome.online_reach = data["online_reach"] + outcome.quiz_participants
    if not (outcome.summary or "").strip():
        raise CampaignError("请填写活动小结。")
    outcome.reported_by = actor
    outcome.save()
    if photos:
        from wagtail.images import get_image_model

        Image = get_image_model()
        for upload in photos:
            image = Image(title=f"{event.title} 活动照片", file=upload, uploaded_by_user=actor)
            image.save()
            OutcomePhoto.objects.create(outcome=outcome, image=image)
    return outcome


@transaction.atomic
def milestone_complete(*, milestone: Milestone, actor, now: datetime.datetime | None = None) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        return milestone  # already done: a second click changes nothing
    milestone.done_at = now or timezone.now()
    milestone.done_by = actor
    milestone.sequence = F("sequence") + 1
    milestone.save(update_fields=["done_at", "done_by", "sequence"])
    milestone.refresh_from_db()
    return milestone


@transaction.atomic
def milestone_reopen(*, milestone: Milestone, actor) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is None:
        return milestone
    milestone.done_at = None
    milestone.done_by = None
    milestone.sequence = F("sequence") + 1
    milestone.save(update_fields=["done_at", "done_by", "sequence"])
    milestone.refresh_from_db()
    return milestone
