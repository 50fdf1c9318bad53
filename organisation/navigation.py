"""Site navigation that each app contributes through a Wagtail hook, so the base template never imports an app.

An app lists its links in its ``wagtail_hooks.py``::

    @hooks.register(NAV_HOOK, order=20)
    def website_nav_items():
        return [NavItem("法规库", "/laws/", group="public", order=20)]

Groups (``GROUPS``): 学习 (``study``), 工作 (``work``), 公开 (``public``); ``group=""`` puts a link beside the
menu button, always in sight (通知). ``visible(request)`` hides a link from whoever may not use it;
``badge(request)`` may return a number to show beside it. ``url_name`` is a URL name, or a path starting with "/".
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from wagtail import hooks

NAV_HOOK = "pufa_nav_items"
GROUPS = (("study", "学习"), ("work", "工作"), ("public", "公开"))


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    group: str = "public"
    order: int = 100
    visible: Callable | None = None
    badge: Callable | None = None


@dataclass
class NavLink:
    label: str
    url: str
    current: bool = False
    badge: int | None = None


@dataclass
class NavGroup:
    key: str
    label: str
    links: list[NavLink] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


@dataclass
class Nav:
    groups: list[NavGroup]
    pinned: list[NavLink]

    @property
    def current_group(self) -> NavGroup | None:
        return next((group for group in self.groups if group.current), None)


def nav_items() -> list[NavItem]:
    return sorted(
        (item for fn in hooks.get_hooks(NAV_HOOK) for item in fn()), key=lambda item: (item.order, item.label)
    )


def _url(item: NavItem) -> str | None:
    if item.url_name.startswith("/"):
        return item.url_name
    try:
        return reverse(item.url_name)
    except NoReverseMatch:
        return None


def _current_url(path: str, urls: list[str]) -> str | None:
    """The link for the page being shown: the same path, else the longest link the path lies under."""
    if path in urls:
        return path
    under = [url for url in urls if url != "/" and path.startswith(url)]
    return max(under, key=len, default=None)


def nav_for(request) -> Nav:
    """The groups of links ``request.user`` may use, empty groups left out, the current link marked."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    shown = []
    for item in nav_items():
        if item.group != "public" and not signed_in:
            continue
        if item.visible is not None and not item.visible(request):
            continue
        if (url := _url(item)) is not None:
            shown.append((item, url))
    current = _current_url(request.path, [url for _, url in shown])
    groups = {key: NavGroup(key, label) for key, label in GROUPS}
    pinned = []
    for item, url in shown:
        link = NavLink(item.label, url, current=url == current, badge=item.badge(request) if item.badge else None)
        (groups[item.group].links if item.group else pinned).append(link)
    return Nav(groups=[group for group in groups.values() if group.links], pinned=pinned)


ACCOUNT_HOOK = "pufa_account_links"


@dataclass(frozen=True)
class AccountLink:
    """A link on the account page (我的账户) that a higher app adds: calendar subscriptions and the like."""

    label: str
    url: str
    note: str = ""


def account_links(request) -> list[AccountLink]:
    return [link for fn in hooks.get_hooks(ACCOUNT_HOOK) for link in fn(request)]
