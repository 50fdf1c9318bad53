"""Status: 已达标 when every requirement is met; 落后 when hours are below the time-share of the
target (completed months in post ÷ months in post), a required course is past its due date, a
required exam is not passed after its last window (resit, personal arrangement) closed, or
attendance is below the required rate; otherwise 进行中. People with no target: 未设目标."""

import numpy as np
import pandas as pd

from oversight.figures.summary import BEHIND, IN_PROGRESS, MET, NO_TARGET

MISSING_FIELDS = [
    "status",
    "hours_ok",
    "hours",
    "hours_target",
    "hours_short",
    "courses_missing",
    "exams_missing",
    "attendance_ok",
    "attendance_rate",
    "attendance_required",
]


def status_columns(people: pd.DataFrame, hours_behind: np.ndarray) -> dict:
    """Each person's status, whether they met every target, and what they still miss."""
    attendance_ok = people["attendance_ok"].to_numpy()
    courses_ok = people["courses_required"].to_numpy() == people["courses_done"].to_numpy()
    exams_ok = people["exams_required"].to_numpy() == people["exams_passed"].to_numpy()
    met = people["hours_ok"].to_numpy() & courses_ok & exams_ok & attendance_ok
    overdue = (people["courses_overdue"].to_numpy() > 0) | (people["exams_overdue"].to_numpy() > 0)
    behind = ~met & (hours_behind | overdue | ~attendance_ok)
    has_target = people["has_target"].to_numpy()
    status = np.select([~has_target, met, behind], [NO_TARGET, MET, BEHIND], default=IN_PROGRESS).astype(object)
    rows = people[MISSING_FIELDS[1:]].assign(status=status).to_dict("records")
    return {
        "met": met & has_target,
        "status": status,
        "missing": [_missing_text(row) if row["status"] in (BEHIND, IN_PROGRESS) else "" for row in rows],
    }


def count_columns(people: pd.DataFrame) -> dict:
    """The per-person counts that ``aggregate`` sums (see summary.COUNTS)."""
    status = people["status"].to_numpy()
    has_hours_target = people["hours_target"].notna()
    return {
        "_met": (status == MET).astype(int),
        "_behind": (status == BEHIND).astype(int),
        "_in_progress": (status == IN_PROGRESS).astype(int),
        "_no_target": (status == NO_TARGET).astype(int),
        "_hours_required": has_hours_target.astype(int),
        "_hours_met": (people["hours_ok"] & has_hours_target).astype(int),
        "_attended": (people["sessions_present"] > 0).astype(int),
        "has_target": people["has_target"].astype(bool),
    }


def _missing_text(row: dict) -> str:
    parts = []
    if not row["hours_ok"]:
        parts.append(
            f"学时差 {_number(row['hours_short'])}（已完成 {_number(row['hours'])}/{_number(row['hours_target'])}）"
        )
    if row["courses_missing"]:
        parts.append(f"未完成必修课程：{row['courses_missing']}")
    if row["exams_missing"]:
        parts.append(row["exams_missing"])
    if not row["attendance_ok"]:
        parts.append(
            f"集中学法出勤率 {_number(row['attendance_rate'])}%（要求 {_number(row['attendance_required'])}%）"
        )
    return "；".join(parts)


def _number(value) -> str:
    """1.50 → "1.5", 40.0 → "40"."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"
