from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from oversight.access import may_view_dashboard
from oversight.admin_views import OversightGroup


@hooks.register("register_admin_viewset")
def register_oversight_viewsets():
    return OversightGroup()


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem("学法督查看板", reverse("oversight:dashboard"), icon_name="view", order=299)
