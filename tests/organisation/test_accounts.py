import pytest

from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return staff("member")


def sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_sign_in_rotates_the_session_id(client, member):
    client.get("/accounts/login/")
    client.session["probe"] = 1
    before = client.session.session_key
    response = sign_in(client, "member", PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(member.pk)


def test_repeated_failures_lock_the_account_for_a_while(client, member, settings):
    for _ in range(settings.LOGIN_THROTTLE_LIMIT):
        assert "用户名或密码不正确" in sign_in(client, "member", "wrong").content.decode()
    response = sign_in(client, "member", PASSWORD)
    assert "登录失败次数过多" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_forged_forwarded_for_does_not_reset_the_count(client, member, settings):
    for n in range(settings.LOGIN_THROTTLE_LIMIT):
        sign_in(client, "member", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = sign_in(client, "member", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert "登录失败次数过多" in response.content.decode()


def test_one_address_trying_many_accounts_is_throttled(client, settings, db):
    for n in range(settings.LOGIN_THROTTLE_LIMIT):
        sign_in(client, f"nobody{n}", "wrong")
    staff("someone")
    assert "登录失败次数过多" in sign_in(client, "someone", PASSWORD).content.decode()


def test_the_admin_login_is_throttled_too(client, member, settings):
    for _ in range(settings.LOGIN_THROTTLE_LIMIT):
        client.post("/admin/login/", {"username": "member", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "member", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()


def test_a_deactivated_account_loses_its_sessions(client, member):
    sign_in(client, "member", PASSWORD)
    assert client.get("/accounts/password/").status_code == 200
    member.is_active = False
    member.save()
    assert client.get("/accounts/password/").status_code == 302


def test_logout_needs_a_post_with_csrf(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post("/accounts/logout/").status_code == 403
    assert strict.get("/accounts/logout/").status_code == 405


def test_password_change(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a-much-better-pass-42", "new_password2": "a-much-better-pass-42"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-much-better-pass-42")
