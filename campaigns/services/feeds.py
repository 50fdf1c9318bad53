"""Calendar subscriptions: a secret token per feed that its owner can revoke or replace."""

from django.db import transaction
from django.utils import timezone

from campaigns import permissions
from campaigns.models import CalendarFeed
from campaigns.services.errors import CampaignError


@transaction.atomic
def feed_create(*, owner, department=None) -> CalendarFeed:
    """The owner's active feed for this department (or personal feed), created when there is none."""
    if department is not None and not permissions.can_subscribe_department(owner, department):
        raise CampaignError("你不能订阅该处室的日历。")
    existing = CalendarFeed.objects.active().filter(owner=owner, department=department).first()
    if existing:
        return existing
    return CalendarFeed.objects.create(owner=owner, department=department)


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, actor) -> CalendarFeed:
    if feed.owner_id != actor.pk:
        raise CampaignError("只能停用自己的日历订阅。")
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


@transaction.atomic
def feed_regenerate(*, feed: CalendarFeed, actor) -> CalendarFeed:
    """Revoke the old address and issue a new one (after a link leaked, say)."""
    feed = feed_revoke(feed=feed, actor=actor)
    return CalendarFeed.objects.create(owner=feed.owner, department=feed.department)
