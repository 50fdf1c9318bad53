"""Every demo account, on a small phone (375×812), reaches every destination of its main menu by tapping.

The menu each role is shown is the one tests/organisation/test_navigation.py pins by role; here each link is
tapped as a person would: open 菜单, tap, the page loads with a heading and is no error page, go back. axe runs
once per destination, not once per role, so the walk through all nine roles stays short.
"""

import re

from playwright.sync_api import expect

from demo.organisation import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.access import ROLES
from tests.browser.conftest import ARTIFACTS, assert_accessible, chromium, login, nav_link
from tests.organisation.test_navigation import SEES

SMALL_PHONE = {"width": 375, "height": 812}
ACCOUNTS = {
    "anonymous": None,
    "staff": "demo-staff",
    "enforcer": "demo-enforcer",
    "head": "demo-head",
    "oversight": "demo-committee",
    "publicity": "demo-publicity",
    "editor": "demo-editor",
    "reviewer": "demo-reviewer",
    "admin": "admin",
}
ERROR_HEADINGS = re.compile("页面不存在|无权访问|无法完成操作|请求无效|系统出错|Page not found|Server Error|Forbidden")
# Wagtail's own admin markup, which we cannot change (as in test_publishing): none known on these pages today.
WAGTAIL_KNOWN: tuple[tuple[str, str], ...] = ()


def test_the_demo_accounts_cover_every_role():
    assert list(ACCOUNTS) == ROLES
    assert {username for username in ACCOUNTS.values() if username} == {row[0] for row in DEMO_ACCOUNTS} | {"admin"}


def menu_labels(role: str) -> list[str]:
    """What the role's main menu holds, in order: the pinned 通知 beside the button once signed in, then the groups."""
    labels = [label for _, group in SEES[role] for label in group]
    return labels if role == "anonymous" else ["通知", *labels]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def tap_and_check(page, label: str, checked: set[str]) -> str:
    """Tap ``label`` in the main menu; the page it opens has a heading and is not an error. Returns its path."""
    link = nav_link(page, label)  # tap() waits until the link is visible in the opened menu
    # The page is there once its document is (nav.js is deferred, so the menu works by then); axe waits for the rest.
    with page.expect_navigation(wait_until="domcontentloaded") as navigation:
        link.tap()
    response = navigation.value
    assert response is not None and response.ok, (label, response and response.status)
    heading = page.get_by_role("heading").first
    expect(heading).to_be_visible()
    expect(page.get_by_role("heading", name=ERROR_HEADINGS)).to_have_count(0)
    path = path_of(page.url)
    if path not in checked:
        checked.add(path)
        assert_accessible(page, known=WAGTAIL_KNOWN if path.startswith("/admin/") else ())
    return path


def test_every_role_taps_every_link_of_its_menu_on_a_small_phone(demo_site):
    checked: set[str] = set()
    with chromium() as browser:
        for role, username in ACCOUNTS.items():
            context = browser.new_context(
                viewport=SMALL_PHONE,
                is_mobile=True,
                has_touch=True,
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
                base_url=demo_site.url,
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            try:
                if username:
                    login(page, demo_site.url, username, DEMO_PASSWORD)
                    # The person's name in the header opens 我的账户, where each walk through the menu comes back to.
                    page.get_by_role("banner").locator(".site-header__user").tap()
                    page.wait_for_url("**/me/account/")
                    expect(page.get_by_role("heading", name="我的账户", level=1)).to_be_visible()
                else:
                    page.goto("/accounts/login/")
                start = page.url
                if path_of(start) not in checked:
                    checked.add(path_of(start))
                    assert_accessible(page)
                nav = page.get_by_role("navigation", name="主导航")
                nav.get_by_role("button", name="菜单").tap()
                # Each link's own words, before any badge (未读 3, a count of tasks).
                texts = nav.locator(".site-nav__pinned, #site-nav-panel a").evaluate_all(
                    "links => links.map(link => link.firstChild.textContent.trim())"
                )
                assert texts == menu_labels(role), role
                page.keyboard.press("Escape")
                for label in texts:
                    tap_and_check(page, label, checked)
                    page.go_back(wait_until="domcontentloaded")
                    expect(page).to_have_url(start)
            except Exception:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"phone-menu-{role}.png"), full_page=True)
                raise
            finally:
                context.close()
    assert {"/me/account/", "/me/notifications/"} <= checked
