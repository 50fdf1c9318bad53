"""What the publicity team's pages share: the year asked for, events with what a calendar shows, a campaign by id, and
running one life-cycle step with its message."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, Event
from organisation.errors import show_refusal
from organisation.validators import parse_year


def year_param(request) -> int:
    return parse_year(request.GET.get("year")) or timezone.localdate().year


def calendar_events():
    return Event.objects.select_related("campaign", "campaign__lead_department").prefetch_related(
        "staff__staff_profile"
    )


def campaign_or_404(pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related(
            "key_date", "lead_department", "coordinator__staff_profile", "approved_by__staff_profile", "template"
        ),
        pk=pk,
    )


def run_step(request, campaign, action, success: str):
    try:
        action()
    except services.CampaignError as error:
        show_refusal(request, error)
    else:
        messages.success(request, success)
    return redirect(campaign)
