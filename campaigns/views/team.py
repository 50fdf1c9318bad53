"""The publicity team's pages at /campaigns/: the year, a month, the agenda, departments, a campaign."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import permissions, services
from campaigns.forms import CampaignForm, CommentForm, EventForm, OutcomeForm, PlanYearForm, ReasonForm
from campaigns.models import (
    ApprovalRecord,
    Campaign,
    CampaignStatus,
    Event,
    EventOutcome,
    Milestone,
    ResponsibilityList,
)
from campaigns.occurrences import key_date_occurrences
from campaigns.scheduling import schedule_flags
from campaigns.views.access import plan_editor, plan_viewer
from campaigns.workdays import WorkdayCalendar
from organisation.models import Department

MONTH_NAMES = [f"{month}月" for month in range(1, 13)]


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _events():
    return Event.objects.select_related("campaign", "campaign__lead_department").prefetch_related(
        "staff__staff_profile"
    )


@plan_viewer
def year_view(request):
    """The year at a glance: every key date with its campaigns, and what needs attention."""
    year = _year(request)
    today = timezone.localdate()
    campaigns = list(
        Campaign.objects.for_year(year)
        .select_related("key_date", "lead_department", "coordinator__staff_profile")
        .annotate(event_count=Count("events", filter=~Q(events__status="cancelled")))
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
    }
    return render(request, "campaigns/year.html", context)


@plan_viewer
def month_view(request, year: int, month: int):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    tz = timezone.get_current_timezone()
    first = datetime.date(year, month, 1)
    grid_start = first - datetime.timedelta(days=first.weekday())
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    start = datetime.datetime.combine(grid_start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(grid_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    events = list(_events().between(start, end).exclude(campaign__status="cancelled"))
    workdays = WorkdayCalendar.load({grid_start.year, grid_end.year})
    flags = schedule_flags(events, calendar=workdays)
    milestones = list(
        Milestone.objects.filter(due_on__range=(grid_start, grid_end))
        .exclude(campaign__status="cancelled")
        .select_related("campaign")
    )
    occurrences = [
        occ
        for y in sorted({grid_start.year, grid_end.year})
        for occ in key_date_occurrences(y)
        if occ.start <= grid_end and occ.end >= grid_start
    ]
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _ in range(7):
            week.append(
                {
                    "date": day,
                    "in_month": day.month == month,
                    "is_today": day == timezone.localdate(),
                    "info": workdays.day(day),
                    "events": [
                        {"event": e, "flags": flags.get(e.pk, [])}
                        for e in events
                        if timezone.localdate(e.starts_at) <= day <= timezone.localdate(e.ends_at)
                    ],
                    "milestones": [m for m in milestones if m.due_on == day],
                    "key_dates": [occ for occ in occurrences if occ.start <= day <= occ.end],
                }
            )
            day += datetime.timedelta(days=1)
        weeks.append(week)
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
    if not 2000 <= start_day.year <= 2100:  # 9999-12-31 plus the agenda's 60 days is past the last date there is
        start_day = today
    days = 60
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(start_day, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=days)
    events = list(_events().between(start, end).exclude(campaign__status="cancelled"))
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


@plan_viewer
def department_list_view(request):
    year = _year(request)
    departments = (
        Department.objects.active()
        .annotate(
            led=Count(
                "led_campaigns",
                filter=Q(led_campaigns__year=year) & ~Q(led_campaigns__status="cancelled"),
                distinct=True,
            ),
            partnered=Count(
                "partner_campaigns",
                filter=Q(partner_campaigns__year=year) & ~Q(partner_campaigns__status="cancelled"),
                distinct=True,
            ),
            has_list=Count("responsibility_lists", filter=Q(responsibility_lists__year=year), distinct=True),
        )
        .select_related("parent")
    )
    return render(request, "campaigns/departments.html", {"year": year, "departments": departments})


@plan_viewer
def department_view(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    year = _year(request)
    campaigns = (
        Campaign.objects.for_year(year)
        .for_department(department)
        .select_related("key_date", "lead_department")
        .prefetch_related(Prefetch("events", queryset=Event.objects.order_by("starts_at")))
        .order_by("start_date")
    )
    responsibility = (
        ResponsibilityList.objects.filter(department=department, year=year)
        .prefetch_related("laws", "audiences", "key_dates", "domains")
        .select_related("liaison__staff_profile")
        .first()
    )
    milestones = (
        Milestone.objects.open()
        .filter(campaign__lead_department=department, campaign__year=year)
        .select_related("campaign", "assignee__staff_profile")
    )
    context = {
        "department": department,
        "year": year,
        "campaigns": campaigns,
        "responsibility": responsibility,
        "milestones": milestones,
        "today": timezone.localdate(),
        "can_subscribe": permissions.can_subscribe_department(request.user, department),
    }
    return render(request, "campaigns/department.html", context)


@plan_viewer
def responsibility_list_view(request):
    year = _year(request)
    lists = (
        ResponsibilityList.objects.for_year(year)
        .select_related("department", "liaison__staff_profile")
        .prefetch_related("laws", "audiences", "key_dates", "domains")
        .order_by("department__sort_order")
    )
    return render(request, "campaigns/responsibilities.html", {"year": year, "lists": lists})


def _campaign(pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related(
            "key_date", "lead_department", "coordinator__staff_profile", "approved_by__staff_profile", "template"
        ),
        pk=pk,
    )


@login_required
def campaign_view(request, pk: int):
    campaign = _campaign(pk)
    if not permissions.can_view_campaign(request.user, campaign):
        raise PermissionDenied
    events = list(_events().filter(campaign=campaign).select_related("outcome").prefetch_related("partner_departments"))
    # Clashes count against every other event on the same days, not just this campaign's.
    live = [event for event in events if not event.is_cancelled]
    if live:
        start = min(event.starts_at for event in live)
        end = max(event.ends_at for event in live)
        neighbours = list(_events().between(start, end).exclude(campaign__status="cancelled"))
        flags = schedule_flags({event.pk: event for event in [*neighbours, *live]}.values())
    else:
        flags = {}
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "events": [{"event": event, "flags": flags.get(event.pk, [])} for event in events],
        "milestones": campaign.milestones.select_related("assignee__staff_profile", "done_by__staff_profile"),
        "records": ApprovalRecord.objects.filter(campaign=campaign).select_related("actor__staff_profile"),
        "partners": campaign.partner_departments.all(),
        "laws": campaign.laws.all(),
        "audiences": campaign.audiences.all(),
        "today": today,
        "can_edit": permissions.can_edit(request.user),
        "can_approve": permissions.can_approve(request.user, campaign) and campaign.status == CampaignStatus.SUBMITTED,
        "can_report": permissions.can_report(request.user, campaign),
        "return_form": ReasonForm(),
        "comment_form": CommentForm(),
        "cancel_form": ReasonForm(),
        "now": timezone.now(),
    }
    return render(request, "campaigns/campaign.html", context)


@plan_editor
@require_http_methods(["GET", "POST"])
def campaign_create_view(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        try:
            campaign = services.campaign_create(actor=request.user, data=data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已创建“{campaign.title}”。")
            return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@plan_editor
@require_http_methods(["GET", "POST"])
def campaign_edit_view(request, pk: int):
    campaign = _campaign(pk)
    form = CampaignForm(request.POST or None, instance=Campaign.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, actor=request.user, data=form.cleaned_data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "活动方案已保存。")
            return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


def _act(request, campaign, action, success: str):
    try:
        action()
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(campaign)


@plan_editor
@require_POST
def campaign_submit_view(request, pk: int):
    campaign = _campaign(pk)
    return _act(
        request, campaign, lambda: services.campaign_submit(campaign=campaign, actor=request.user), "已提交审批。"
    )


@plan_viewer  # approvers are department heads, who follow the plan
@require_POST
def campaign_approve_view(request, pk: int):
    campaign = _campaign(pk)
    if not permissions.can_approve(request.user, campaign):
        raise PermissionDenied
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        campaign,
        lambda: services.campaign_approve(campaign=campaign, actor=request.user, comment=comment),
        "已批准。",
    )


@plan_viewer
@require_POST
def campaign_return_view(request, pk: int):
    campaign = _campaign(pk)
    if not permissions.can_approve(request.user, campaign):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        campaign,
        lambda: services.campaign_return(campaign=campaign, actor=request.user, reason=reason),
        "已退回，并通知了联络人。",
    )


@plan_editor
@require_POST
def campaign_cancel_view(request, pk: int):
    campaign = _campaign(pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        campaign,
        lambda: services.campaign_cancel(campaign=campaign, actor=request.user, reason=reason),
        "活动已取消。",
    )


def _flag_messages(request, event):
    neighbours = list(_events().between(event.starts_at, event.ends_at).exclude(campaign__status="cancelled"))
    for flag in schedule_flags(neighbours).get(event.pk, []):
        messages.warning(request, f"排期提示：{flag.text}")


@plan_editor
@require_http_methods(["GET", "POST"])
def event_create_view(request, pk: int):
    campaign = _campaign(pk)
    initial = {}
    if campaign.start_date:
        tz = timezone.get_current_timezone()
        starts_at = datetime.datetime.combine(campaign.start_date, datetime.time(9, 0), tzinfo=tz)
        initial = {"starts_at": starts_at, "ends_at": starts_at + datetime.timedelta(hours=2)}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(campaign=campaign, actor=request.user, data=form.cleaned_data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已添加“{event.title}”。")
            _flag_messages(request, event)
            return redirect(campaign)
    return render(request, "campaigns/event_form.html", {"form": form, "campaign": campaign, "event": None})


@plan_editor
@require_http_methods(["GET", "POST"])
def event_edit_view(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("campaign"), pk=pk)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, actor=request.user, data=form.cleaned_data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存“{event.title}”。")
            _flag_messages(request, event)
            return redirect(event.campaign)
    return render(
        request,
        "campaigns/event_form.html",
        {"form": form, "campaign": event.campaign, "event": event, "cancel_form": ReasonForm()},
    )


@plan_editor
@require_POST
def event_cancel_view(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("campaign"), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        event.campaign,
        lambda: services.event_cancel(event=event, actor=request.user, reason=reason),
        f"已取消“{event.title}”，订阅的日历会同步取消。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_view(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("campaign"), pk=pk)
    if not permissions.can_report(request.user, event.campaign):
        raise PermissionDenied
    outcome = EventOutcome.objects.filter(event=event).first()
    form = OutcomeForm(request.POST or None, request.FILES or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "photos"}
        try:
            services.outcome_report(event=event, actor=request.user, data=data, photos=form.cleaned_data["photos"])
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "活动成效已保存。")
            return redirect("campaigns:report", pk=event.campaign_id)
    photos = outcome.photos.select_related("image") if outcome else []
    return render(request, "campaigns/outcome_form.html", {"form": form, "event": event, "photos": photos})


@login_required
@require_POST
def milestone_toggle_view(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.select_related("campaign"), pk=pk)
    allowed = permissions.can_edit(request.user) or milestone.assignee_id == request.user.pk
    if not allowed:
        raise PermissionDenied
    if milestone.done_at:
        services.milestone_reopen(milestone=milestone, actor=request.user)
        messages.success(request, f"已将“{milestone.name}”改为未完成。")
    else:
        services.milestone_complete(milestone=milestone, actor=request.user)
        messages.success(request, f"已完成“{milestone.name}”。")
    return redirect(milestone.campaign)


@plan_editor
@require_POST
def plan_year_view(request):
    if not permissions.can_plan_year(request.user):
        raise PermissionDenied
    form = PlanYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请输入 2000 至 2100 之间的年度。")
        return redirect("campaigns:home")
    year = form.cleaned_data["year"]
    result = services.plan_year(year=year, actor=request.user)
    messages.success(request, result.summary())
    if warning := result.stale_lists_warning():
        messages.warning(request, warning)
    return redirect(f"{reverse('campaigns:home')}?year={year}")
