"""Signing in: the throttle, forged client addresses, session rotation and deactivated accounts.

The throttle locks an account and slows an address (``organisation.security``); bursts over HTTP are in
test_sign_in_races.py.
The address is REMOTE_ADDR, or with ``TRUSTED_PROXY_COUNT`` = n the n-th entry from the right of
X-Forwarded-For, the one our own proxy appended; whatever the client writes further left is
ignored. Each test runs with no proxy (0) and behind one proxy (1).
"""

import datetime

import pytest

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from organisation.services import staff_import
from tests.clock import on
from tests.factories import PASSWORD, staff
from tests.organisation.test_staff_import import xlsx

pytestmark = pytest.mark.django_db

WRONG = "用户名或密码不正确"
THROTTLED = "登录失败次数过多"
ATTACKER, COLLEAGUE = "198.51.100.7", "198.51.100.8"


def request_from(address, *, proxies, forged):
    """What reaches Django when a client at ``address`` sends ``X-Forwarded-For: forged``."""
    if proxies == 0:
        return {"REMOTE_ADDR": address, "HTTP_X_FORWARDED_FOR": forged}
    # Our proxy appends the address it saw and connects from its own address.
    return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": f"{forged}, {address}"}


def sign_in(client, username, password, path="/accounts/login/", **extra):
    return client.post(path, {"username": username, "password": password}, **extra).content.decode()


@pytest.fixture(params=[0, 1], ids=["no proxy", "one proxy"])
def proxies(request, settings):
    settings.TRUSTED_PROXY_COUNT = request.param
    return request.param


@pytest.fixture
def member(db):
    return staff("member")


def test_repeated_failures_lock_the_account_however_the_forwarded_for_is_forged(client, member, settings, proxies):
    for n in range(settings.LOGIN_THROTTLE_LIMIT):
        headers = request_from(ATTACKER, proxies=proxies, forged=f"203.0.113.{n}")
        assert WRONG in sign_in(client, "member", "wrong", **headers)
    # The right password, a fresh forged address, even a different real one: still locked.
    for address in (ATTACKER, COLLEAGUE):
        headers = request_from(address, proxies=proxies, forged="203.0.113.99")
        assert THROTTLED in sign_in(Client(), "member", PASSWORD, **headers)
    assert SESSION_KEY not in client.session


def test_an_address_with_many_failures_is_slowed_not_locked_whatever_it_forges(settings, proxies, clock):
    settings.LOGIN_ADDRESS_LIMIT, settings.LOGIN_ADDRESS_DELAY = 3, 5
    staff("someone"), staff("colleague")
    for n in range(settings.LOGIN_ADDRESS_LIMIT):
        headers = request_from(ATTACKER, proxies=proxies, forged=f"203.0.113.{n}")
        assert WRONG in sign_in(Client(), f"nobody{n}", "wrong", **headers)
    from_the_office = request_from(ATTACKER, proxies=proxies, forged=COLLEAGUE)
    # One attempt per LOGIN_ADDRESS_DELAY seconds is still evaluated: a right password gets in ...
    first = Client()
    sign_in(first, "someone", PASSWORD, **from_the_office)
    assert SESSION_KEY in first.session
    # ... the next one within the delay is asked to wait, with the seconds to wait ...
    assert "您所在网络的登录失败次数过多，请 5 秒后再试" in sign_in(Client(), "colleague", PASSWORD, **from_the_office)
    # ... and gets in once they have passed.
    clock.shift(datetime.timedelta(seconds=5))
    second = Client()
    sign_in(second, "colleague", PASSWORD, **from_the_office)
    assert SESSION_KEY in second.session
    # The colleague's own address was never blamed for the attacker's guesses.
    elsewhere = Client()
    sign_in(elsewhere, "someone", PASSWORD, **request_from(COLLEAGUE, proxies=proxies, forged=ATTACKER))
    assert SESSION_KEY in elsewhere.session


def test_right_passwords_from_one_address_never_count_against_it(settings):
    people = [staff(f"bf-{n}") for n in range(settings.LOGIN_ADDRESS_LIMIT + 5)]
    for person in people:
        office = Client(REMOTE_ADDR=ATTACKER)
        sign_in(office, person.username, PASSWORD)
        assert SESSION_KEY in office.session


@pytest.mark.parametrize("look_alike", ["ｂｆ-1", "bf－1", "bf-１", " BF-1 "])
def test_look_alike_spellings_of_a_username_count_against_the_same_lock(client, settings, look_alike):
    staff("bf-1")
    for _ in range(settings.LOGIN_THROTTLE_LIMIT):
        assert WRONG in sign_in(Client(), "bf-1", "wrong")
    assert THROTTLED in sign_in(client, look_alike, PASSWORD)
    assert SESSION_KEY not in client.session


def test_a_post_without_a_password_does_not_clear_the_lock(client, member, settings):
    for _ in range(settings.LOGIN_THROTTLE_LIMIT):
        sign_in(client, "member", "wrong")
    client.post("/accounts/login/", {"username": "member", "password": ""})
    assert THROTTLED in sign_in(client, "member", PASSWORD)


def test_signing_in_to_ones_own_account_does_not_reset_the_count_on_another(client, member, settings):
    staff("attacker")
    for _ in range(settings.LOGIN_THROTTLE_LIMIT - 1):
        sign_in(Client(REMOTE_ADDR=ATTACKER), "member", "wrong")
    sign_in(Client(REMOTE_ADDR=ATTACKER), "attacker", PASSWORD)
    assert WRONG in sign_in(Client(REMOTE_ADDR=COLLEAGUE), "member", "wrong")
    assert THROTTLED in sign_in(Client(REMOTE_ADDR=COLLEAGUE), "member", PASSWORD)


def test_the_admin_login_shares_the_count(client, member, settings):
    for _ in range(settings.LOGIN_THROTTLE_LIMIT):
        sign_in(client, "member", "wrong", path="/admin/login/")
    assert THROTTLED in sign_in(client, "member", PASSWORD, path="/admin/login/")
    assert THROTTLED in sign_in(client, "member", PASSWORD)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_signing_in_gives_a_new_session_id(client, member, path):
    client.get(path)
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    assert client.post(path, {"username": "member", "password": PASSWORD}).status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(member.pk)
    assert not Session.objects.filter(session_key=before).exists()


def switch_off_by_saving(user, admin):
    user.is_active = False
    user.save()


def switch_off_with_wagtails_bulk_action(user, admin):
    office = Client()
    office.force_login(admin)
    url = f"/admin/bulk/auth/user/set_active_state/?id={user.pk}"
    assert office.post(url, {"mark_as_active": "False"}).status_code == 302


def switch_off_with_a_queryset_update(user, admin):
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)


def switch_off_by_importing_the_staff_list_with_a_leaving_date(user, admin):
    profile = user.staff_profile
    row = [profile.employee_no, profile.real_name, profile.department.name, "", "否", "", "", on(11, 30).isoformat()]
    report = staff_import(fileobj=xlsx([row]))
    assert report.ok, report.errors


@pytest.mark.parametrize(
    "switch_off",
    [
        switch_off_by_saving,
        switch_off_with_wagtails_bulk_action,
        switch_off_with_a_queryset_update,
        switch_off_by_importing_the_staff_list_with_a_leaving_date,
    ],
    ids=["single edit", "wagtail bulk action", "queryset update", "staff import"],
)
def test_switching_an_account_off_ends_its_sessions_for_good(member, switch_off):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    phone, desktop = Client(), Client()
    for device in (phone, desktop):
        sign_in(device, "member", PASSWORD)
        assert device.get("/me/record/").status_code == 200

    switch_off(member, admin)

    member.refresh_from_db()
    assert not member.is_active
    assert_signed_out(desktop)
    # Turned on again, the account does not bring back a session that was signed in before.
    get_user_model().objects.filter(pk=member.pk).update(is_active=True)
    assert_signed_out(phone)
    assert_signed_out(desktop)
    fresh = Client()
    sign_in(fresh, "member", PASSWORD)
    assert fresh.get("/me/record/").status_code == 200


def test_a_session_signed_in_after_reactivation_survives_the_next_edit(member):
    member.is_active = False
    member.save()
    member.is_active = True
    member.save()
    sign_in(client := Client(), "member", PASSWORD)
    member.first_name = "三"
    member.save()  # saving an active account is not switching it off
    assert client.get("/me/record/").status_code == 200


def assert_signed_out(device):
    response = device.get("/me/record/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_deactivated_account_cannot_sign_in(client, member):
    member.is_active = False
    member.save()
    assert WRONG in sign_in(client, "member", PASSWORD)
    assert SESSION_KEY not in client.session


def test_signing_out_needs_a_post_with_a_csrf_token(member):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post("/accounts/logout/").status_code == 403
    opened = strict.get("/accounts/logout/")  # a link or a typed address only asks to confirm
    assert opened.status_code == 200
    assert 'method="post"' in opened.text
    assert "csrfmiddlewaretoken" in opened.text
    assert strict.get("/me/record/").status_code == 200  # still signed in after both


ELSEWHERE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_signing_in_never_sends_one_to_another_site(client, member, target):
    response = client.post("/accounts/login/", {"username": "member", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
