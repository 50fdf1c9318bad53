"""The names every part of the figures shares, and the summary of a group of people: one definition
for departments, totals, letters and reminders."""

import pandas as pd

from learning.models import LearningSource
from oversight.arrays import rate

ENFORCEMENT = "执法人员"
NON_ENFORCEMENT = "非执法人员"
MET, BEHIND, IN_PROGRESS, NO_TARGET = "已达标", "落后", "进行中", "未设目标"
STATUSES = [MET, IN_PROGRESS, BEHIND, NO_TARGET]
NO_DEPARTMENT = 0
NO_DEPARTMENT_NAME = "未分配处室"
SOURCES = [value for value, _ in LearningSource.choices]
SOURCE_LABELS = dict(LearningSource.choices)
CRITERIA = {"hours": "学时", "courses": "必修课程", "exams": "考试", "attendance": "集中学法出勤"}

# Per-person counts whose sums make every summary (see ``aggregate``); computed once per person.
COUNTS = [
    "has_target",
    "_met",
    "_behind",
    "_in_progress",
    "_no_target",
    "_hours_required",
    "_hours_met",
    "_attended",
    "hours",
    *(f"hours_{source}" for source in SOURCES),
    "courses_required",
    "courses_done",
    "courses_completed_in_year",
    "sessions_expected",
    "sessions_present",
    "sessions_leave",
    "exams_required",
    "exams_taken",
    "exams_passed",
]


def summarise(staff: int, sums) -> dict:
    """Rates and totals from the summed COUNTS of ``staff`` people."""
    hours_total = round(float(sums["hours"]), 2)
    summary = {
        "staff": staff,
        "with_target": int(sums["has_target"]),
        "met": int(sums["_met"]),
        "behind": int(sums["_behind"]),
        "in_progress": int(sums["_in_progress"]),
        "no_target": int(sums["_no_target"]),
        "hours_total": hours_total,
        "hours_average": round(hours_total / staff, 1) if staff else None,
        "hours_required": int(sums["_hours_required"]),
        "hours_met": int(sums["_hours_met"]),
        "courses_required": int(sums["courses_required"]),
        "courses_done": int(sums["courses_done"]),
        "courses_completed_in_year": int(sums["courses_completed_in_year"]),
        "sessions_expected": int(sums["sessions_expected"]),
        "sessions_present": int(sums["sessions_present"]),
        "sessions_leave": int(sums["sessions_leave"]),
        "attendees": int(sums["_attended"]),
        "exams_required": int(sums["exams_required"]),
        "exams_taken": int(sums["exams_taken"]),
        "exams_passed": int(sums["exams_passed"]),
    }
    for source in SOURCES:
        summary[f"hours_{source}"] = round(float(sums[f"hours_{source}"]), 2)
    summary["met_rate"] = rate(summary["met"], summary["with_target"])
    summary["hours_met_rate"] = rate(summary["hours_met"], summary["hours_required"])
    summary["course_rate"] = rate(summary["courses_done"], summary["courses_required"])
    summary["attendance_rate"] = rate(summary["sessions_present"], summary["sessions_expected"])
    summary["exam_participation_rate"] = rate(summary["exams_taken"], summary["exams_required"])
    summary["exam_pass_rate"] = rate(summary["exams_passed"], summary["exams_taken"])
    return summary


def aggregate(people: pd.DataFrame) -> dict:
    """The summary numbers of a group of people: one definition for departments, totals and letters."""
    if not len(people):
        return summarise(0, dict.fromkeys(COUNTS, 0))
    return summarise(len(people), people[COUNTS].sum())


def department_rows(people: pd.DataFrame, tree: list[dict], departments, subtrees: dict[int, set[int]]) -> list[dict]:
    """One row per department in the scope, in tree order, counting the units below it as its filter,
    its drill-down lists and its letter do (``has_units`` marks such rows); a department without
    staff says so."""
    sums = people.groupby("department_key")[COUNTS].sum() if len(people) else None
    sizes = people["department_key"].value_counts() if len(people) else None
    empty = dict.fromkeys(COUNTS, 0)
    rows = []
    for department in tree:
        pk = department["pk"]
        if departments is not None and pk not in departments:
            continue
        subtree = subtrees.get(pk, {pk})
        if departments is not None:
            subtree = subtree & departments
        keys = [key for key in subtree if sums is not None and key in sums.index]
        staff = int(sizes.loc[keys].sum()) if keys else 0
        if not department["is_active"] and not staff:
            continue
        rows.append(
            {
                "department_id": pk,
                "name": department["name"],
                "short_name": department["short_name"] or department["name"],
                "depth": department["depth"],
                "has_units": len(subtree) > 1,
                **summarise(staff, sums.loc[keys].sum() if keys else empty),
            }
        )
    if sizes is not None and NO_DEPARTMENT in sizes.index:
        rows.append(
            {
                "department_id": NO_DEPARTMENT,
                "name": NO_DEPARTMENT_NAME,
                "short_name": NO_DEPARTMENT_NAME,
                "depth": 0,
                "has_units": False,
                **summarise(int(sizes.loc[NO_DEPARTMENT]), sums.loc[NO_DEPARTMENT]),
            }
        )
    return rows
