"""The year's .xlsx and CSV: the sheets, their numbers, and cells that a spreadsheet must never run."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from organisation import roles
from tests.factories import UserFactory
from tests.oversight import helpers as h
from tests.spreadsheets import assert_layout, column, render

pytestmark = [pytest.mark.django_db, pytest.mark.clock(h.NOW, tick=False)]

SHEET_NAMES = [
    "概况",
    "人员学法情况",
    "处室汇总",
    "集中学法出勤",
    "必修课程完成",
    "月度学时",
    "考试汇总",
    "考试成绩",
    "普法活动",
    "责任书考核",
]


@pytest.fixture
def committee(bureau):
    return UserFactory(username="committee", roles=[roles.OVERSIGHT])


def workbook(client, **params):
    response = client.get(reverse("oversight:export_xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f"oversight-{h.YEAR}.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_workbook_has_one_sheet_per_view_of_the_year(client, committee, bureau):
    client.force_login(committee)
    book = workbook(client)
    assert book.sheetnames == SHEET_NAMES
    people = {row["姓名"]: row for row in rows(book["人员学法情况"])}
    assert set(people) == {"甲", "乙", "丙", "队长", "丁", "戊"}
    assert people["乙"]["目标学时"] == 60 and people["乙"]["已完成学时"] == 40 and people["乙"]["差额学时"] == 20
    assert people["乙"]["状态"] == "落后" and people["乙"]["未完成课程"] == "执法实务"
    assert people["丁"]["在岗月数"] == 6 and people["丁"]["目标学时"] == 20
    assert people["甲"]["执法人员"] == "是"
    departments = {row["处室/单位"]: row for row in rows(book["处室汇总"])}
    assert departments["执法队"]["目标达标率（%）"] == 75
    assert departments["空处室"]["在岗人数"] == 0 and departments["空处室"]["目标达标率（%）"] is None
    march, december = rows(book["集中学法出勤"])
    assert (march["应到"], march["实到"], march["请假"], march["缺席"], march["出勤率（%）"]) == (5, 2, 1, 2, 40)
    assert december["状态"] == "未开始" and december["应到"] is None
    courses = {row["课程"]: row for row in rows(book["必修课程完成"])}
    assert courses["执法实务"]["逾期未完成人数"] == 1
    months = rows(book["月度学时"])
    assert months[-1]["累计学时"] == 172
    scores = {row["姓名"]: row for row in rows(book["考试成绩"])}
    exam = h.EXAM
    assert (scores["乙"][f"{exam}｜结果"], scores["乙"][f"{exam}｜得分率（%）"]) == ("不合格", 40)
    assert (scores["甲"][f"{exam}｜结果"], scores["甲"][f"{exam}｜得分率（%）"]) == ("合格", 80)
    assert (scores["丁"][f"{exam}｜结果"], scores["丁"][f"{exam}｜得分率（%）"]) == ("未参考", None)
    events = rows(book["普法活动"])
    assert [row["场次"] for row in events] == ["旅游日咨询", "宪法进社区", "宪法进景区"]
    assert sum(row["参与人数"] for row in events) == 260 and sum(row["线上覆盖（人次）"] for row in events) == 1500
    summary = {row["项目"]: row["数值"] for row in rows(book["概况"])}
    assert summary["普法活动场次（已填报成效）"] == 3 and summary["参与群众（人次）"] == 260
    letters = rows(book["责任书考核"])
    total = next(row for row in letters if row["处室/单位"] == "执法队" and row["考核内容"] == "合计")
    assert total["得分"] == 57.5 and total["分值"] == 100
    unscored = next(row for row in letters if row["处室/单位"] == "空处室" and row["考核内容"] == "学时达标")
    assert unscored["实际值"] is None and unscored["得分"] is None


def test_cells_that_look_like_formulas_are_stored_as_text(client, committee, bureau):
    enforcement = bureau["departments"]["执法队"]
    names = ['=HYPERLINK("http://evil","点我")', "+86 12345", "-1+1", "@SUM(A1)"]
    for number, name in enumerate(names):
        h.person(f"formula{number}", department=enforcement, real_name=name)
    client.force_login(committee)
    sheet = workbook(client)["人员学法情况"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("姓名")
    cells = {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}
    for name in names:
        assert cells[name].data_type == "s", name  # a string, never a formula ("f")
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_no_sheet_holds_a_formula_whatever_people_typed_into_titles_and_names(client, committee, bureau):
    """Department, session, course, exam, campaign and event titles also reach the workbook (the exam's
    even as a column heading): every such cell is text, in every sheet and in every CSV."""
    from tests.campaigns.helpers import campaign, event
    from tests.learning.exam_helpers import make_exam
    from tests.learning.study_helpers import make_course, make_session
    from tests.oversight.conftest import outcome

    hostile = '=HYPERLINK("http://evil","x")'
    department = bureau["departments"]["空处室"]
    department.name = "+" + department.name
    department.save()
    session = make_session(bureau["head"], starts_at=h.at(4, 1), topic=hostile)
    session.place = "@会议室"
    session.save()
    make_course("-1+1", lessons=1, is_required=True, assign_everyone=True)
    make_exam(title="=1+1", opens_at=h.at(11, 1), closes_at=h.at(11, 2))
    held = campaign(lead=bureau["departments"]["执法队"], status="approved", title="@SUM(A1)")
    outcome(event(held, starts_at=h.at(4, 2), title=hostile), 10, 0, 0)
    client.force_login(committee)
    book = workbook(client)
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    for value in (hostile, "@会议室", "-1+1", "=1+1｜结果", "@SUM(A1)", "+空处室"):
        assert any(text.lstrip("　").startswith(value) for text in texts), value
    from oversight.exports import SHEETS

    for slug in SHEETS:
        content = client.get(reverse("oversight:export_csv", args=[slug])).content.decode("utf-8").lstrip("\ufeff")
        for row in csv.reader(io.StringIO(content)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), (slug, cell)


def test_the_export_follows_the_dashboard_filters(client, committee, bureau):
    client.force_login(committee)
    book = workbook(client, department=bureau["departments"]["执法队"].pk, role="执法人员")
    assert {row["姓名"] for row in rows(book["人员学法情况"])} == {"甲", "乙"}
    summary = {row["项目"]: row["数值"] for row in rows(book["概况"])}
    assert summary["范围"] == "执法队（含下属单位） · 执法人员" and summary["在岗人数"] == 2
    assert rows(book["责任书考核"]) == []  # letters are about whole departments, not a role


def test_a_head_exports_only_their_department(client, bureau):
    client.force_login(bureau["head"])
    names = {row["姓名"] for row in rows(workbook(client)["人员学法情况"])}
    assert names == {"甲", "乙", "丙", "队长"}


def test_csv_sheets_open_in_excel_and_escape_formulas(client, committee, bureau):
    h.person("formula", department=bureau["departments"]["执法队"], real_name="=1+2")
    client.force_login(committee)
    response = client.get(reverse("oversight:export_csv", args=["people"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    names = {row["姓名"] for row in table}
    assert "'=1+2" in names and "=1+2" not in names
    assert {row["姓名"]: row["状态"] for row in table}["乙"] == "落后"
    departments = client.get(reverse("oversight:export_csv", args=["departments"])).content.decode("utf-8")
    assert "执法队" in departments and "空处室" in departments


def test_the_export_runs_a_fixed_number_of_queries(client, committee, bureau, django_assert_max_num_queries):
    client.force_login(committee)
    with django_assert_max_num_queries(34):
        client.get(reverse("oversight:export_xlsx"))
    for number in range(30):
        h.credit(h.person(f"bulk{number}", department=bureau["departments"]["执法队"]), 4)
    with django_assert_max_num_queries(34):
        client.get(reverse("oversight:export_xlsx"))


def test_the_year_workbook_prints_on_a4_with_typed_dates_and_fitted_columns(client, committee, bureau):
    """开始/截止 are date cells (not text), columns fit their content, and LibreOffice prints every sheet on A4
    pages with no ``###`` (the PNGs are left in tests/artifacts/spreadsheets/year-export/)."""
    client.force_login(committee)
    response = client.get(reverse("oversight:export_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        assert_layout(sheet)
    exams = book["考试汇总"]
    for title in ("开始", "截止"):
        cells = column(exams, title)
        assert cells and all(isinstance(cell.value, datetime.datetime) for cell in cells), title
        assert {cell.number_format for cell in cells} == {"yyyy-mm-dd hh:mm"}
        assert exams.column_dimensions[cells[0].column_letter].width >= 16
    assert {cell.number_format for cell in column(book["集中学法出勤"], "日期")} == {"yyyy-mm-dd"}
    people = book["人员学法情况"]
    widths = {cell.value: people.column_dimensions[cell.column_letter].width for cell in people[1]}
    assert len(set(widths.values())) > 3  # fitted to each column, not one width for all
    assert widths["姓名"] <= 10 < widths["处室"]
    assert people.page_setup.orientation == "landscape" and book["概况"].page_setup.orientation == "portrait"
    assert people.page_setup.fitToWidth == 2 and people.print_title_cols == "$A:$B"  # 工号 and 姓名 on each page
    pages = render(response.content, "year-export")
    assert len(pages) >= len(SHEET_NAMES)
