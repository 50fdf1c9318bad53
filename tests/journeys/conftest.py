"""Browser journeys: one per person, each run at a phone and a desktop viewport, against the demo data.

The demo (``seed_demo``) is seeded once per test run at 09:00 on the suite's day (it lives in the year
it is seeded, around that day) and snapshotted; every journey starts from that snapshot with the
server's clock (time-machine) and each browser's clock (Playwright's) at ``JOURNEY_START``, and the
database goes back to the migrations' state afterwards, as for every other transactional test. A failing journey saves a
screenshot of each browser window it opened in tests/artifacts/.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
import time_machine
from playwright.sync_api import expect

from django.core.management import call_command
from django.db import connections

from demo.organisation import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, assert_accessible, chromium
from tests.clock import SUITE_NOW
from tests.journeys.snapshot import take_snapshot

JOURNEY_START = SUITE_NOW  # 10:00 on the suite's day
SEEDED_AT = JOURNEY_START - datetime.timedelta(hours=1)

_snapshots = {}

expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/journeys/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@dataclass
class DemoSite:
    url: str
    clock: time_machine.Traveller

    def advance(self, seconds: float) -> None:
        """Move the server's clock on (a browser's clock moves with ``page.clock``)."""
        self.clock.shift(datetime.timedelta(seconds=seconds))


@pytest.fixture
def demo_site(live_server, settings):
    """The live server on the seeded demo, its clock at JOURNEY_START and ticking."""
    connection = connections["default"]
    if "seeded" not in _snapshots:
        _snapshots["clean"] = take_snapshot(connection)
        with time_machine.travel(SEEDED_AT, tick=True):
            call_command("seed_demo", stdout=io.StringIO())
        _snapshots["seeded"] = take_snapshot(connection)
    else:
        _snapshots["seeded"].restore(connection)
    # The site's public address, as SITE_URL sets it in production: QR codes and feeds link to it.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    try:
        with time_machine.travel(JOURNEY_START, tick=True) as clock:
            yield DemoSite(url=live_server.url, clock=clock)
    finally:
        _snapshots["clean"].restore(connection)


@dataclass
class Journey:
    """Browser windows for the people in one journey, all at the same viewport."""

    browser: object
    site: DemoSite
    viewport_name: str
    pages: list = field(default_factory=list)
    signed_in: bool = False  # the sign-in form is checked once per journey

    @property
    def url(self) -> str:
        return self.site.url

    @property
    def is_phone(self) -> bool:
        return self.viewport_name == "phone"

    def window(self, username: str | None = None):
        """A new browser window with its own cookies (a person's own phone or computer), signed in as ``username``."""
        from django.utils import timezone

        phone = self.is_phone
        context = self.browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            base_url=self.url,
            accept_downloads=True,
        )
        context.clock.install(time=timezone.now())
        page = context.new_page()
        page.set_default_timeout(15_000)
        self.pages.append(page)
        if username:
            sign_in(page, username, check_form=not self.signed_in)
            self.signed_in = True
            assert_accessible(page)  # the person's own start page
        return page

    def screenshots(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(self.pages, start=1):
            if not page.is_closed():
                page.screenshot(path=str(ARTIFACTS / f"{name}-{number}.png"), full_page=True)


def sign_in(page, username: str, *, check_form: bool = False) -> None:
    """Open the site, press 登录 in the header and sign in with the demo password; back on the start page."""
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="登录").click()
    form = page.get_by_role("main").get_by_role("button", name="登录")
    expect(form).to_be_visible()
    if check_form:
        assert_accessible(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    form.click()
    page.wait_for_url(re.compile(r"^[^?]*/$"))


@pytest.fixture(params=["phone", "desktop"])
def journey(request, demo_site):
    """Chromium for one journey, started after the demo is in place and stopped before the database is reset.

    Playwright's sync API runs an event loop in this thread, and while it runs Django hands this thread
    a different database connection; the demo is restored on Django's own connection before it starts.
    """
    with chromium() as browser:
        journey = Journey(browser=browser, site=demo_site, viewport_name=request.param)
        yield journey
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            journey.screenshots(request.node.name)
