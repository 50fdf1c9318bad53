"""A visitor reads a revised law on a phone: what changed, the earlier version at its own address, and back."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_public_site import assert_fits
from tests.website.law_versions import HERITAGE_2017, HERITAGE_2024
from website.lawfiles import official_law_read
from website.services import law_import, law_import_plan


def test_a_visitor_reads_what_a_revision_changed_and_the_earlier_version_on_a_phone(live_server, phone):
    for text in (HERITAGE_2017, HERITAGE_2024):
        page = law_import(plan=law_import_plan(law=official_law_read(text)), publish=True).page
    phone.goto(live_server.url + page.url + "#第三条")
    expect(phone.get_by_role("heading", name="历次版本")).to_be_visible()
    expect(phone.locator('[id="第三条"]').get_by_text("原第四条，本条于 2024 年修订")).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    phone.get_by_role("link", name="2017年修正").click()
    expect(phone.get_by_role("note")).to_contain_text("这是本法 2017年修正的文本，已被 2024年修订的文本取代")
    expect(phone.locator('[id="第一条"]')).to_contain_text("继承中华民族优秀的历史文化遗产")
    assert phone.url.endswith("/2017-11-04/")
    assert_accessible(phone)
    assert_fits(phone)

    phone.get_by_role("link", name="查看现行文本").click()
    expect(phone.locator('[id="第一条"]')).to_contain_text("传承中华民族优秀历史文化遗产")
