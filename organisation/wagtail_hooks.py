from django.templatetags.static import static
from django.urls import path
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
