"""Every view that takes a POST, with hostile form values: never a server error, and nothing changed.

The views come from the URL configuration itself (the permission matrix's rules, so a new view is
swept too), each posted to by one role the matrix lets through. Which fields a view reads is found
twice: the form its page shows (a first GET), and the keys the view looks up in ``request.POST`` while
it answers an empty post (a recording QueryDict), for the views that have no form of their own. Each
field then gets, alone, a word where a number belongs, twenty digits, a digit that is not ASCII, NUL,
two values for one key, 10,000 characters and control and right-to-left characters. Every case runs
in a transaction that is rolled back. A view that refuses the value (a re-rendered form, a 4xx) must have
written nothing: no INSERT, UPDATE or DELETE reached the database (the session table aside: signing out
and flash messages live there; and the throttle's counters: a refused hand-in of the public quiz still
counts against its address's hourly limit, as it must). A view may accept a value its field can hold
(a note may read "abc") and answer with a redirect.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.access import all_rules, project_url_names

pytestmark = pytest.mark.django_db

HOSTILE = {
    "a word for a number": "abc",
    "twenty digits": "9" * 20,  # past any database integer
    "superscript digit": "²",  # str.isdigit() says yes, int() says no
    "NUL": "\x00",
    "two values": ["1", "2"],
    "10,000 characters": "\u202e" + "宪法" * 5_000,
    "control and bidi characters": "\x1b\x07\u202e宪法\u200f\ufeff",
}
PREFERRED = ["admin", "oversight", "head", "publicity", "editor", "reviewer", "enforcer", "staff", "anonymous"]
WRITES = ("INSERT", "UPDATE", "DELETE")
BOOKKEEPING = ("django_session", "organisation_attemptcounter")  # sessions; the throttle's counters
ADMIN = "/admin/"  # the admin's screens are swept by test_hostile_admin_posts.py, all fields at once


class ReadKeys:
    """Notes the keys a view looks up in any QueryDict (request.POST among them) during one request."""

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


class PostedFields(HTMLParser):
    """The names of the fields inside the page's forms that post back to the page itself."""

    def __init__(self, path):
        super().__init__()
        self.path, self.inside, self.names = path, False, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.path).path
            self.inside = (attrs.get("method") or "").lower() == "post" and action == self.path
        elif self.inside and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _writes(queries) -> list[str]:
    return [
        query["sql"][:120]
        for query in queries
        if query["sql"].lstrip().upper().startswith(WRITES) and not any(table in query["sql"] for table in BOOKKEEPING)
    ]


def _allowed_role(rule) -> str | None:
    wanted = (200,) if rule.method == "get" else (200, 302)
    return next((role for role in PREFERRED if rule.status_for(role) in wanted), None)


def _outside_the_admin(url: str) -> bool:
    return not url.startswith(ADMIN)


def _targets(world, keep=_outside_the_admin):
    """(url name, url, role) once per project view whose url ``keep`` accepts (by default every one outside the
    admin), by a role that may use it; POST rules first."""
    ours = project_url_names()
    rules = sorted(all_rules(), key=lambda rule: rule.method != "post")
    targets, seen = [], set()
    for rule in rules:
        if rule.name in seen or rule.name not in ours or rule.method not in ("get", "post"):
            continue
        role = _allowed_role(rule)
        if role is None:
            continue
        seen.add(rule.name)
        kwargs = rule.kwargs(world) if callable(rule.kwargs) else rule.kwargs
        url = reverse(rule.name, kwargs=kwargs)
        if keep(url):
            targets.append((rule.name, url, role))
    return targets


def _post(client, url, data):
    """POST ``data`` in a transaction rolled back afterwards: the response and the writes it made."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response, _writes(queries.captured_queries)


def _fields(client, url, reads) -> set[str]:
    """The fields the view at ``url`` reads from a POST; empty when it takes no POST at all."""
    page = client.get(url)
    parser = PostedFields(urlsplit(url).path)
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        parser.feed(page.content.decode(errors="replace"))
    reads.keys.clear()
    response, _ = _post(client, url, {})
    if response.status_code == 405:
        return set()
    read = {key for key in reads.keys if isinstance(key, str)}
    return (parser.names | read) - {"csrfmiddlewaretoken"}


def test_no_view_fails_or_changes_anything_on_hostile_form_values(swept_world, monkeypatch, tally):
    client = Client(raise_request_exception=False)
    reads = ReadKeys(monkeypatch)
    failures = []
    for name, url, role in _targets(swept_world):
        user = swept_world.user(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        for field in sorted(_fields(client, url, reads)):
            for label, value in HOSTILE.items():
                response, writes = _post(client, url, {field: value})
                refused = not 300 <= response.status_code < 400
                failed = response.status_code >= 500 or (refused and bool(writes))
                tally.add(1, failed)
                if failed:
                    failures.append(f"{name} {url} {field}={label} → {response.status_code} {writes[:2]}")
                if user is not None and "_auth_user_id" not in client.session:  # signed out: sign in again
                    client.force_login(user)
    assert not failures, "\n".join(failures)


# The four 500s issue 15 found by hand, each now a Chinese message or a re-rendered form and nothing stored.


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_a_calendar_feed_for_department_abc_is_refused_with_a_message(world, client):
    from campaigns.models import CalendarFeed

    response = _signed_in(client, world.user("oversight")).post("/campaigns/subscribe/new/", {"department": "abc"})
    assert response.status_code == 302
    assert "所选部门不存在" in client.get(response.url).content.decode()
    assert not CalendarFeed.objects.exists()


def test_practice_of_set_abc_is_refused_with_a_message(world, client):
    from learning.exams.models import PracticeSession

    response = _signed_in(client, world.user("staff")).post("/practice/start/", {"kind": "set", "set": "abc"})
    assert response.status_code == 302
    assert "所选练习题集不存在" in client.get(response.url).content.decode()
    response = client.post("/practice/start/", {"kind": "domain", "domain": "9" * 20})
    assert "所选法律领域不存在" in client.get(response.url).content.decode()
    assert not PracticeSession.objects.exists()


def test_marking_notification_twenty_digits_read_marks_nothing(world, client):
    from organisation.models import Notification
    from organisation.notifications import notify

    notify(user=world.user("staff"), key="k", kind="info", title="通知")
    response = _signed_in(client, world.user("staff")).post("/me/notifications/read/", {"id": "9" * 20})
    assert response.status_code == 302
    assert Notification.objects.get().read_at is None


def test_a_group_session_with_twenty_digit_values_re_renders_the_form(world, client):
    from learning.study.models import GroupStudySession

    digits = "9" * 20
    fields = ["kind", "topic", "starts_at", "ends_at", "place", "credit_hours", "invited_departments", "invited_people"]
    response = _signed_in(client, world.user("head")).post("/study/organise/new/", dict.fromkeys(fields, digits))
    assert response.status_code == 200
    assert f"“{digits}”不是一个有效的值" in response.content.decode()  # the departments and the people invited
    assert not GroupStudySession.objects.exists()
