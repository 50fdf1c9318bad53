"""Every page of the site, with hostile query parameters: never a server error.

The pages come from the URL configuration itself (the permission matrix's rules, so a new view is
swept too) plus every live Wagtail page. For each page a first request notes which query parameters
the view reads; then each of them gets impossible dates, huge and negative numbers, digits that are
not ASCII, 10,000 characters with NUL, right-to-left marks and emoji, invalid UTF-8 and a lone surrogate.
"""

from urllib.parse import quote

import pytest

from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from wagtail.models import Page

from tests.access import all_rules, rule_modules

pytestmark = pytest.mark.django_db

# Percent-encoded as sent. Each value is tried in every query parameter the page reads.
HOSTILE = {
    "huge number": "9" * 30,
    "negative": "-1",
    "superscript digit": quote("²"),  # str.isdigit() says yes, int() says no
    "impossible date": "2026-02-30",
    "last date": "9999-12-31",  # a day later does not exist
    "odd text": quote("\x00\x1f\u202e宪法\u200f🙂\ufeff"),
    "invalid UTF-8, lone surrogate": "%FF%FE%C0%AF%ED%A0%80",
}
LONG_TEXT = quote("\u202e" + "宪法" * 5_000)  # 10,000 characters, for the parameters that take text (q)
PREFERRED = ["admin", "oversight", "head", "publicity", "editor", "reviewer", "enforcer", "staff", "anonymous"]


class ReadKeys:
    """Notes the query parameters a view reads, by watching QueryDict lookups during one request."""

    def __init__(self, monkeypatch):
        self.keys = set()
        for name in ("get", "__getitem__", "__contains__", "getlist"):
            original = getattr(QueryDict, name)
            monkeypatch.setattr(QueryDict, name, self._watch(original))

    def _watch(self, original):
        def watched(querydict, key, *args, **kwargs):
            self.keys.add(key)
            return original(querydict, key, *args, **kwargs)

        return watched


def _targets(world):
    """(label, url, user) for each GET view (once per URL name) opened by a role that may, and each live page."""
    targets, seen = [], set()
    for rule in all_rules():
        if rule.method != "get" or rule.name in seen:
            continue
        role = next((role for role in PREFERRED if rule.status_for(role) == 200), None)
        if role is None:
            continue
        kwargs = rule.kwargs(world) if callable(rule.kwargs) else rule.kwargs
        seen.add(rule.name)
        targets.append((rule.id, reverse(rule.name, kwargs=kwargs), world.user(role)))
    for page in Page.objects.live().filter(depth__gt=1).specific():
        targets.append((f"page {page.url}", page.url, world.user("admin")))
    return targets


@pytest.fixture
def swept_world(world):
    for module in rule_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    return world


def test_no_page_fails_on_hostile_query_parameters(swept_world, monkeypatch, tally):
    client = Client(raise_request_exception=False)
    reads = ReadKeys(monkeypatch)
    failures = []

    def get(url, query):
        response = client.get(f"{url}?{query}")
        tally.add(1, response.status_code >= 500)
        if response.status_code >= 500:
            failures.append(f"{url}?{query[:100]} → {response.status_code}")
        return response

    for _, url, user in _targets(swept_world):
        client.logout()
        if user is not None:
            client.force_login(user)
        reads.keys.clear()
        client.get(url)
        keys = sorted(key for key in reads.keys if isinstance(key, str)) or ["page"]
        # A parameter that selects something (a department, a format) refuses nonsense with 404 and would
        # hide the others; those are tried on their own, the rest together.
        selectors = {key for key in keys if get(url, f"{key}={HOSTILE['superscript digit']}").status_code >= 400}
        together = [key for key in keys if key not in selectors]
        for value in [*HOSTILE.values(), LONG_TEXT]:
            if value is LONG_TEXT and "q" not in keys:
                continue
            if together:
                get(url, "&".join(f"{key}={value}" for key in together))
            for key in sorted(selectors):
                get(url, f"{key}={value}")
    assert not failures, "\n".join(failures)
