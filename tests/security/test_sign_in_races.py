"""The sign-in throttle under bursts, over HTTP against the live server (SQLite and PostgreSQL).

The counters are rows changed under a lock (``organisation.throttle``), so a burst is counted request by
request: colleagues behind one office address who type their right passwords at the same moment are never
refused, and a burst of wrong guesses at one account gets exactly ``LOGIN_THROTTLE_LIMIT`` of them evaluated.
"""

import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest

from tests.factories import PASSWORD, staff
from tests.learning.test_exam_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)

WRONG = "用户名或密码不正确"
LOCKED = "该账号已暂时锁定"


def sign_in_over_http(base: str, username: str, password: str) -> tuple[str, bool]:
    """Open the sign-in page and post the form as a browser would; the page's text and whether a session came back."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    with opener.open(f"{base}/accounts/login/") as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())[1]
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    request = urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers={"Referer": base})  # noqa: S310 - the live test server
    with opener.open(request) as answer:
        text = answer.read().decode()
    return text, any(cookie.name == "sessionid" for cookie in cookies)


@pytest.fixture
def costly_passwords(settings):
    """A real cost per password check, as in production, so requests overlap while passwords are checked."""
    settings.PASSWORD_HASHERS = ["tests.security.hashers.QuickPBKDF2PasswordHasher"]


def test_twenty_colleagues_signing_in_at_once_from_one_office_address_all_get_in(live_server, costly_passwords):
    people = [staff(f"bf-{n}").username for n in range(20)]

    results, errors = run_together(lambda n: sign_in_over_http(live_server.url, people[n], PASSWORD), count=20)

    assert errors == []
    assert [signed_in for _, signed_in in results] == [True] * 20


def test_forty_guesses_at_once_get_exactly_the_limit_evaluated(live_server, costly_passwords, settings):
    staff("bf-1")
    guesses = 40

    results, errors = run_together(lambda n: sign_in_over_http(live_server.url, "bf-1", f"guess-{n}"), count=guesses)

    assert errors == []
    texts = [text for text, _ in results]
    assert sum(WRONG in text for text in texts) == settings.LOGIN_THROTTLE_LIMIT
    assert sum(LOCKED in text for text in texts) == guesses - settings.LOGIN_THROTTLE_LIMIT
    assert LOCKED in sign_in_over_http(live_server.url, "bf-1", PASSWORD)[0]
