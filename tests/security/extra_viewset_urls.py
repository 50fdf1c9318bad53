"""The site's URLs plus an admin viewset for one of our models that nobody wrote permission rules for."""

from django.urls import include, path

from wagtail.admin.viewsets.model import ModelViewSet

from config.urls import urlpatterns as site_urlpatterns
from oversight.models import StudyTarget


class ForgottenViewSet(ModelViewSet):
    """Every screen is one of Wagtail's generic views: only the viewset says it is ours."""

    model = StudyTarget
    form_fields = ["year", "scope", "required_hours"]


forgotten = ForgottenViewSet("forgotten_targets", url_prefix="forgotten-targets")

urlpatterns = [
    path("admin/forgotten-targets/", include((forgotten.get_urlpatterns(), "forgotten_targets"))),
    *site_urlpatterns,
]
