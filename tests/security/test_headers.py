"""Response headers: signed-in pages are never cached (``config.middleware.PrivatePagesMiddleware``)."""

import pytest

from tests.factories import staff

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = ["/me/record/", "/exams/", "/me/record/export.xlsx", "/me/notifications/", "/"]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_are_private_and_not_stored(client, path):
    client.force_login(staff("member"))
    response = client.get(path)
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_the_admin_is_private_and_not_stored(admin_client):
    directives = {part.strip() for part in admin_client.get("/admin/")["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_a_public_page_for_a_visitor_may_still_be_cached(client):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/search/?q=宪法", "/no-such-page/"])
def test_every_page_carries_the_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_the_signed_in_pages_and_the_admin_carry_it_too(client, admin_client):
    client.force_login(staff("member"))
    assert "default-src 'self'" in client.get("/me/record/")["Content-Security-Policy"]
    assert "default-src 'self'" in admin_client.get("/admin/")["Content-Security-Policy"]
