from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.ui.components import Component

from organisation import views
from organisation.admin_display import register_displays
from organisation.admin_views import OrganisationGroup
from organisation.navigation import NAV_HOOK, NavItem
from organisation.panels import START_PANELS, Panel
from organisation.roles import may_use_admin
from organisation.todo import todos_for

register_displays()


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationGroup()


@hooks.register("register_admin_urls")
def register_staff_import_urls():
    return [
        path("organisation/staff-import/", views.staff_import_view, name="organisation_staff_import"),
        path("organisation/staff-import/template.xlsx", views.staff_template_view, name="organisation_staff_template"),
    ]


@hooks.register("insert_global_admin_js")
def name_unnamed_admin_widgets():
    """Accessible names for Wagtail's rich-text boxes and modal dialogs (see the script)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-names.js"))


KEEPS_HISTORY = (
    "账号“{names}”已有学时、签到、考试等记录，这些记录须如实保留，不能删除该账号。"
    "人员离职请在“职工”中填写离职日期，并在账号设置中取消“启用”。"
)


def _kept_by_history(users) -> list:
    """The accounts that other records protect from deletion (learning records, attendance …)."""
    kept = []
    for user in users:
        try:
            Collector(using=router.db_for_write(type(user))).collect([user])
        except (ProtectedError, RestrictedError):
            kept.append(user)
    return kept


@hooks.register("before_delete_user")
def refuse_deleting_a_user_with_history(request, user):
    """Deleting an account that records point at would fail half-way: say why, in Chinese, and change nothing."""
    if _kept_by_history([user]):
        messages.error(request, KEEPS_HISTORY.format(names=user.get_username()))
        return redirect(reverse("wagtailusers_users:edit", args=[user.pk]))
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_users_with_history(request, action_type, objects, action_class_instance):
    if action_type != "delete" or getattr(action_class_instance, "model", None) is not get_user_model():
        return None
    kept = _kept_by_history(objects)
    if kept:
        messages.error(request, KEEPS_HISTORY.format(names="、".join(user.get_username() for user in kept)))
        return redirect(reverse("wagtailusers_users:index"))
    return None


def _unread_count(request):
    from organisation.models import Notification

    return Notification.objects.for_user(request.user).unread().count() or None


def _may_use_admin(request) -> bool:
    return may_use_admin(request.user)


@hooks.register(NAV_HOOK, order=0)
def organisation_nav_items():
    return [
        NavItem("首页", "/", group="public", order=0),
        NavItem("通知", "notifications", group="", order=90, badge=_unread_count),
        NavItem("管理后台", "/admin/", group="work", order=90, visible=_may_use_admin),
    ]


@hooks.register(START_PANELS, order=0)
def todo_panel(request, **context):
    """待办 heads every start page; the block is shown even when nothing waits, to say so."""
    return Panel("components/todo.html", {"todos": todos_for(request)}, order=0)


class TodoAdminPanel(Component):
    """待办 on the Wagtail admin dashboard, the start page of those who work there."""

    name = "pufa_todo"
    order = 50
    template_name = "components/todo.html"

    def get_context_data(self, parent_context):
        return {"panel": {"todos": todos_for(parent_context["request"])}, "in_admin": True}


@hooks.register("construct_homepage_panels")
def add_todo_admin_panel(request, panels):
    panels.insert(0, TodoAdminPanel())
