"""One campaign: its page, writing it, and its approval steps (submit, approve, return, cancel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import lifecycle, permissions, services
from campaigns.forms import CampaignForm, CommentForm, ReasonForm
from campaigns.models import ApprovalRecord, Campaign
from campaigns.scheduling import schedule_flags
from campaigns.views.access import plan_editor, plan_viewer
from campaigns.views.common import calendar_events, campaign_or_404, run_step
from organisation.errors import show_refusal


@login_required
def campaign_view(request, pk: int):
    campaign = campaign_or_404(pk)
    if not permissions.can_view_campaign(request.user, campaign):
        raise PermissionDenied
    events = list(
        calendar_events().filter(campaign=campaign).select_related("outcome").prefetch_related("partner_departments")
    )
    # Clashes count against every other event on the same days, not just this campaign's.
    live = [event for event in events if not event.is_cancelled]
    if live:
        start = min(event.starts_at for event in live)
        end = max(event.ends_at for event in live)
        neighbours = list(calendar_events().between(start, end).in_live_campaigns())
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
        "actions": lifecycle.allowed(campaign, request.user),
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
            show_refusal(request, error, form=form)
        else:
            messages.success(request, f"已创建“{campaign.title}”。")
            return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@plan_editor
@require_http_methods(["GET", "POST"])
def campaign_edit_view(request, pk: int):
    campaign = campaign_or_404(pk)
    form = CampaignForm(request.POST or None, instance=Campaign.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, actor=request.user, data=form.cleaned_data)
        except services.CampaignError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, "活动方案已保存。")
            return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@plan_editor
@require_POST
def campaign_submit_view(request, pk: int):
    campaign = campaign_or_404(pk)
    return run_step(
        request, campaign, lambda: services.campaign_submit(campaign=campaign, actor=request.user), "已提交审批。"
    )


@plan_viewer  # approvers are department heads, who follow the plan
@require_POST
def campaign_approve_view(request, pk: int):
    campaign = campaign_or_404(pk)
    if not permissions.can_approve(request.user, campaign):
        raise PermissionDenied
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return run_step(
        request,
        campaign,
        lambda: services.campaign_approve(campaign=campaign, actor=request.user, comment=comment),
        "已批准。",
    )


@plan_viewer
@require_POST
def campaign_return_view(request, pk: int):
    campaign = campaign_or_404(pk)
    if not permissions.can_approve(request.user, campaign):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run_step(
        request,
        campaign,
        lambda: services.campaign_return(campaign=campaign, actor=request.user, reason=reason),
        "已退回，并通知了联络人。",
    )


@plan_editor
@require_POST
def campaign_cancel_view(request, pk: int):
    campaign = campaign_or_404(pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run_step(
        request,
        campaign,
        lambda: services.campaign_cancel(campaign=campaign, actor=request.user, reason=reason),
        "活动已取消。",
    )
