"""Signing in: the throttle, forged client addresses, session rotation and deactivated accounts.

The throttle counts failures per account and per client address (``organisation.security``).
The address is REMOTE_ADDR, or with ``TRUSTED_PROXY_COUNT`` = n the n-th entry from the right of
X-Forwarded-For, the one our own proxy appended; whatever the client writes further left is
ignored. Each test runs with no proxy (0) and behind one proxy (1).
"""

import threading

import pytest

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from tests.factories import PASSWORD, staff

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


def test_one_address_guessing_many_accounts_is_locked_out_whatever_it_forges(client, settings, proxies):
    staff("someone")
    for n in range(settings.LOGIN_THROTTLE_LIMIT):
        headers = request_from(ATTACKER, proxies=proxies, forged=f"203.0.113.{n}")
        assert WRONG in sign_in(client, f"nobody{n}", "wrong", **headers)
    forged_as_colleague = request_from(ATTACKER, proxies=proxies, forged=COLLEAGUE)
    assert THROTTLED in sign_in(client, "someone", PASSWORD, **forged_as_colleague)
    # The colleague's own address was never blamed for the attacker's guesses.
    colleague = Client()
    sign_in(colleague, "someone", PASSWORD, **request_from(COLLEAGUE, proxies=proxies, forged=ATTACKER))
    assert SESSION_KEY in colleague.session


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


@pytest.mark.django_db(transaction=True)
def test_many_guesses_sent_at_once_get_no_more_tries_than_the_limit(settings):
    """The count is taken before the (slow) password check, so parallel guesses cannot all slip through."""
    settings.PASSWORD_HASHERS = ["tests.security.hashers.QuickPBKDF2PasswordHasher"]  # a real cost per guess
    staff("member")
    guesses = settings.LOGIN_THROTTLE_LIMIT * 3
    barrier = threading.Barrier(guesses)
    answers = []

    def guess(n):
        try:
            client = Client(REMOTE_ADDR=f"203.0.113.{n}")
            barrier.wait()
            answers.append(sign_in(client, "member", f"guess-{n}"))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == guesses
    assert sum(WRONG in answer for answer in answers) == settings.LOGIN_THROTTLE_LIMIT
    assert sum(THROTTLED in answer for answer in answers) == guesses - settings.LOGIN_THROTTLE_LIMIT
    assert THROTTLED in sign_in(Client(), "member", PASSWORD)


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


def test_a_deactivated_account_is_signed_out_everywhere_at_once(member):
    phone, desktop = Client(), Client()
    for device in (phone, desktop):
        sign_in(device, "member", PASSWORD)
        assert device.get("/me/record/").status_code == 200
    assert Session.objects.count() == 2

    member.is_active = False
    member.save()

    assert Session.objects.count() == 0
    for device in (phone, desktop):
        response = device.get("/me/record/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # Turning the account on again does not bring the old sessions back.
    member.is_active = True
    member.save()
    assert phone.get("/me/record/").status_code == 302


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
