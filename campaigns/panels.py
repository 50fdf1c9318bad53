"""Panels for the home pages: upcoming events for visitors, one's own campaign tasks for staff."""

import datetime

from django.db.models import Q
from django.utils import timezone

from organisation.panels import Panel


def upcoming_events(request, **context):
    from campaigns.models import Event

    events = list(Event.objects.upcoming_public(timezone.now()).select_related("campaign")[:4])
    if not events:
        return None
    return Panel("campaigns/panels/upcoming_events.html", {"events": events}, order=30)


def my_campaign_tasks(request, **context):
    from campaigns.models import Event, Milestone

    user = request.user
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    milestones = list(
        Milestone.objects.open()
        .filter(assignee=user, due_on__lte=today + datetime.timedelta(days=14))
        .select_related("campaign")[:5]
    )
    tz = timezone.get_current_timezone()
    horizon = datetime.datetime.combine(today + datetime.timedelta(days=14), datetime.time.min, tzinfo=tz)
    events = list(
        Event.objects.not_cancelled()
        .exclude(campaign__status="cancelled")
        .filter(Q(staff=user), starts_at__gte=timezone.now(), starts_at__lt=horizon)
        .select_related("campaign")
        .distinct()[:5]
    )
    if not milestones and not events:
        return None
    return Panel(
        "campaigns/panels/my_tasks.html", {"milestones": milestones, "events": events, "today": today}, order=60
    )
