from django.urls import path, reverse
from django.utils import timezone

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from campaigns import panels
from campaigns.admin_views import CampaignPermissionPolicy, CampaignsGroup, plan_year_admin_view
from campaigns.models import CalendarFeed, Campaign, Milestone
from campaigns.permissions import can_edit, can_view_plan
from campaigns.views.feeds import feed_url
from organisation.navigation import ACCOUNT_HOOK, NAV_HOOK, AccountLink, NavItem
from organisation.panels import PUBLIC_HOME_PANELS, START_PANELS
from organisation.todo import TODO_HOOK, Todo

register_permission_policy(Campaign, CampaignPermissionPolicy(Campaign))


@hooks.register("register_admin_viewset")
def register_campaign_viewsets():
    return CampaignsGroup()


@hooks.register("register_admin_urls")
def register_plan_year_url():
    return [path("campaigns/plan-year/", plan_year_admin_view, name="campaigns_plan_year_admin")]


def _can_view_plan(request) -> bool:
    return can_view_plan(request.user)


@hooks.register(NAV_HOOK, order=40)
def campaigns_nav_items():
    return [
        NavItem("普法活动", "campaigns:public_events", group="public", order=40),
        NavItem("活动计划", "campaigns:home", group="work", order=40, visible=_can_view_plan),
    ]


hooks.register(PUBLIC_HOME_PANELS, panels.upcoming_events)
hooks.register(START_PANELS, panels.my_campaign_tasks)


@hooks.register(TODO_HOOK, order=30)
def campaigns_to_approve(request):
    awaiting = Campaign.objects.awaiting(request.user)
    return Todo("活动方案待审批", awaiting.count(), reverse("campaigns:home"))


@hooks.register(TODO_HOOK, order=35)
def milestones_overdue(request):
    """Planners see every overdue deadline (the year page counts them too); others their own."""
    overdue = Milestone.objects.overdue(timezone.localdate())
    if can_edit(request.user):
        return Todo("时间节点已逾期", overdue.count(), reverse("campaigns:agenda"))
    campaign_ids = list(overdue.filter(assignee=request.user).order_by("due_on").values_list("campaign_id", flat=True))
    if not campaign_ids:
        return None
    return Todo("我的时间节点已逾期", len(campaign_ids), reverse("campaigns:campaign", args=[campaign_ids[0]]))


@hooks.register(ACCOUNT_HOOK, order=30)
def calendar_links(request):
    """日历订阅: the page to manage one's calendar feeds, and each active feed's address."""
    links = [AccountLink("日历订阅", reverse("campaigns:subscribe"), "在手机日历中订阅活动和时间节点")]
    for feed in CalendarFeed.objects.active().filter(owner=request.user).select_related("department"):
        name = f"{feed.department}日历" if feed.department else "我的日历"
        links.append(AccountLink(name, feed_url(request, feed)["webcal"], "订阅地址"))
    return links
