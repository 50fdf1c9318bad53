from django.urls import path

from wagtail import hooks

from campaigns.admin_views import CampaignsGroup, plan_year_admin_view


@hooks.register("register_admin_viewset")
def register_campaign_viewsets():
    return CampaignsGroup()


@hooks.register("register_admin_urls")
def register_plan_year_url():
    return [path("campaigns/plan-year/", plan_year_admin_view, name="campaigns_plan_year_admin")]
