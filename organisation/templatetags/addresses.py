from django import template

from organisation.addresses import site_url

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    """``{{ share.url|absolute }}``: the path on the site's public address (``organisation.addresses``)."""
    return site_url(path) if path else ""
