"""CSRF on every view: each pattern of the URL configuration, posted to without a token, is refused.

Every pattern is tried (the project's views, Wagtail's admin, the page tree, documents, media), as
a visitor and signed in with a role the permission matrix lets through that view. The refusal
must come from the CSRF check itself, which the test recognises by its own CSRF_FAILURE_VIEW.
Views that skip Django's check must be listed in EXEMPT with the reason, or the test fails.
"""

from dataclasses import dataclass, field

import pytest

from django.db import transaction
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.utils.crypto import get_random_string

from tests.access import ROLES, rule_url
from tests.clock import Clock
from tests.conftest import make_world
from tests.security.urls import allowed_role, endpoints, matrix_world, rules_by_name

# Every test here is marked, so that pytest-django sets up the database the module's posts use.
pytestmark = pytest.mark.django_db

MARKER = "X-Test-CSRF-Failure"
# Views marked csrf_exempt, by view and why that is safe. Each is still posted to below.
EXEMPT = {
    "wagtail.admin.api.views.PagesAdminAPIViewSet": "Wagtail's admin API (Django REST framework): DRF's "
    "SessionAuthentication enforces CSRF itself for a signed-in session; only the admin's JavaScript calls it",
    "wagtail.documents.api.admin.views.DocumentsAdminAPIViewSet": "as above, Wagtail's admin API",
    "wagtail.images.api.admin.views.ImagesAdminAPIViewSet": "as above, Wagtail's admin API",
}


def csrf_failure(request, reason=""):
    response = HttpResponseForbidden("CSRF")
    response[MARKER] = reason
    return response


def refused_for_csrf(response, exempt: bool) -> bool:
    if exempt:  # refused by Django REST framework's own check
        return response.status_code == 403 and b"CSRF Failed" in response.content
    return response.status_code == 403 and MARKER in response


@dataclass
class Posts:
    tried: int = 0
    patterns: int = 0
    not_refused: list = field(default_factory=list)  # posts without a token that got through
    with_token: int = 0
    wrong_with_token: list = field(default_factory=list)  # matrix posts that a token did not let through


def _post_everywhere_without_a_token(world, posts):
    rules = rules_by_name()
    clients = {}
    for role in ROLES:
        clients[role] = Client(enforce_csrf_checks=True)
        if world.user(role) is not None:
            clients[role].force_login(world.user(role))
    found = endpoints()
    posts.patterns = len(found)
    for endpoint in found:
        exempt = endpoint.view in EXEMPT
        # The real objects and the role that may use the view, when the matrix has a rule for it.
        named_rules = sorted(rules.get(endpoint.name, []), key=lambda rule: rule.method != "post")
        path, role = endpoint.path, "admin"
        if named_rules:
            path = rule_url(named_rules[0], world).split("?")[0]
            role = allowed_role(named_rules[0]) or "admin"
        for who in ("anonymous", role):
            response = clients[who].post(path, {"field": "value"})
            posts.tried += 1
            if exempt and who == "anonymous":
                ok = response.status_code in (302, 401, 403)  # the admin sends visitors to sign in
            else:
                ok = refused_for_csrf(response, exempt)
            if not ok:
                posts.not_refused.append(f"{who} POST {path} ({endpoint.route}) -> {response.status_code}")


def _post_the_matrix_with_a_token(world, posts):
    for name, named_rules in rules_by_name().items():
        for rule in (rule for rule in named_rules if rule.method == "post"):
            role = allowed_role(rule)
            if role is None:
                continue
            client = Client(enforce_csrf_checks=True)
            client.force_login(world.user(role))
            token = get_random_string(32)
            client.cookies["csrftoken"] = token
            data = rule.data(world) if callable(rule.data) else (rule.data or {})
            with transaction.atomic():
                without = client.post(rule_url(rule, world), data)
                with_token = client.post(rule_url(rule, world), data, HTTP_X_CSRFTOKEN=token)
                transaction.set_rollback(True)
            posts.with_token += 1
            if not refused_for_csrf(without, exempt=False) or with_token.status_code != rule.status_for(role):
                posts.wrong_with_token.append(
                    f"{role} POST {name}: {without.status_code} without, {with_token.status_code} with"
                )


@pytest.fixture(scope="module")
def posts(django_db_setup, django_db_blocker):
    """Every post, made once in a transaction that is rolled back afterwards."""
    posts = Posts()
    with (
        Clock(),
        django_db_blocker.unblock(),
        override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.csrf_failure"),
        transaction.atomic(),
    ):
        world = matrix_world(make_world())
        _post_everywhere_without_a_token(world, posts)
        _post_the_matrix_with_a_token(world, posts)
        transaction.set_rollback(True)
    return posts


def test_every_view_that_skips_djangos_csrf_check_is_listed_with_a_reason():
    exempt = {endpoint.view for endpoint in endpoints() if getattr(endpoint.pattern.callback, "csrf_exempt", False)}
    assert exempt == set(EXEMPT), f"unlisted: {sorted(exempt - set(EXEMPT))}; no longer exempt: {set(EXEMPT) - exempt}"


def test_every_url_refuses_a_post_without_a_csrf_token(posts):
    print(f"CSRF: {posts.tried} posts to {posts.patterns} URL patterns, no token, {len(posts.not_refused)} got in")
    assert not posts.not_refused, "\n".join(posts.not_refused)
    assert posts.tried >= 2 * 400


def test_the_same_posts_with_a_token_reach_the_view(posts):
    """The refusals are the CSRF check's: with a token, each matrix POST gets the matrix's answer."""
    print(f"CSRF: {posts.with_token} matrix posts with and without a token, {len(posts.wrong_with_token)} wrong")
    assert not posts.wrong_with_token, "\n".join(posts.wrong_with_token)
    assert posts.with_token >= 20
