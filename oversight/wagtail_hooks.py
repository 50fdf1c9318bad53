from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from organisation.navigation import NAV_HOOK, NavItem
from organisation.panels import RECORD_PANELS, START_PANELS
from oversight.access import may_view_dashboard
from oversight.admin_views import OversightGroup
from oversight.panels import my_target_panel, record_target_panel


@hooks.register("register_admin_viewset")
def register_oversight_viewsets():
    return OversightGroup()


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem("学法督查看板", reverse("oversight:dashboard"), icon_name="view", order=299)


def _may_view_dashboard(request) -> bool:
    return may_view_dashboard(request.user)


@hooks.register(NAV_HOOK, order=50)
def oversight_nav_items():
    return [NavItem("法治督查", "oversight:dashboard", group="work", order=50, visible=_may_view_dashboard)]


hooks.register(START_PANELS, my_target_panel)
hooks.register(RECORD_PANELS, record_target_panel)
