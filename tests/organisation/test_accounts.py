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
