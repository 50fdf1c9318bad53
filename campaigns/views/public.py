"""The public's pages: upcoming 普法活动 and one event's details."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from campaigns.models import Event
from website.cache import mark_cacheable


def _public_events():
    return Event.objects.upcoming_public(timezone.now()).select_related("campaign", "campaign__lead_department")


def public_event_list_view(request):
    mark_cacheable(request)  # visitors get a stored copy until an event changes (see campaigns.panels)
    page = Paginator(_public_events(), 20).get_page(request.GET.get("page"))
    return render(request, "campaigns/public/event_list.html", {"page_obj": page})


def public_event_view(request, pk: int):
    event = get_object_or_404(
        Event.objects.filter(is_public=True, campaign__status="approved").select_related(
            "campaign", "campaign__lead_department"
        ),
        pk=pk,
    )
    mark_cacheable(request)
    partners = event.partner_departments.all()
    return render(
        request,
        "campaigns/public/event_detail.html",
        {"event": event, "partners": partners, "is_past": event.ends_at < timezone.now()},
    )
