"""Site navigation that each app contributes to, so the base template never imports an app.

An app registers its links in ``AppConfig.ready()``::

    register_nav_item(NavItem("法规库", "website:law_index", section="public", order=20))

Sections: ``public`` (everyone), ``staff`` (signed-in staff), ``manage`` (shown when
``visible(request)`` is true). ``badge(request)`` may return a number to show beside the link.
``url_name`` is a URL name, or a path when it starts with "/".
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    section: str = "public"
    order: int = 100
    visible: Callable | None = None
    badge: Callable | None = None


_items: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _items[item.url_name] = item


def nav_for(request) -> dict[str, list[dict]]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    sections: dict[str, list[dict]] = {"public": [], "staff": [], "manage": []}
    for item in sorted(_items.values(), key=lambda item: item.order):
        if item.section in ("staff", "manage") and not signed_in:
            continue
        if item.visible is not None and not item.visible(request):
            continue
        if item.url_name.startswith("/"):
            url = item.url_name
        else:
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
        sections[item.section].append(
            {
                "label": item.label,
                "url": url,
                "current": request.path == url or (url != "/" and request.path.startswith(url)),
                "badge": item.badge(request) if item.badge else None,
            }
        )
    return sections
