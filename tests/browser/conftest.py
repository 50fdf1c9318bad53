"""Browser tests: Playwright for Python driving Debian's chromium, never a downloaded browser.

``make test`` installs /usr/bin/chromium from Debian's packages when it is missing. Each page a
journey visits is checked with axe-core; a failing test leaves a screenshot in tests/artifacts/.
"""

import contextlib
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# themselves are synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True)
def _site_address_is_the_live_server(request, settings):
    """The live server is the site's public address (organisation.addresses), as SITE_URL is under ``make run``:
    the links a page hands out (calendar feeds, QR codes) are fetched by the test like a phone would."""
    if "live_server" in request.fixturenames:
        settings.WAGTAILADMIN_BASE_URL = request.getfixturevalue("live_server").url


def pytest_collection_modifyitems(items):
    """Browser tests need a database whose transactions really commit, so the live server's thread
    sees them; serialized rollback puts back what the migrations created after each flush."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@contextlib.contextmanager
def chromium():
    """Playwright's driver and Debian's chromium, the browser started off faketime's clock.

    Under ``make test-clock`` the whole process tree runs on a moved wall clock; the browser is not part of
    what is proved (pages take the server's time, journeys set the browser's clock with ``page.clock``)
    and chromium's many threads crawl under libfaketime, so it starts without it. This process's own
    environment is left alone: libfaketime rereads it, and the live server's clock would jump back.
    """
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    unfaked = {name: value for name, value in os.environ.items() if name not in FAKETIME_VARIABLES}
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=unfaked)
        yield browser
        browser.close()
    finally:
        playwright.stop()


FAKETIME_VARIABLES = ("LD_PRELOAD", "FAKETIME", "DYLD_INSERT_LIBRARIES")


@pytest.fixture
def browser():
    """A fresh Playwright and chromium per test.

    Playwright's sync API runs an event loop in this thread, and while it runs Django hands this
    thread a different database connection; starting it after the test database is set up and
    stopping it before the flush keeps set-up, restore and flush on Django's own connection.
    """
    with chromium() as browser:
        yield browser


def _page(browser, request, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone(browser, request):
    yield from _page(browser, request, PHONE)


@pytest.fixture
def desktop(browser, request):
    yield from _page(browser, request, DESKTOP)


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def nav_link(page, name):
    """A link of the main navigation (主导航), opening the 菜单 first where it is folded away (a phone)."""
    nav = page.get_by_role("navigation", name="主导航")
    toggle = nav.get_by_role("button", name="菜单")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return nav.get_by_role("link", name=name)


def assert_accessible(page, *, known: tuple[tuple[str, str], ...] = ()) -> None:
    """No axe-core violation of serious or critical impact on the page as it is now.

    ``known`` lists (rule id, CSS selector) pairs to leave out: only for third-party markup we cannot
    change (Wagtail's admin), each with a comment at the call saying why.
    """
    from axe_playwright_python.sync_playwright import Axe

    # Colours are measured as they end up: let the page's scripts start their fade-ins (two frames after
    # load), then jump those and other finite animations to their end.
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.evaluate(
        "document.getAnimations().forEach(a => { if (a.effect.getComputedTiming().iterations !== Infinity)"
        " a.finish(); })"
    )
    results = Axe().run(page)
    serious = []
    for violation in results.response["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [
            node
            for node in violation["nodes"]
            if not any(rule == violation["id"] and selector in node["target"] for rule, selector in known)
        ]
        if nodes:
            serious.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                + "; ".join(_describe(node) for node in nodes[:3])
            )
    assert not serious, f"{page.url}\n" + "\n".join(serious)


def _describe(node) -> str:
    """The node's selector and axe's first finding about it (for contrast: the colours and the ratio)."""
    target = str(node["target"][0]) if node["target"] else ""
    findings = [check.get("message", "") for check in node.get("any", []) + node.get("all", []) if check.get("message")]
    return f"{target} ({findings[0]})" if findings else target
