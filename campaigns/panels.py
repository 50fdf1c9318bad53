"""Panels for the home pages: upcoming events for visitors, one's own campaign tasks for staff."""

import datetime

from django.core.cache import cache
from django.db.models import DateField, DateTimeField, F, Value
from django.utils import timezone

from organisation.panels import Panel

UPCOMING_KEY = "campaigns:upcoming-public-events"
UPCOMING_SECONDS = 300


def forget_upcoming_events() -> None:
    """Called after any change to what the public sees (the services do it on commit): drops this
    panel's cache and the website's cached pages for visitors, which include the home page."""
    from website.cache import page_cache_clear

    cache.delete(UPCOMING_KEY)
    page_cache_clear()


def upcoming_events(request, **context):
    """The visitors' home page shows the next public events and the quizzes open now; cached, since every
    visitor asks."""
    from campaigns.models import Event, Quiz

    now = timezone.now()
    cached = cache.get(UPCOMING_KEY)
    if cached is None:
        events = list(Event.objects.upcoming_public(now).select_related("campaign")[:4])
        quizzes = [
            quiz
            for quiz in Quiz.objects.public().filter(closes_at__gt=now).select_related("event").order_by("closes_at")
            if quiz.is_open(now)
        ]
        cached = (events, quizzes)
        cache.set(UPCOMING_KEY, cached, UPCOMING_SECONDS)
    events, quizzes = cached
    if not events and not quizzes:
        return None
    return Panel("campaigns/panels/upcoming_events.html", {"events": events, "quizzes": quizzes}, order=30)


def my_campaign_tasks(request, **context):
    """My open deadlines and the events I staff in the next two weeks, read in one query (a UNION)."""
    from campaigns.models import Event, Milestone

    user = request.user
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    horizon = datetime.datetime.combine(today + datetime.timedelta(days=14), datetime.time.min, tzinfo=tz)
    columns = ("row_kind", "label", "campaign_id", "campaign__title", "day", "moment", "where")
    milestones = (
        Milestone.objects.open()
        .filter(assignee=user, due_on__lte=horizon.date())
        .annotate(
            row_kind=Value("milestone"),
            label=F("name"),
            day=F("due_on"),
            moment=Value(None, output_field=DateTimeField()),
            where=Value(""),
        )
        .values_list(*columns)
        .order_by()
    )
    events = (
        Event.objects.live()
        .filter(staff=user, starts_at__gte=timezone.now(), starts_at__lt=horizon)
        .annotate(
            row_kind=Value("event"),
            label=F("title"),
            day=Value(None, output_field=DateField()),
            moment=F("starts_at"),
            where=F("place"),
        )
        .values_list(*columns)
        .order_by()
    )
    rows = [dict(zip(columns, row, strict=True)) for row in milestones.union(events, all=True)]
    if not rows:
        return None
    for row in rows:
        row["sort"] = row["day"] or timezone.localdate(row["moment"])
    rows.sort(key=lambda row: (row["sort"], row["row_kind"]))
    return Panel("campaigns/panels/my_tasks.html", {"rows": rows[:8], "today": today}, order=60)
