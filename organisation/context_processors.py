from django.conf import settings
from django.utils.functional import SimpleLazyObject

from organisation.models import display_name
from organisation.navigation import nav_for
from organisation.roles import may_use_admin


def site_context(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "current_user_name": display_name(user) if signed_in else "",
        "can_use_admin": may_use_admin(user),
        # Read only by the site's header and the menu page: the admin's pages never pay for it.
        "nav": SimpleLazyObject(lambda: nav_for(request)),
    }
