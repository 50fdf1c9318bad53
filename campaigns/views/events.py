"""A campaign's events, their outcomes and milestones."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import permissions, services
from campaigns.forms import EventForm, OutcomeForm, ReasonForm
from campaigns.models import Event, EventOutcome, Milestone
from campaigns.scheduling import schedule_flags
from campaigns.views.access import plan_editor
from campaigns.views.common import calendar_events, campaign_or_404, run_step
from organisation.errors import show_refusal


def _flag_messages(request, event):
    neighbours = list(calendar_events().between(event.starts_at, event.ends_at).in_live_campaigns())
    for flag in schedule_flags(neighbours).get(event.pk, []):
        messages.warning(request, f"排期提示：{flag.text}")


@plan_editor
@require_http_methods(["GET", "POST"])
def event_create_view(request, pk: int):
    campaign = campaign_or_404(pk)
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
            show_refusal(request, error, form=form)
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
            show_refusal(request, error, form=form)
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
    return run_step(
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
            show_refusal(request, error, form=form)
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
