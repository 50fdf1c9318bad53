"""The main navigation on a phone: a menu button that opens the groups, holds the focus and closes on Escape."""

from playwright.sync_api import expect

from organisation import roles
from tests.browser.conftest import assert_accessible, login, nav_link
from tests.factories import PASSWORD, staff
from tests.learning.study_helpers import course_index


def focused_label(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def focus_inside_menu(page) -> bool:
    return page.evaluate(
        "(() => { const a = document.activeElement;"
        " return a.matches('[aria-controls=site-nav-panel]') || !!a.closest('#site-nav-panel'); })()"
    )


def test_the_phone_menu_opens_holds_the_focus_and_closes_on_escape(live_server, phone):
    course_index()
    staff("wang", real_name="王晓红", role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    login(phone, live_server.url, "wang", PASSWORD)
    phone.goto(live_server.url + "/me/record/")
    nav = phone.get_by_role("navigation", name="主导航")
    button = nav.get_by_role("button", name="菜单")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="法规库")).to_be_hidden()
    assert nav.locator(".site-nav__where").inner_text() == "学习"  # the current section, beside the button

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="学习档案")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="培训审核")).to_be_visible()
    assert_accessible(phone)

    # Tab walks through the menu and comes back round to the button; Shift+Tab goes the other way.
    links = nav.locator("#site-nav-panel a").count()
    seen = []
    for _ in range(links + 1):
        phone.keyboard.press("Tab")
        assert focus_inside_menu(phone), focused_label(phone)
        seen.append(focused_label(phone))
    assert seen[-1] == "菜单" and len(set(seen)) == links + 1
    phone.keyboard.press("Shift+Tab")
    assert focus_inside_menu(phone) and focused_label(phone) == seen[-2]

    phone.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="法规库")).to_be_hidden()
    assert phone.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-nav-panel"

    nav_link(phone, "法规库").click()
    phone.wait_for_url("**/laws/")
    # The menu page and the account page pass axe too (the no-script test below cannot run axe's script).
    phone.goto(live_server.url + "/menu/")
    assert_accessible(phone)
    phone.goto(live_server.url + "/me/account/")
    assert_accessible(phone)


def test_without_script_the_menu_link_leads_to_the_menu_page(live_server, browser):
    from tests.browser.conftest import PHONE

    staff("wang", real_name="王晓红")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server.url, "wang", PASSWORD)
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="菜单").click()
        page.wait_for_url("**/menu/")
        expect(page.get_by_role("heading", name="菜单", level=1)).to_be_visible()
        page.get_by_role("navigation", name="全部栏目").get_by_role("link", name="我的账户").click()
        expect(page.get_by_role("heading", name="我的账户", level=1)).to_be_visible()
    finally:
        context.close()
