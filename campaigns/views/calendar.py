"""The publicity calendar at /campaigns/: the year with its key dates and campaigns, a month grid, the agenda."""

import calendar
import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from campaigns import permissions, services
from campaigns.forms import PlanYearForm
from campaigns.models import Campaign, EventStatus, Milestone
from campaigns.occurrences import key_date_occurrences
from campaigns.scheduling import schedule_flags
from campaigns.views.access import plan_viewer
from campaigns.views.common import calendar_events, year_param
from campaigns.workdays import WorkdayCalendar
from organisation.validators import parse_year

MONTH_NAMES = [f"{month}月" for month in range(1, 13)]


@plan_viewer
def year_view(request):
    """The year at a glance: every key date with its campaigns, and what needs attention."""
    year = year_param(request)
    today = timezone.localdate()
    campaigns = list(
        Campaign.objects.for_year(year)
        .select_related("key_date", "lead_department", "coordinator__staff_profile")
        .annotate(event_count=Count("events", filter=~Q(events__status=EventStatus.CANCELLED)))
        .order_by("start_date", "title")
    )
    by_key_date: dict[int, list[Campaign]] = {}
    others = []
    for campaign in campaigns:
        if campaign.key_date_id:
            by_key_date.setdefault(campaign.key_date_id, []).append(campaign)
        else:
            others.append(campaign)
    occurrences = key_date_occurrences(year)
    rows = [{"occurrence": occ, "campaigns": by_key_date.get(occ.key_date.pk, [])} for occ in occurrences]
    unplanned = [row["occurrence"] for row in rows if not any(c.planned for c in row["campaigns"])]
    workdays = WorkdayCalendar.load([year])
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "rows": rows,
        "others": others,
        "unplanned": unplanned,
        "months": [(month, MONTH_NAMES[month - 1]) for month in range(1, 13)],
        "holiday_source": workdays.source(year),
        "awaiting": Campaign.objects.awaiting(request.user).select_related("lead_department"),
        "overdue": Milestone.objects.overdue(today).filter(campaign__year=year).count(),
        "can_plan": permissions.can_plan_year(request.user),
        "can_edit": permissions.can_edit(request.user),
        "plan_form": PlanYearForm(initial={"year": year}),
        "lists_to_copy": (
            services.lists_to_copy(year).count()
            if permissions.can_copy_lists(request.user) and year <= today.year + 1
            else 0
        ),
    }
    return render(request, "campaigns/year.html", context)


@plan_viewer
def month_view(request, year: int, month: int):
    if parse_year(year) is None or not 1 <= month <= 12:
        raise Http404
    tz = timezone.get_current_timezone()
    grid = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    grid_start, grid_end = grid[0][0], grid[-1][-1]
    first, last = datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    start = datetime.datetime.combine(grid_start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(grid_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    events = list(calendar_events().between(start, end).in_live_campaigns())
    workdays = WorkdayCalendar.load({grid_start.year, grid_end.year})
    flags = schedule_flags(events, calendar=workdays)
    milestones = list(
        Milestone.objects.filter(due_on__range=(grid_start, grid_end)).in_live_campaigns().select_related("campaign")
    )
    occurrences = [
        occ
        for y in sorted({grid_start.year, grid_end.year})
        for occ in key_date_occurrences(y)
        if occ.start <= grid_end and occ.end >= grid_start
    ]
    today = timezone.localdate()
    spans = [(timezone.localdate(e.starts_at), timezone.localdate(e.ends_at), e) for e in events]

    def events_on(day):
        return [{"event": e, "flags": flags.get(e.pk, [])} for begins, ends, e in spans if begins <= day <= ends]

    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "is_today": day == today,
                "info": workdays.day(day),
                "events": [
                    {"event": e, "flags": flags.get(e.pk, [])} for begins, ends, e in spans if begins <= day <= ends
                ],
                "milestones": [m for m in milestones if m.due_on == day],
                "key_dates": [occ for occ in occurrences if occ.start <= day <= occ.end],
            }
            for day in week
        ]
        for week in grid
    ]
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    context = {
        "year": year,
        "month": month,
        "weeks": weeks,
        "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
        "previous": previous,
        "following": following,
        "holiday_source": workdays.source(year),
    }
    return render(request, "campaigns/month.html", context)


@plan_viewer
def agenda_view(request):
    """What is coming: events and deadlines in the next weeks, with every scheduling warning."""
    today = timezone.localdate()
    try:
        start_day = datetime.date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else today
    except ValueError:
        start_day = today
    if parse_year(start_day.year) is None:  # 9999-12-31 plus the agenda's 60 days is past the last date there is
        start_day = today
    days = 60
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(start_day, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=days)
    events = list(calendar_events().between(start, end).in_live_campaigns())
    flags = schedule_flags(events)
    milestones = list(
        Milestone.objects.open()
        .filter(due_on__gte=start_day, due_on__lt=start_day + datetime.timedelta(days=days))
        .select_related("campaign", "assignee__staff_profile")
    )
    entries: dict[datetime.date, dict] = {}
    for event in events:
        day = max(timezone.localdate(event.starts_at), start_day)
        entries.setdefault(day, {"events": [], "milestones": []})["events"].append(
            {"event": event, "flags": flags.get(event.pk, [])}
        )
    for milestone in milestones:
        entries.setdefault(milestone.due_on, {"events": [], "milestones": []})["milestones"].append(milestone)
    context = {
        "start": start_day,
        "end": start_day + datetime.timedelta(days=days - 1),
        "next_start": start_day + datetime.timedelta(days=days),
        "days": sorted(entries.items()),
        "overdue": Milestone.objects.overdue(today).select_related("campaign", "assignee__staff_profile"),
        "today": today,
    }
    return render(request, "campaigns/agenda.html", context)
