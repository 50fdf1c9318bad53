"""Calendar subscriptions: the owner's page to get, revoke and replace links, and the feed itself."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns import permissions, services
from campaigns.ical import build_calendar
from campaigns.models import CalendarFeed, Event, Milestone
from campaigns.policies import subscribable_departments
from organisation.addresses import site_url
from organisation.errors import show_refusal
from organisation.ids import is_id
from organisation.models import Department

# A feed shows this far back, so past events stay in calendars for a while.
FEED_HISTORY = datetime.timedelta(days=180)


def feed_url(request, feed) -> dict[str, str]:
    https = site_url(reverse("campaigns:feed", kwargs={"token": feed.token}))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@login_required
def subscribe_view(request):
    user = request.user
    feeds = list(CalendarFeed.objects.active().filter(owner=user).select_related("department"))
    departments = subscribable_departments(user)
    subscribed = {feed.department_id for feed in feeds}
    context = {
        "feeds": [{"feed": feed, "urls": feed_url(request, feed)} for feed in feeds],
        "departments": [d for d in departments if d.pk not in subscribed],
        "has_personal": None in subscribed,
    }
    return render(request, "campaigns/subscribe.html", context)


@login_required
@require_POST
def feed_create_view(request):
    department = None
    if request.POST.get("department"):
        if not is_id(request.POST["department"]):
            messages.error(request, "所选部门不存在，请重新选择。")
            return redirect("campaigns:subscribe")
        department = get_object_or_404(Department, pk=request.POST["department"])
    try:
        services.feed_create(owner=request.user, department=department)
    except services.CampaignError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "订阅链接已生成：复制到日历应用中即可订阅。")
    return redirect("campaigns:subscribe")


@login_required
@require_POST
def feed_action_view(request, pk: int, action: str):
    # Only the owner's own feeds: someone else's id is simply not found.
    feed = get_object_or_404(CalendarFeed.objects.active(), pk=pk, owner=request.user)
    if action == "revoke":
        services.feed_revoke(feed=feed, actor=request.user)
        messages.success(request, "订阅链接已停用，使用旧链接的日历将不再更新。")
    elif action == "regenerate":
        services.feed_regenerate(feed=feed, actor=request.user)
        messages.success(request, "已生成新的订阅链接，旧链接已停用。请在日历应用中改用新链接。")
    else:
        raise Http404
    return redirect("campaigns:subscribe")


def feed_view(request, token: str):
    """The .ics a calendar app fetches: no sign-in, the secret token is the key; revoked tokens are 404."""
    feed = CalendarFeed.objects.active().select_related("owner", "department").filter(token=token).first()
    if feed is None or not feed.owner.is_active:
        raise Http404
    if feed.department_id and not permissions.can_subscribe_department(feed.owner, feed.department):
        raise Http404  # the owner moved to another department or lost the role that let them follow this one
    now = timezone.now()
    since = now - FEED_HISTORY
    events = Event.objects.filter(ends_at__gte=since).select_related("campaign").order_by("starts_at", "pk")
    milestones = Milestone.objects.filter(due_on__gte=timezone.localdate(since)).select_related("campaign")
    if feed.department_id:
        department = feed.department
        events = events.for_department(department)
        milestones = milestones.filter(
            Q(campaign__lead_department=department) | Q(campaign__partner_departments=department)
        ).distinct()
        name = f"{department.short_name or department.name}普法活动"
    else:
        events = events.for_person(feed.owner)
        milestones = milestones.filter(Q(assignee=feed.owner) | Q(campaign__coordinator=feed.owner)).distinct()
        name = "我的普法活动"
    # Drafts are shown too (as TENTATIVE) so planners see them coming; the public never gets this feed.
    body = build_calendar(name=name, events=events, milestones=milestones, now=now)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pufa.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
