"""The party committee on a phone: opens the dashboard, finds who is behind in 执法队, downloads the year."""

import io
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from django.core.management import call_command
from django.utils import timezone

from oversight.figures import year_figures
from oversight.years import working_year
from tests.browser.conftest import assert_accessible, login, nav_link


def test_the_committee_finds_who_is_behind_and_downloads_the_year(live_server, phone):
    call_command("seed_demo", stdout=io.StringIO())
    year = working_year(timezone.localdate())  # the demo's year: it has no earlier year to report on
    login(phone, live_server.url, "demo-committee", "demo-pass-2026")

    nav_link(phone, "法治督查").click()
    expect(phone.get_by_role("heading", name=f"{year} 年度学法情况")).to_be_visible()
    expect(phone.get_by_role("heading", name="各处室完成情况")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_label("处室", exact=True).select_option(label="文化市场综合行政执法队")
    phone.get_by_role("button", name="查看", exact=True).click()
    expect(phone.get_by_text("文化市场综合行政执法队（含下属单位）").first).to_be_visible()
    behind = phone.locator("section", has=phone.get_by_role("heading", name="进度落后人员", exact=False))
    # The dashboard names each person behind with exactly what they miss, as the figures have it.
    figures = year_figures(year=year)
    people = figures.people
    first = people[(people["department"] == "文化市场综合行政执法队") & (people["status"] == "落后")].iloc[0]
    expect(behind.get_by_role("link", name=first["name"])).to_be_visible()
    expect(behind.get_by_text(first["missing"])).to_be_visible()
    assert_accessible(phone)

    behind.get_by_role("link", name=first["name"]).click()
    expect(phone.get_by_role("heading", name=f"{first['name']}的学习档案")).to_be_visible()
    expect(phone.get_by_role("heading", name=f"{year} 年度学法目标")).to_be_visible()
    assert_accessible(phone)
    phone.go_back()

    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载全年数据（Excel）").click()
    assert download.value.suggested_filename == f"oversight-{year}.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "人员学法情况" in book.sheetnames and "责任书考核" in book.sheetnames
    sheet = book["人员学法情况"]
    header = [cell.value for cell in sheet[1]]
    people = {row[header.index("姓名")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert people[first["name"]][header.index("状态")] == "落后"
    assert "王晓红" not in people  # the download follows the department filter

    with phone.expect_download() as download:
        phone.get_by_role("link", name="年度报告（Word）").click()
    assert download.value.suggested_filename == f"annual-report-{year}.docx"
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert f"{year}年度法治政府建设工作报告" in text and "共组织集中学法" in text
    assert len(document.tables) >= 2

    phone.get_by_role("link", name="预览年度报告").click()
    expect(phone.get_by_role("heading", name=f"{year}年度法治政府建设工作报告")).to_be_visible()
    assert_accessible(phone)
