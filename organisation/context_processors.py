from django.conf import settings

from organisation.models import display_name
from organisation.navigation import nav_for


def site_context(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "current_user_name": display_name(user) if signed_in else "",
        "can_use_admin": signed_in and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")),
        "nav": nav_for(request),
    }
