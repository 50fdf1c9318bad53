from django.urls import path

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
