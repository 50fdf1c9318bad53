"""Account pages. Signing in, its throttle and sessions are proven in tests/security/test_sign_in.py."""

import pytest

from tests.factories import PASSWORD, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return staff("member")


def test_password_change(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a-much-better-pass-42", "new_password2": "a-much-better-pass-42"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-much-better-pass-42")


def test_opening_the_sign_out_address_asks_to_confirm_and_signs_out_nobody(client, member):
    client.force_login(member)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert "确定要退出" in response.text
    assert 'method="post"' in response.text
    assert "_auth_user_id" in client.session  # still signed in: a link alone never signs anyone out

    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302


def test_a_visitor_opening_the_sign_out_address_goes_home(client):
    response = client.get("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
