from django import template

from organisation.models import display_name

register = template.Library()


@register.filter
def person(user, empty="未指定"):
    """A user's real name (their staff profile's) or ``empty`` when there is nobody."""
    return display_name(user) if user else empty
