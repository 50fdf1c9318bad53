"""The year's spreadsheets: DataFrames with Chinese headers built from the figures, written by
organisation.spreadsheets (formula-like text is stored as text, never run)."""

import numpy as np
import pandas as pd

from django.utils import timezone

from oversight.assessment import LetterScore
from oversight.figures import SOURCE_LABELS, SOURCES, YearFigures

PEOPLE_COLUMNS = {
    "employee_no": "工号",
    "name": "姓名",
    "department": "处室",
    "is_law_enforcement": "执法人员",
    "roles": "角色",
    "joined_on": "入职日期",
    "months_in_post": "在岗月数",
    "targets": "适用目标",
    "hours_target": "目标学时",
    "hours": "已完成学时",
    **{f"hours_{source}": f"{SOURCE_LABELS[source]}学时" for source in SOURCES},
    "hours_short": "差额学时",
    "courses_required": "必修课程应完成",
    "courses_done": "必修课程已完成",
    "courses_missing": "未完成课程",
    "sessions_expected": "集中学法应到",
    "sessions_present": "集中学法实到",
    "sessions_leave": "集中学法请假",
    "sessions_absent": "集中学法缺席",
    "attendance_rate": "出勤率（%）",
    "attendance_required": "出勤率要求（%）",
    "status": "状态",
    "missing": "欠缺事项",
}

DEPARTMENT_COLUMNS = {
    "name": "处室/单位",
    "staff": "在岗人数",
    "met": "已达标",
    "in_progress": "进行中",
    "behind": "落后",
    "no_target": "未设目标",
    "met_rate": "目标达标率（%）",
    "hours_total": "累计学时",
    "hours_average": "人均学时",
    "hours_met_rate": "学时达标率（%）",
    "courses_required": "必修课程应完成（人次）",
    "courses_done": "必修课程已完成（人次）",
    "course_rate": "必修课程完成率（%）",
    "sessions_expected": "集中学法应到（人次）",
    "sessions_present": "集中学法实到（人次）",
    "sessions_leave": "集中学法请假（人次）",
    "attendance_rate": "集中学法出勤率（%）",
}

SESSION_COLUMNS = {
    "date": "日期",
    "time": "时间",
    "kind_label": "类型",
    "topic": "主题",
    "place": "地点",
    "credit_hours": "学时",
    "state": "状态",
    "expected": "应到",
    "present": "实到",
    "leave": "请假",
    "absent": "缺席",
    "rate": "出勤率（%）",
}

COURSE_COLUMNS = {
    "title": "课程",
    "due_date": "完成期限",
    "credit_hours": "学时",
    "required": "应完成人数",
    "done": "已完成人数",
    "overdue": "逾期未完成人数",
    "rate": "完成率（%）",
}

MONTH_COLUMNS = {
    "month_label": "月份",
    **{source: f"{SOURCE_LABELS[source]}学时" for source in SOURCES},
    "total": "合计学时",
    "cumulative": "累计学时",
}


UNITS_INCLUDED = "（含下属单位）"  # a department's row counts the units below it, which have rows of their own


def people_frame(figures: YearFigures) -> pd.DataFrame:
    frame = figures.people.copy()
    frame["is_law_enforcement"] = frame["is_law_enforcement"].map({True: "是", False: "否"})
    return frame[list(PEOPLE_COLUMNS)].rename(columns=PEOPLE_COLUMNS)


def departments_frame(figures: YearFigures) -> pd.DataFrame:
    frame = pd.DataFrame(figures.department_rows, columns=["department_id", "depth", "has_units", *DEPARTMENT_COLUMNS])
    frame["name"] = [
        "　" * depth + name + (UNITS_INCLUDED if units else "")
        for depth, name, units in zip(frame["depth"], frame["name"], frame["has_units"], strict=True)
    ]
    return frame[list(DEPARTMENT_COLUMNS)].rename(columns=DEPARTMENT_COLUMNS)


def sessions_frame(figures: YearFigures) -> pd.DataFrame:
    frame = figures.sessions.copy()
    local = [timezone.localtime(value) for value in frame["starts_at"]]
    frame["date"] = [value.date() for value in local]
    frame["time"] = [value.strftime("%H:%M") for value in local]
    frame["state"] = ["已举行" if held else "未开始" for held in frame["held"]]
    for column in ("expected", "present", "leave", "absent"):
        frame[column] = [value if held else None for value, held in zip(frame[column], frame["held"], strict=True)]
    return frame.reindex(columns=list(SESSION_COLUMNS)).rename(columns=SESSION_COLUMNS)


def courses_frame(figures: YearFigures) -> pd.DataFrame:
    return figures.courses.reindex(columns=list(COURSE_COLUMNS)).rename(columns=COURSE_COLUMNS)


def monthly_frame(figures: YearFigures) -> pd.DataFrame:
    frame = figures.monthly.copy()
    frame["month_label"] = [f"{month}月" for month in frame["month"]]
    return frame[list(MONTH_COLUMNS)].rename(columns=MONTH_COLUMNS)


EVENT_COLUMNS = {
    "date": "日期",
    "campaign": "活动",
    "title": "场次",
    "kind_label": "形式",
    "place": "地点",
    "key_date": "普法节点",
    "department": "牵头处室",
    "participants": "参与人数",
    "materials": "发放资料（份）",
    "online_reach": "线上覆盖（人次）",
}


def events_frame(figures: YearFigures) -> pd.DataFrame:
    frame = figures.publicity.events.copy()
    frame["date"] = [timezone.localtime(value).date() for value in frame["starts_at"]]
    return frame.reindex(columns=list(EVENT_COLUMNS)).rename(columns=EVENT_COLUMNS)


EXAM_COLUMNS = {
    "title": "考试",
    "opens": "开始",
    "closes": "截止",
    "state": "状态",
    "assigned": "应考人数",
    "participated": "参考人数",
    "participation_rate": "参考率（%）",
    "passed": "合格人数",
    "pass_rate": "合格率（%）",  # nosec B105: a column heading, not a password
    "average": "平均得分率（%）",
    "awaiting": "待阅卷",
}


def exams_frame(figures: YearFigures) -> pd.DataFrame:
    frame = figures.exams.copy()
    frame["opens"] = [timezone.localtime(value) for value in frame["opens_at"]]  # typed: a date cell, not text
    frame["closes"] = [timezone.localtime(value) for value in frame["closes_at"]]
    return frame.reindex(columns=list(EXAM_COLUMNS)).rename(columns=EXAM_COLUMNS)


def exam_scores_frame(figures: YearFigures) -> pd.DataFrame:
    """People × exams: for each exam the score (得分率 %) and the result, one row per person shown
    who was assigned at least one exam; "—" where an exam was not theirs to sit."""
    matrix = figures.exam_matrix()
    people = figures.people
    frame = pd.DataFrame({"工号": people["employee_no"], "姓名": people["name"], "处室": people["department"]})
    if matrix is None or not matrix.ids:
        return frame.iloc[0:0]
    for column, title in enumerate(matrix.titles):
        assigned, taken = matrix.assigned[:, column], matrix.taken[:, column]
        result = np.select(
            [
                taken & matrix.awaiting[:, column],
                taken & matrix.passed[:, column],
                taken,
                assigned,
            ],
            ["阅卷中", "合格", "不合格", "未参考"],
            default="—",
        )
        frame[f"{title}｜得分率（%）"] = np.where(taken, matrix.percent[:, column], np.nan)
        frame[f"{title}｜结果"] = result
    return frame[(matrix.assigned | matrix.taken).any(axis=1)].reset_index(drop=True)


def letters_frame(scores: list[LetterScore]) -> pd.DataFrame:
    rows = []
    for letter in scores:
        for item in letter.items:
            rows.append(
                {
                    "处室/单位": letter.department,
                    "考核内容": item.name,
                    "计算方法": item.measure_label,
                    "分值": item.weight,
                    "满分标准": item.target_value,
                    "实际值": item.actual,
                    "得分": item.score,
                }
            )
        rows.append(
            {
                "处室/单位": letter.department,
                "考核内容": "合计",
                "计算方法": f"{letter.unscored} 项无数据未计分" if letter.unscored else "",
                "分值": letter.full_marks,
                "满分标准": None,
                "实际值": None,
                "得分": letter.score,
            }
        )
    return pd.DataFrame(rows, columns=["处室/单位", "考核内容", "计算方法", "分值", "满分标准", "实际值", "得分"])


def summary_frame(figures: YearFigures, *, scope_label: str) -> pd.DataFrame:
    totals = figures.totals
    rows = [
        ("年度", figures.year),
        ("统计截至", figures.as_of),
        ("范围", scope_label),
        ("人员类别", figures.role or "全部人员"),
        ("在岗人数", totals["staff"]),
        ("已达标人数", totals["met"]),
        ("落后人数", totals["behind"]),
        ("目标达标率（%）", totals["met_rate"]),
        ("累计学时", totals["hours_total"]),
        ("人均学时", totals["hours_average"]),
        ("学时达标率（%）", totals["hours_met_rate"]),
        ("必修课程完成率（%）", totals["course_rate"]),
        ("完成课程（门次）", totals["courses_completed_in_year"]),
        ("集中学法（次）", totals["sessions_held"]),
        ("集中学法参学（人次）", totals["session_attendances"]),
        ("集中学法出勤率（%）", totals["attendance_rate"]),
        ("年度目标要求的考试：应考（人次）", totals["exams_required"]),
        ("年度目标要求的考试：参考率（%）", totals["exam_participation_rate"]),
        ("年度目标要求的考试：合格率（%）", totals["exam_pass_rate"]),
    ]
    if figures.publicity is not None:
        publicity = figures.publicity.totals
        rows += [
            ("普法活动（项）", publicity["campaigns"]),
            ("普法活动场次（已填报成效）", publicity["events"]),
            ("参与群众（人次）", publicity["participants"]),
            ("发放资料（份）", publicity["materials"]),
            ("线上覆盖（人次）", publicity["online_reach"]),
        ]
    return pd.DataFrame(rows, columns=["项目", "数值"])


SHEETS = {
    # slug (also the CSV file name): sheet name
    "summary": "概况",
    "people": "人员学法情况",
    "departments": "处室汇总",
    "sessions": "集中学法出勤",
    "courses": "必修课程完成",
    "monthly": "月度学时",
    "exams": "考试汇总",
    "exam_scores": "考试成绩",
    "events": "普法活动",
    "letters": "责任书考核",
}


def year_frames(figures: YearFigures, *, scores: list[LetterScore], scope_label: str) -> dict[str, pd.DataFrame]:
    """Every sheet of the year's workbook, keyed by slug (also the CSV names)."""
    return {
        "summary": summary_frame(figures, scope_label=scope_label),
        "people": people_frame(figures),
        "departments": departments_frame(figures),
        "sessions": sessions_frame(figures),
        "courses": courses_frame(figures),
        "monthly": monthly_frame(figures),
        "exams": exams_frame(figures),
        "exam_scores": exam_scores_frame(figures),
        "events": events_frame(figures),
        "letters": letters_frame(scores),
    }


def year_xlsx(figures: YearFigures, *, scores: list[LetterScore], scope_label: str) -> bytes:
    from organisation.spreadsheets import write_xlsx
    from oversight.figures import without_cycle_collection

    frames = year_frames(figures, scores=scores, scope_label=scope_label)
    widths = {
        SHEETS["people"]: {"姓名": 10, "处室": 22, "适用目标": 20, "未完成课程": 36, "欠缺事项": 60},
        SHEETS["departments"]: {"处室/单位": 24},
        SHEETS["sessions"]: {"主题": 40, "地点": 20},
        SHEETS["courses"]: {"课程": 30},
        SHEETS["letters"]: {"处室/单位": 24, "考核内容": 30, "计算方法": 24},
        SHEETS["exams"]: {"考试": 30, "开始": 18, "截止": 18},
        SHEETS["exam_scores"]: {"姓名": 10, "处室": 22},
        SHEETS["events"]: {"活动": 30, "场次": 30, "地点": 20, "普法节点": 18, "牵头处室": 22},
        SHEETS["summary"]: {"项目": 24, "数值": 30},
    }
    with without_cycle_collection():  # openpyxl makes an object per cell
        return write_xlsx({SHEETS[slug]: frame for slug, frame in frames.items()}, column_widths=widths)
