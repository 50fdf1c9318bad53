from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from campaigns import permissions, reports
from campaigns.coverage import law_coverage
from campaigns.models import Campaign, Event
from campaigns.views.access import plan_viewer
from organisation.validators import parse_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check_year(year: int) -> None:
    if parse_year(year) is None:
        raise Http404


@login_required
def campaign_report_view(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("key_date", "lead_department"), pk=pk)
    if not permissions.can_view_campaign(request.user, campaign):
        raise PermissionDenied
    events = (
        Event.objects.filter(campaign=campaign)
        .select_related("outcome__reported_by__staff_profile")
        .prefetch_related("outcome__photos__image")
        .order_by("starts_at")
    )
    context = {
        "campaign": campaign,
        "events": events,
        "totals": reports.campaign_totals(campaign),
        "can_report": permissions.can_report(request.user, campaign),
        "now": timezone.now(),
    }
    return render(request, "campaigns/report.html", context)


@plan_viewer
def rollup_view(request, year: int):
    _check_year(year)
    rollup = reports.year_rollup(year)
    return render(request, "campaigns/rollup.html", {"year": year, **rollup})


@plan_viewer
def rollup_xlsx_view(request, year: int):
    _check_year(year)
    response = HttpResponse(reports.rollup_xlsx(year), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''campaign-outcomes-{year}.xlsx"
    return response


@plan_viewer
def coverage_view(request, year: int):
    _check_year(year)
    items = law_coverage(year)
    return render(
        request,
        "campaigns/coverage.html",
        {"year": year, "items": items, "uncovered": sum(1 for item in items if not item.covered)},
    )
