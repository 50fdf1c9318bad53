from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks

from organisation import views
from organisation.admin_views import OrganisationGroup


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
