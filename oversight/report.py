"""The study and publicity section of the annual 法治政府建设 report, written from the year's figures.

``report_context`` turns one ``YearFigures`` (the whole bureau, no filters) into the values the report's
Word template quotes: counts, rates and table rows, already written as the report writes numbers. The
wording lives in the template (oversight.report_document), which the bureau may replace; the preview page
and the Markdown download are read back from the rendered document (``report_read``), so all three say the
same thing. Every number is read from the figures, so it equals what the dashboard and the export show.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from oversight.assessment import LetterScore
from oversight.figures import SOURCE_LABELS, YearFigures, aggregate
from oversight.models import TargetScope

_ORDINALS = "零一二三四五六七八九十"


def _n(value) -> str:
    """A number as the report's sentences write it: 12, 12.5, 73.7 (no trailing zeros)."""
    if value is None:
        return "—"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _pct(value) -> str:
    return "—" if value is None else f"{_n(value)}%"


def _one_decimal(value) -> str:
    """A number as the report's tables write it: always one decimal, so a column lines up at the point."""
    if value is None:
        return "—"
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _pct_one_decimal(value) -> str:
    return "—" if value is None else f"{_one_decimal(value)}%"


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


def report_context(figures: YearFigures, *, scores: list[LetterScore], bureau: str) -> dict:
    """What the report's template may quote, with ``numbers`` (the raw figures) for checking."""
    totals = figures.totals
    enforcement = aggregate(figures.people[figures.people["is_law_enforcement"]])
    context = {
        "year": figures.year,
        "period": _period(figures),
        "bureau": bureau,
        "sessions": {
            "held": totals["sessions_held"],
            "kinds": "、".join(f"{label}{count}次" for label, count in totals["sessions_by_kind"].items() if count),
            "expected": totals["session_expected"],
            "present": totals["session_attendances"],
            "leaves": totals["session_leaves"],
            "rate": _pct(totals["attendance_rate"]),
        },
        "courses": {"completed": totals["courses_completed_in_year"], "rate": _pct(totals["course_rate"])},
        "hours": {
            "staff": totals["staff"],
            "total": _n(totals["hours_total"]),
            "average": _n(totals["hours_average"]),
            "by_source": "、".join(
                f"{SOURCE_LABELS[source]}{_n(totals[f'hours_{source}'])}学时"
                for source in SOURCE_LABELS
                if totals[f"hours_{source}"]
            ),
        },
        "enforcement": {
            "staff": enforcement["staff"],
            "average": _n(enforcement["hours_average"]),
            "met": enforcement["met"],
        },
        "targets": {
            "sentence": _target_sentence(figures),
            "met": totals["met"],
            "met_rate": _pct(totals["met_rate"]),
            "behind": totals["behind"],
        },
        "exams": _exams(figures),
        "publicity": _publicity(figures),
        "assessment": _assessment(scores),
    }
    context["numerals"] = _numerals(context)
    context["tables"] = _tables(figures, context, scores)
    context["numbers"] = _numbers(totals, enforcement, context, scores)
    return context


def _numerals(context: dict) -> dict:
    """Sections are numbered in the order they appear: 一、学法用法 always, then publicity and assessment if any."""
    numerals, number = {"study": _ORDINALS[1]}, 1
    for key in ("publicity", "assessment"):
        if context[key] is not None:
            number += 1
            numerals[key] = _ORDINALS[number]
    return numerals


_EXAM_NUMBERS = ("title", "assigned", "participated", "participation_rate", "passed", "pass_rate")


def _exams(figures: YearFigures) -> list[dict]:
    return [
        {
            "title": row["title"],
            "assigned": int(row["assigned"]),
            "participated": int(row["participated"]),
            "participation_rate": _pct(row["participation_rate"]),
            "passed": int(row["passed"]),
            "pass_rate": _pct(row["pass_rate"]),
            "running": row["state"] == "进行中",
            "average": row["average"],
            "numbers": {key: row[key] for key in _EXAM_NUMBERS},
        }
        for row in figures.exams.to_dict("records")
        if row["state"] != "未开始"
    ]


def _publicity(figures: YearFigures) -> dict | None:
    """Campaigns and their reach, from the campaigns' reported outcomes; None when the year has no publicity data."""
    if figures.publicity is None:
        return None
    totals = figures.publicity.totals
    named = [row["key_date"] for row in figures.publicity.by("key_date") if row["key_date"] != "其他活动"]
    return {
        **{key: totals[key] for key in ("campaigns", "events", "participants", "materials", "online_reach")},
        "key_dates": "、".join(f"“{name}”" for name in named[:6]),
    }


def _assessment(scores: list[LetterScore]) -> dict | None:
    if not scores:
        return None
    # A letter with nothing to score yet (no staff, nothing required) is left out of the average, as its items
    # are left unscored rather than counted as 0.
    scored = [score for score in scores if score.score is not None]
    average = round(sum(score.score for score in scored) / len(scored), 1) if scored else None
    return {
        "letters": len(scores),
        "scored": len(scored),
        "unscored": len(scores) - len(scored),
        "average": _n(average),
        "average_value": average,
        "full": _n(max(score.full_marks for score in scores)),
    }


def _tables(figures: YearFigures, context: dict, scores: list[LetterScore]) -> dict:
    """Each table's rows (cells written as text, numbers with one decimal) and its number, in order of appearance."""
    tables = {
        "sessions": [
            {
                "date": _month_day(timezone.localtime(row.starts_at)),
                "kind": row.kind_label,
                "topic": row.topic,
                "expected": str(int(row.expected)),
                "present": str(int(row.present)),
                "leave": str(int(row.leave)),
                "rate": _pct_one_decimal(row.rate),
            }
            for row in figures.sessions.itertuples()
            if row.held
        ],
        "exams": [
            {
                "title": exam["title"],
                "assigned": str(exam["assigned"]),
                "participated": str(exam["participated"]),
                "participation_rate": _pct_one_decimal(exam["numbers"]["participation_rate"]),
                "passed": str(exam["passed"]),
                "pass_rate": _pct_one_decimal(exam["numbers"]["pass_rate"]),
                "average": _pct_one_decimal(exam["average"]),
            }
            for exam in context["exams"]
        ]
        if context["exams"]
        else None,
        "departments": [
            {
                "name": row["name"] + ("（含下属单位）" if row["has_units"] else ""),
                "staff": str(row["staff"]),
                "hours_average": _one_decimal(row["hours_average"]) if row["staff"] else "无在岗人员",
                "met": str(row["met"]),
                "met_rate": _pct_one_decimal(row["met_rate"]),
                "course_rate": _pct_one_decimal(row["course_rate"]),
                "attendance_rate": _pct_one_decimal(row["attendance_rate"]),
            }
            for row in figures.department_rows
        ],
        "publicity": [
            {
                "key_date": row["key_date"],
                "events": str(int(row["events"])),
                "participants": str(int(row["participants"])),
                "online_reach": str(int(row["online_reach"])),
                "materials": str(int(row["materials"])),
            }
            for row in figures.publicity.by("key_date")
        ]
        if context["publicity"] is not None
        else None,
        "assessment": [
            {
                "department": score.department,
                "measures": str(len(score.items)),
                "score": "未计分" if score.score is None else _one_decimal(score.score),
                "full": _one_decimal(score.full_marks),
            }
            for score in scores
        ]
        if scores
        else None,
    }
    numbered, number = {}, 0
    for key, rows in tables.items():  # a table the year has no data for is None
        if rows is not None:
            number += 1
        numbered[key] = None if rows is None else {"number": number, "rows": rows}
    return numbered


def _numbers(totals, enforcement, context: dict, scores) -> dict:
    numbers = {
        key: totals[key]
        for key in (
            "sessions_held",
            "session_attendances",
            "session_expected",
            "session_leaves",
            "attendance_rate",
            "courses_completed_in_year",
            "course_rate",
            "staff",
            "hours_total",
            "hours_average",
            "met",
            "met_rate",
            "behind",
        )
    }
    numbers.update(
        enforcement_staff=enforcement["staff"],
        enforcement_hours_average=enforcement["hours_average"],
        enforcement_met=enforcement["met"],
        letters=len(scores),
        exams=[exam["numbers"] for exam in context["exams"]],
    )
    if context["publicity"] is not None:
        numbers.update({f"publicity_{key}": context["publicity"][key] for key in ("campaigns", "events")})
    if context["assessment"] is not None:
        numbers.update(
            letters_average=context["assessment"]["average_value"],
            letters_unscored=context["assessment"]["unscored"],
        )
    return numbers


# Reading the rendered document back: the preview page and the Markdown say what the Word file says.


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    kind: str = "table"


@dataclass
class Section:
    heading: str
    blocks: list[Paragraph | Table] = field(default_factory=list)


@dataclass
class AnnualReport:
    title: str
    subtitle: str
    sections: list[Section]


def report_read(content: bytes) -> AnnualReport:
    """The rendered .docx as title, subtitle and sections of paragraphs and captioned tables, by paragraph style."""
    from docx import Document
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = Document(io.BytesIO(content))
    report = AnnualReport(title="", subtitle="", sections=[])
    preamble = Section(heading="")
    caption = ""
    for block in document.iter_inner_content():
        section = report.sections[-1] if report.sections else preamble
        if isinstance(block, DocxTable):
            rows = [[cell.text for cell in row.cells] for row in block.rows]
            section.blocks.append(Table(caption=caption, header=rows[0] if rows else [], rows=rows[1:]))
            caption = ""
            continue
        if not isinstance(block, DocxParagraph):
            continue  # python-docx yields only paragraphs and tables at this level
        text, style = block.text.strip(), block.style.name if block.style is not None else ""
        if not text:
            continue
        if style == "Title" and not report.title:
            report.title = text
        elif style == "Subtitle" and not report.subtitle:
            report.subtitle = text
        elif style.startswith("Heading"):
            report.sections.append(Section(heading=text))
        elif style == "Caption":
            caption = text
        else:
            section.blocks.append(Paragraph(text=text))
    if preamble.blocks:
        report.sections.insert(0, preamble)
    return report


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def report_markdown(report: AnnualReport) -> str:
    lines = [f"# {report.title}", "", f"*{report.subtitle}*", ""]
    for section in report.sections:
        if section.heading:
            lines += [f"## {section.heading}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines += [block.text, ""]
                continue
            if block.caption:
                lines += [f"**{block.caption}**", ""]
            lines.append("| " + " | ".join(_md_cell(cell) for cell in block.header) + " |")
            lines.append("|" + "|".join("---" for _ in block.header) + "|")
            for row in block.rows:
                lines.append("| " + " | ".join(_md_cell(cell) for cell in row) + " |")
            lines.append("")
    return "\n".join(lines)
