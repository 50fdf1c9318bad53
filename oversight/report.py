"""The study and publicity section of the annual 法治政府建设 report, written from the year's figures.

``annual_report`` turns one ``YearFigures`` (the whole bureau, no filters) into paragraphs in the
report's own register and tables; ``report_markdown`` and ``report_docx`` write the same content.
Every number in the text is read from the figures, so it equals what the dashboard and the
export show.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.utils import timezone

from oversight.assessment import LetterScore
from oversight.figures import SOURCE_LABELS, YearFigures, aggregate
from oversight.models import TargetScope


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class AnnualReport:
    title: str
    subtitle: str
    year: int
    sections: list[Section]
    numbers: dict  # the figures quoted in the text, for checking


def _n(value) -> str:
    """A number as the report writes it: 12, 12.5, 73.7 (no trailing zeros)."""
    if value is None:
        return "—"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _pct(value) -> str:
    return "—" if value is None else f"{_n(value)}%"


def _month_day(moment) -> str:
    return f"{moment.month}月{moment.day}日"


def _period(figures: YearFigures) -> str:
    if figures.as_of >= datetime.date(figures.year, 12, 31):
        return "全年"
    return f"截至{figures.as_of.month}月{figures.as_of.day}日"


def _target_sentence(figures: YearFigures) -> str:
    """ "全体人员年度学法不少于40学时，执法人员不少于60学时" from the year's group targets."""
    parts = []
    for target in figures.targets:
        if target.scope == TargetScope.PERSON or target.required_hours is None:
            continue
        label = "全体干部职工" if target.scope == TargetScope.EVERYONE else target.label.removeprefix("角色：")
        parts.append(f"{label}不少于{_n(target.required_hours)}学时")
    return "，".join(parts)


def annual_report(figures: YearFigures, *, scores: list[LetterScore]) -> AnnualReport:
    totals = figures.totals
    year, period = figures.year, _period(figures)
    kinds = [f"{label}{count}次" for label, count in totals["sessions_by_kind"].items() if count]
    enforcement = aggregate(figures.people[figures.people["is_law_enforcement"]])
    numbers = {
        "sessions_held": totals["sessions_held"],
        "session_attendances": totals["session_attendances"],
        "session_expected": totals["session_expected"],
        "session_leaves": totals["session_leaves"],
        "attendance_rate": totals["attendance_rate"],
        "courses_completed_in_year": totals["courses_completed_in_year"],
        "course_rate": totals["course_rate"],
        "staff": totals["staff"],
        "hours_total": totals["hours_total"],
        "hours_average": totals["hours_average"],
        "met": totals["met"],
        "met_rate": totals["met_rate"],
        "behind": totals["behind"],
        "enforcement_staff": enforcement["staff"],
        "enforcement_hours_average": enforcement["hours_average"],
        "enforcement_met": enforcement["met"],
        "letters": len(scores),
    }

    study = Section(heading="一、学法用法情况")
    if totals["sessions_held"]:
        study.paragraphs.append(
            f"{year}年，我局认真落实机关工作人员学法用法制度，坚持个人自学与集中学法相结合，"
            f"{period}共组织集中学法{totals['sessions_held']}次"
            + (f"，其中{'、'.join(kinds)}" if kinds else "")
            + f"，应参学{totals['session_expected']}人次，实际参学{totals['session_attendances']}人次"
            + (f"（请假{totals['session_leaves']}人次）" if totals["session_leaves"] else "")
            + f"，参学率{_pct(totals['attendance_rate'])}。"
        )
    else:
        study.paragraphs.append(f"{year}年，我局认真落实机关工作人员学法用法制度，{period}尚未组织集中学法。")
    sources = "、".join(
        f"{SOURCE_LABELS[source]}{_n(totals[f'hours_{source}'])}学时"
        for source in SOURCE_LABELS
        if totals[f"hours_{source}"]
    )
    study.paragraphs.append(
        f"依托普法学法平台开展在线学法，干部职工完成课程学习{totals['courses_completed_in_year']}门次，"
        f"必修课程完成率{_pct(totals['course_rate'])}。全局纳入统计的在岗干部职工{totals['staff']}人，"
        f"累计学法{_n(totals['hours_total'])}学时，人均{_n(totals['hours_average'])}学时"
        + (f"，其中{sources}" if sources else "")
        + "。"
    )
    if enforcement["staff"]:
        study.paragraphs.append(
            f"坚持“谁执法谁普法”，加强行政执法人员自身素质建设，{enforcement['staff']}名执法人员人均学法"
            f"{_n(enforcement['hours_average'])}学时，{enforcement['met']}人完成年度学法目标。"
        )
    target_sentence = _target_sentence(figures)
    if target_sentence:
        study.paragraphs.append(
            f"年度学法目标明确{target_sentence}。{period}，{totals['met']}人已完成全部年度学法任务，"
            f"达标率{_pct(totals['met_rate'])}；{totals['behind']}人进度落后，平台每周向其发送提醒。"
        )
    study.tables.append(
        Table(
            caption=f"{year}年集中学法情况",
            header=["日期", "形式", "学习内容", "应到", "实到", "请假", "参学率"],
            rows=[
                [
                    _month_day(timezone.localtime(row.starts_at)),
                    row.kind_label,
                    row.topic,
                    str(int(row.expected)),
                    str(int(row.present)),
                    str(int(row.leave)),
                    _pct(row.rate),
                ]
                for row in figures.sessions.itertuples()
                if row.held
            ],
        )
    )
    _exams(study, figures, numbers)
    study.tables.append(
        Table(
            caption=f"{year}年各处室（单位）学法情况",
            header=["处室（单位）", "在岗人数", "人均学时", "达标人数", "达标率", "必修课程完成率", "集中学法参学率"],
            rows=[
                [
                    row["name"] + ("（含下属单位）" if row["has_units"] else ""),
                    str(row["staff"]),
                    _n(row["hours_average"]) if row["staff"] else "无在岗人员",
                    str(row["met"]),
                    _pct(row["met_rate"]),
                    _pct(row["course_rate"]),
                    _pct(row["attendance_rate"]),
                ]
                for row in figures.department_rows
            ],
        )
    )
    sections = [study]

    if figures.publicity is not None:
        sections.append(_publicity_section(figures, period, numbers))

    if scores:
        # A letter with nothing to score yet (no staff, nothing required) is left out of the average, as
        # its items are left unscored rather than counted as 0.
        scored = [score for score in scores if score.score is not None]
        unscored = len(scores) - len(scored)
        average = round(sum(score.score for score in scored) / len(scored), 1) if scored else None
        full = max(score.full_marks for score in scores)
        numbers["letters_average"] = average
        numbers["letters_unscored"] = unscored
        assessment = Section(heading=f"{_ORDINALS[len(sections) + 1]}、目标责任制考核情况")
        if scored:
            result = f"{period}平均得分{_n(average)}分（满分{_n(full)}分）"
            if unscored:
                result += f"，另有{unscored}个处室（单位）暂无可计分数据，未计入平均"
        else:
            result = f"{period}尚无可计分的数据"
        assessment.paragraphs.append(
            "把法治工作列入对局机关各处室、局属各单位年度目标责任制考核，"
            f"与{len(scores)}个处室（单位）签订法治建设目标责任书，"
            "按学时达标率、必修课程完成率、集中学法出勤率等指标量化考核，"
            f"{result}。"
        )
        assessment.tables.append(
            Table(
                caption=f"{year}年法治建设目标责任书考核得分",
                header=["处室（单位）", "考核项目（项）", "得分", "满分"],
                rows=[
                    [
                        score.department,
                        str(len(score.items)),
                        "未计分" if score.score is None else _n(score.score),
                        _n(score.full_marks),
                    ]
                    for score in scores
                ],
            )
        )
        sections.append(assessment)

    number = 0
    for section in sections:  # tables are numbered in the order they appear
        for table in section.tables:
            number += 1
            table.caption = f"表{number} {table.caption}"
    return AnnualReport(
        title=f"{year}年度法治政府建设工作报告",
        subtitle=f"学法用法、法治宣传教育与目标责任制考核部分（平台数据生成，{period}）",
        year=year,
        sections=sections,
        numbers=numbers,
    )


_ORDINALS = "零一二三四五六七八九十"


def _exams(section: Section, figures: YearFigures, numbers: dict) -> None:
    """A sentence per exam that has opened, and a table: 应考, 参考, 参考率, 合格, 合格率."""
    exams = [row for row in figures.exams.to_dict("records") if row["state"] != "未开始"]
    numbers["exams"] = [
        {key: row[key] for key in ("title", "assigned", "participated", "participation_rate", "passed", "pass_rate")}
        for row in exams
    ]
    if not exams:
        return
    sentences = "；".join(
        f"{row['title']}应考{row['assigned']}人，参考{row['participated']}人，参考率{_pct(row['participation_rate'])}，"
        f"合格{row['passed']}人，合格率{_pct(row['pass_rate'])}"
        + ("（考试进行中）" if row["state"] == "进行中" else "")
        for row in exams
    )
    section.paragraphs.insert(2, f"坚持以考促学，依托平台组织干部职工参加学法考试{len(exams)}场：{sentences}。")
    section.tables.append(
        Table(
            caption=f"{figures.year}年学法考试情况",
            header=["考试", "应考", "参考", "参考率", "合格", "合格率", "平均得分率"],
            rows=[
                [
                    row["title"],
                    str(int(row["assigned"])),
                    str(int(row["participated"])),
                    _pct(row["participation_rate"]),
                    str(int(row["passed"])),
                    _pct(row["pass_rate"]),
                    _pct(row["average"]),
                ]
                for row in exams
            ],
        )
    )


def _publicity_section(figures: YearFigures, period: str, numbers: dict) -> Section:
    """二、法治宣传教育情况: campaigns and their reach, from the campaigns' reported outcomes."""
    publicity = figures.publicity
    totals = publicity.totals
    numbers.update({f"publicity_{key}": value for key, value in totals.items()})
    section = Section(heading="二、法治宣传教育情况")
    by_key_date = publicity.by("key_date")
    named = [row["key_date"] for row in by_key_date if row["key_date"] != "其他活动"]
    if totals["events"]:
        around = f"围绕{'、'.join('“' + name + '”' for name in named[:6])}等普法节点，" if named else ""
        section.paragraphs.append(
            "推进“谁执法谁普法，谁主管谁普法”责任制落实，"
            + around
            + f"{period}共开展普法活动{totals['campaigns']}项，举办各类宣传活动{totals['events']}场次，"
            f"参与群众{totals['participants']}人次，发放宣传资料{totals['materials']}份，"
            f"线上覆盖{totals['online_reach']}人次。"
        )
    else:
        section.paragraphs.append(
            f"推进“谁执法谁普法，谁主管谁普法”责任制落实，{period}共安排普法活动{totals['campaigns']}项，"
            "尚无填报成效的宣传活动场次。"
        )
    section.tables.append(
        Table(
            caption=f"{figures.year}年普法宣传活动情况（按普法节点）",
            header=["普法节点", "活动场次", "参与人数", "线上覆盖（人次）", "发放资料（份）"],
            rows=[
                [
                    row["key_date"],
                    str(int(row["events"])),
                    str(int(row["participants"])),
                    str(int(row["online_reach"])),
                    str(int(row["materials"])),
                ]
                for row in by_key_date
            ],
        )
    )
    return section


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def report_markdown(report: AnnualReport) -> str:
    lines = [f"# {report.title}", "", f"*{report.subtitle}*", ""]
    for section in report.sections:
        lines += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
        for table in section.tables:
            lines += [f"**{table.caption}**", ""]
            lines.append("| " + " | ".join(_md_cell(cell) for cell in table.header) + " |")
            lines.append("|" + "|".join("---" for _ in table.header) + "|")
            for row in table.rows:
                lines.append("| " + " | ".join(_md_cell(cell) for cell in row) + " |")
            lines.append("")
    return "\n".join(lines)


def _font(run_or_style, name: str, size=None, bold=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = run_or_style.font
    font.name = name
    font.color.rgb = RGBColor(0, 0, 0)  # Word's heading styles are blue; an official report is black
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold


def report_docx(report: AnnualReport) -> bytes:
    """A Word document in the usual government layout: 仿宋 body, 黑体 headings, tables with borders."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    _font(document.styles["Normal"], "仿宋_GB2312", 16)
    document.core_properties.title = report.title
    document.core_properties.language = "zh-CN"

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report.title), "方正小标宋简体", 22)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(subtitle.add_run(report.subtitle), "楷体_GB2312", 14)

    for section in report.sections:
        heading = document.add_heading(level=1)
        _font(heading.add_run(section.heading), "黑体", 16, bold=False)
        for text in section.paragraphs:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            paragraph.paragraph_format.line_spacing = Pt(28)
            _font(paragraph.add_run(text), "仿宋_GB2312", 16)
        for table in section.tables:
            caption = document.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(caption.add_run(table.caption), "黑体", 12)
            grid = document.add_table(rows=1, cols=len(table.header))
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(text), "黑体", 10.5)
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = ""
                    _font(cell.paragraphs[0].add_run(str(text)), "仿宋_GB2312", 10.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
