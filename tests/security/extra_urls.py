"""The site's URLs plus views nobody wrote a permission rule for, for the matrix's meta-test."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns
from learning.study import views as study_views


def unguarded_report(request):
    return HttpResponse("每个人的学时")


# As if a developer had written it in the oversight app's views.py.
unguarded_report.__module__ = "oversight.views"

urlpatterns = [
    path("me/record-again/", study_views.record, name="record_again"),  # an existing view at a second address
    path("oversight/unguarded/", unguarded_report, name="unguarded_report"),  # a new view
    path("oversight/unnamed/", unguarded_report),  # a new view without a name, so no rule could name it
    path("oversight/extra/", include(([path("report/", unguarded_report, name="report")], "extra"))),
    *site_urlpatterns,
]
