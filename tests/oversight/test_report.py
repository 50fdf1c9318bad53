"""The annual report's study section: its numbers equal the dashboard's and the export's, in .docx and Markdown."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from django.urls import reverse

from organisation import roles
from oversight.figures import SOURCE_LABELS
from tests.factories import UserFactory
from tests.oversight import helpers as h

pytestmark = [pytest.mark.django_db, pytest.mark.clock(h.NOW, tick=False)]


@pytest.fixture
def committee(bureau):
    return UserFactory(username="committee", roles=[roles.OVERSIGHT])


def number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in report"
    return float(match.group(1))


def sheet_rows(book, name) -> list[dict]:
    values = list(book[name].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_report_numbers_equal_the_dashboard_and_the_export(client, committee, bureau):
    client.force_login(committee)
    dashboard = client.get(reverse("oversight:dashboard")).context["totals"]
    book = load_workbook(io.BytesIO(client.get(reverse("oversight:export_xlsx")).content))
    summary = {row["项目"]: row["数值"] for row in sheet_rows(book, "概况")}
    sessions = [row for row in sheet_rows(book, "集中学法出勤") if row["状态"] == "已举行"]
    people = sheet_rows(book, "人员学法情况")
    report = client.get(reverse("oversight:report_md")).content.decode("utf-8")

    held = number(r"共组织集中学法(\d+)次", report)
    assert held == dashboard["sessions_held"] == len(sessions) == summary["集中学法（次）"] == 1
    present = number(r"实际参学(\d+)人次", report)
    assert present == dashboard["session_attendances"] == sum(row["实到"] for row in sessions) == 2
    expected = number(r"应参学(\d+)人次", report)
    assert expected == dashboard["session_expected"] == sum(row["应到"] for row in sessions) == 5
    rate = number(r"参学率([\d.]+)%", report)
    assert rate == dashboard["attendance_rate"] == summary["集中学法出勤率（%）"] == 40
    courses = number(r"完成课程学习(\d+)门次", report)
    assert courses == dashboard["courses_completed_in_year"] == summary["完成课程（门次）"] == 4
    course_rate = number(r"必修课程完成率([\d.]+)%", report)
    assert course_rate == dashboard["course_rate"] == summary["必修课程完成率（%）"] == 66.7
    staff = number(r"在岗干部职工(\d+)人", report)
    assert staff == dashboard["staff"] == len(people) == 6
    hours = number(r"累计学法([\d.]+)学时", report)
    assert hours == dashboard["hours_total"] == sum(row["已完成学时"] for row in people) == 172
    average = number(r"人均([\d.]+)学时", report)
    assert average == dashboard["hours_average"] == summary["人均学时"] == 28.7
    met = number(r"(\d+)人已完成全部年度学法任务", report)
    assert met == dashboard["met"] == sum(row["状态"] == "已达标" for row in people) == 4
    met_rate = number(r"达标率([\d.]+)%", report)
    assert met_rate == dashboard["met_rate"] == summary["目标达标率（%）"] == 66.7
    behind = number(r"(\d+)人进度落后", report)
    assert behind == dashboard["behind"] == sum(row["状态"] == "落后" for row in people) == 1
    assert "全体干部职工不少于40学时，执法人员不少于60学时" in report
    assert f"截至{h.NOW.month}月{h.NOW.day}日" in report

    events = sheet_rows(book, "普法活动")
    publicity = client.get(reverse("oversight:dashboard")).context["publicity"]
    assert number(r"共开展普法活动(\d+)项", report) == publicity["campaigns"] == 2
    assert number(r"举办各类宣传活动(\d+)场次", report) == publicity["events"] == len(events) == 3
    participants = number(r"参与群众(\d+)人次", report)
    assert participants == publicity["participants"] == sum(row["参与人数"] for row in events) == 260
    reach = number(r"线上覆盖(\d+)人次", report)
    assert reach == publicity["online_reach"] == sum(row["线上覆盖（人次）"] for row in events) == 1500
    assert "围绕“国家宪法日”等普法节点" in report

    exams = sheet_rows(book, "考试汇总")
    dashboard_exams = client.get(reverse("oversight:dashboard")).context["exams"]
    assigned = number(rf"{h.EXAM}应考(\d+)人", report)
    assert assigned == exams[0]["应考人数"] == dashboard_exams[0]["assigned"] == 6
    sat = number(r"参考(\d+)人，参考率", report)
    assert sat == exams[0]["参考人数"] == dashboard_exams[0]["participated"] == 3
    assert (
        number(r"参考率([\d.]+)%", report) == exams[0]["参考率（%）"] == dashboard_exams[0]["participation_rate"] == 50
    )
    assert number(r"合格(\d+)人，合格率", report) == exams[0]["合格人数"] == dashboard_exams[0]["passed"] == 2
    pass_rate = number(r"合格率([\d.]+)%（考试进行中）", report)
    assert pass_rate == exams[0]["合格率（%）"] == dashboard_exams[0]["pass_rate"] == 66.7


def test_the_department_table_matches_the_export(client, committee, bureau):
    client.force_login(committee)
    book = load_workbook(io.BytesIO(client.get(reverse("oversight:export_xlsx")).content))
    exported = {row["处室/单位"]: row for row in sheet_rows(book, "处室汇总")}
    document = Document(io.BytesIO(client.get(reverse("oversight:report_docx")).content))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "处室（单位）")
    reported = {row.cells[0].text: [cell.text for cell in row.cells] for row in table.rows[1:]}
    assert set(reported) == set(exported)
    assert reported["执法队"][1] == str(exported["执法队"]["在岗人数"]) == "4"
    assert reported["执法队"][2] == "28.5" and exported["执法队"]["人均学时"] == 28.5
    assert reported["执法队"][4] == "75.0%" and exported["执法队"]["目标达标率（%）"] == 75
    assert reported["空处室"][2] == "无在岗人员"


def test_docx_and_markdown_say_the_same_thing(client, committee, bureau):
    client.force_login(committee)
    response = client.get(reverse("oversight:report_docx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == f"{h.YEAR}年度法治政府建设工作报告"
    markdown = client.get(reverse("oversight:report_md")).content.decode("utf-8")
    body = [line for line in markdown.splitlines() if line and not line.startswith(("#", "*", "|"))]
    for line in body:
        assert line in paragraphs
    sessions = next(t for t in document.tables if t.rows[0].cells[0].text == "日期")
    assert [cell.text for cell in sessions.rows[1].cells] == [
        "3月10日",
        "法治专题讲座",
        "三月集中学法",
        "5",
        "2",
        "1",
        "40.0%",
    ]
    assert "| 3月10日 | 法治专题讲座 | 三月集中学法 | 5 | 2 | 1 | 40.0% |" in markdown
    assert "## 二、法治宣传教育情况" in markdown and "## 三、目标责任制考核情况" in markdown
    for caption in (
        f"表2 {h.YEAR}年学法考试情况",
        f"表3 {h.YEAR}年各处室（单位）学法情况",
        f"表4 {h.YEAR}年普法宣传活动情况（按普法节点）",
        f"表5 {h.YEAR}年法治建设目标责任书考核得分",
    ):
        assert f"**{caption}**" in markdown
    assert "| 国家宪法日 | 2 | 200 | 1500 | 300 |" in markdown
    assert "平均得分" in markdown


def test_the_preview_page_shows_the_report(client, committee, bureau):
    client.force_login(committee)
    page = client.get(reverse("oversight:report")).content.decode()
    assert "共组织集中学法1次" in page and f"表1 {h.YEAR}年集中学法情况" in page


def test_a_past_year_reads_as_the_whole_year(client, committee, bureau):
    client.force_login(committee)
    markdown = client.get(reverse("oversight:report_md"), {"year": h.YEAR - 1}).content.decode("utf-8")
    assert "全年" in markdown and "尚未组织集中学法" in markdown


def test_the_reports_other_numbers_equal_the_dashboard_and_the_export_too(client, committee, bureau):
    """Hours by source, the enforcement staff's sentence, session kinds and leave, and the letters' average."""
    client.force_login(committee)
    dashboard = client.get(reverse("oversight:dashboard")).context
    book = load_workbook(io.BytesIO(client.get(reverse("oversight:export_xlsx")).content))
    report = client.get(reverse("oversight:report_md")).content.decode("utf-8")

    # "…人均28.7学时，其中自学156学时、集中学法4学时、上级培训与考试12学时。"
    clause = re.search(r"人均[\d.]+学时，其中(.+?)。", report).group(1)
    quoted = {label: float(hours) for label, hours in re.findall(r"([^、\d]+?)([\d.]+)学时", clause)}
    months = sheet_rows(book, "月度学时")
    exported = {label: sum(row[f"{label}学时"] for row in months) for label in SOURCE_LABELS.values()}
    shown = {SOURCE_LABELS[s]: sum(row[s] for row in dashboard["months"]) for s in SOURCE_LABELS}
    assert (
        quoted
        == {label: hours for label, hours in exported.items() if hours}
        == {label: hours for label, hours in shown.items() if hours}
    )
    assert quoted == {"自学": 156, "集中学法": 4, "上级培训与考试": 12}

    # "2名执法人员人均学法51学时，1人完成年度学法目标" = the dashboard and the export filtered to 执法人员.
    staff, average, met = re.search(r"(\d+)名执法人员人均学法([\d.]+)学时，(\d+)人完成年度学法目标", report).groups()
    enforcers = client.get(reverse("oversight:dashboard"), {"role": "执法人员"}).context["totals"]
    summary = {
        row["项目"]: row["数值"]
        for row in sheet_rows(
            load_workbook(io.BytesIO(client.get(reverse("oversight:export_xlsx"), {"role": "执法人员"}).content)),
            "概况",
        )
    }
    assert (int(staff), float(average), int(met)) == (enforcers["staff"], enforcers["hours_average"], enforcers["met"])
    assert (int(staff), float(average), int(met)) == (summary["在岗人数"], summary["人均学时"], summary["已达标人数"])
    assert (int(staff), float(average), int(met)) == (2, 51, 1)

    # Session kinds and leave.
    held = [row for row in sheet_rows(book, "集中学法出勤") if row["状态"] == "已举行"]
    assert number(r"其中法治专题讲座(\d+)次", report) == sum(row["类型"] == "法治专题讲座" for row in held) == 1
    leave = number(r"请假(\d+)人次", report)
    assert leave == dashboard["totals"]["session_leaves"] == sum(row["请假"] for row in held) == 1

    # The letters: 执法队 scores 57.5; 空处室 has nothing to score, so it is not averaged in as a 0.
    letters = [row for row in sheet_rows(book, "责任书考核") if row["考核内容"] == "合计"]
    scored = [row["得分"] for row in letters if row["得分"] is not None]
    assert number(r"与(\d+)个处室（单位）签订", report) == len(letters) == len(dashboard["scores"]) == 2
    average = number(r"平均得分([\d.]+)分", report)
    assert average == sum(scored) / len(scored) == 57.5
    assert [score.score for score in dashboard["scores"]] == [57.5, None]
    assert "另有1个处室（单位）暂无可计分数据，未计入平均" in report
    assert "| 空处室 | 1 | 未计分 | 100.0 |" in report
