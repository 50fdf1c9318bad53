"""demo-committee (法治办) finds who in 执法队 is behind and downloads the year; the spreadsheet names the
same people."""

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, nav_link
from tests.clock import SUITE_YEAR

DEPARTMENT = "文化市场综合行政执法队"


def test_the_committee_finds_who_is_behind_in_a_department_and_the_download_names_the_same_people(journey):
    page = journey.window("demo-committee")
    nav_link(page, "法治督查").click()
    expect(page.get_by_role("heading", name=f"{SUITE_YEAR} 年度学法情况")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("处室", exact=True).select_option(label=DEPARTMENT)
    page.get_by_role("button", name="查看", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"{DEPARTMENT}（含下属单位）").first).to_be_visible()
    behind = page.get_by_role("region", name=re.compile(r"^进度落后人员（\d+ 人）$"))
    count = int(re.search(r"（(\d+) 人）", behind.get_by_role("heading").inner_text()).group(1))
    assert count > 0
    assert_accessible(page)

    # The year as a spreadsheet, for the department chosen.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载全年数据（Excel）").click()
    assert download.value.suggested_filename == f"oversight-{SUITE_YEAR}.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    rows = book["人员学法情况"].iter_rows(values_only=True)
    header = list(next(rows))
    sheet = [dict(zip(header, row, strict=True)) for row in rows]
    assert {row["处室"] for row in sheet} == {DEPARTMENT}  # the download follows the department filter

    # The whole list, each person with what exactly they miss: the same people as the spreadsheet.
    behind.get_by_role("link", name="查看全部").click()
    listing = page.get_by_role("list", name=f"人员学法情况，共 {count} 人")
    expect(listing.get_by_role("listitem")).to_have_count(count)
    people = {}
    for person in listing.get_by_role("listitem").all():
        name = person.get_by_role("link").inner_text()
        assert "落后" in person.inner_text()
        people[name] = person.get_by_role("paragraph").last.inner_text()
    assert {row["姓名"]: row["欠缺事项"] for row in sheet if row["状态"] == "落后"} == people
    assert_accessible(page)

    # One of them, opened from the list: the record says the same.
    name, missing = next(iter(people.items()))
    listing.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=f"{name}的学习档案")).to_be_visible()
    target = page.get_by_role("region", name=f"{SUITE_YEAR} 年度学法目标")
    expect(target.get_by_text(missing, exact=False)).to_be_visible()
    assert_accessible(page)
