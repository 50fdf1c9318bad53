from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.factories import PASSWORD, staff


def test_visitor_sees_the_public_home_and_can_sign_in(live_server, phone):
    staff("wang", real_name="王晓红")
    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    expect(phone.get_by_role("searchbox")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="登录").click()
    assert_accessible(phone)
    login(phone, live_server.url, "wang", PASSWORD)
    expect(phone.get_by_role("heading", name="我的学习")).to_be_visible()
    expect(phone.get_by_text("王晓红").first).to_be_visible()
    assert_accessible(phone)


def test_a_wrong_password_is_explained_in_chinese(live_server, desktop):
    staff("wang")
    login(desktop, live_server.url, "wang", "not-the-password")
    expect(desktop.get_by_text("用户名或密码不正确")).to_be_visible()
    assert_accessible(desktop)
