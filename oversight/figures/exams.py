"""Exams in the year's figures: who must sit which exam, who sat and passed it (learning.exams).

A required exam counts once passed (``ExamResult.passed``); participation and pass rates per exam
are those of learning.exams.services.statistics. Who an exam is assigned to is
learning.exams.assignment's rule.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from django.db.models import FloatField, Q
from django.db.models.functions import Cast

from learning.exams.assignment import exam_assignment, personal_arrangements
from learning.exams.models import Exam, ExamResult
from oversight.arrays import lookup, names, rate


@dataclass
class ExamMatrices:
    """Person × exam: assigned (or named by a target), taken, passed, and the window over."""

    ids: list
    titles: list
    rows: list  # the exams' .values()
    assigned: np.ndarray
    required: np.ndarray
    taken: np.ndarray
    passed: np.ndarray
    awaiting: np.ndarray
    percent: np.ndarray  # score ÷ max score × 100, NaN without a result
    over: np.ndarray  # the person's window (personal, resit) has closed


EXAM_FIELDS = (
    "pk",
    "title",
    "opens_at",
    "closes_at",
    "resit_closes_at",
    "year",
    "assign_everyone",
    "assign_enforcement_staff",
)


def exam_matrices(year, people, position, resolved, subtrees, scope_users, now) -> ExamMatrices:
    """The year's published exams against the people, from five queries (exams, their assignment,
    personal arrangements and results); assignment follows learning.assignment, plus anyone with a
    personal arrangement, as ``Exam.objects.assigned_to`` does."""
    rows = _exam_rows(Exam.objects.published(), year, resolved)
    assigned, overrides = exam_assignment(rows, people, subtrees, scope_users) if rows else (None, [])
    return _matrices(year, rows, people, position, resolved, scope_users, now, assigned=assigned, overrides=overrides)


def person_exam_matrices(scope, resolved, user) -> ExamMatrices:
    """One person's row of ``exam_matrices``, from three queries: the exams assigned to them
    (``Exam.objects.assigned_to``, the per-person rule) of the year or named by a target, their
    personal arrangements and their results."""
    rows = _exam_rows(Exam.objects.assigned_to(user), scope.year, resolved)
    ids = [row["pk"] for row in rows]
    return _matrices(
        scope.year,
        rows,
        scope.people,
        scope.position,
        resolved,
        scope.users,
        scope.now,
        assigned=np.ones((1, len(rows)), dtype=bool),
        overrides=personal_arrangements(ids, scope.users),
    )


def _exam_rows(exams, year: int, resolved) -> list[dict]:
    """``exams`` of the year or named by a target, by opening."""
    in_figures = Q(year=year) | Q(pk__in=resolved.exam_ids or [])
    return list(exams.filter(in_figures).order_by("opens_at", "pk").values(*EXAM_FIELDS))


def _matrices(year, rows, people, position, resolved, scope_users, now, *, assigned, overrides) -> ExamMatrices:
    """Taken, passed and scores from the people's results (one query), who must sit which exam, and
    whose window (personal, resit) has closed."""
    n = len(people)
    ids = [row["pk"] for row in rows]
    column = {pk: index for index, pk in enumerate(ids)}
    x = len(ids)
    taken = np.zeros((n, x), dtype=bool)
    passed = np.zeros((n, x), dtype=bool)
    awaiting = np.zeros((n, x), dtype=bool)
    percent = np.full((n, x), np.nan)
    closes = np.array(
        [max(moment for moment in (row["closes_at"], row["resit_closes_at"]) if moment) for row in rows], dtype=object
    )
    over = np.tile(np.array([moment <= now for moment in closes], dtype=bool), (n, 1)) if x else np.zeros((n, 0), bool)
    if not x:
        assigned = np.zeros((n, 0), dtype=bool)
    for exam_id, user_id, personal_close in overrides:
        index = position.get(user_id)
        if index is not None and personal_close:
            over[index, column[exam_id]] = max(personal_close, closes[column[exam_id]]) <= now
    if x:
        _read_results(ids, column, scope_users, position, taken, passed, awaiting, percent)
    this_year = np.array([row["year"] == year for row in rows], dtype=bool)
    required = assigned & this_year[None, :] & resolved.include_assigned_exams[:, None]
    for target_column, exam_id in enumerate(resolved.exam_ids or []):
        if exam_id in column:  # only those who may sit it: an exam is taken by the people it is assigned to
            required[:, column[exam_id]] |= resolved.target_exams[:, target_column] & assigned[:, column[exam_id]]
    return ExamMatrices(
        ids=ids,
        titles=[row["title"] for row in rows],
        rows=rows,
        assigned=assigned,
        required=required,
        taken=taken,
        passed=passed,
        awaiting=awaiting,
        percent=percent,
        over=over,
    )


def _read_results(ids, column, scope_users, position, taken, passed, awaiting, percent) -> None:
    """Mark the people's results at the exams ``ids`` in the matrices (one query)."""
    results = list(
        ExamResult.objects.filter(exam_id__in=ids, user_id__in=scope_users, attempts__gt=0)
        .annotate(score_value=Cast("score", FloatField()), max_value=Cast("max_score", FloatField()))
        .values_list("exam_id", "user_id", "score_value", "max_value", "passed", "awaiting_grading")
    )
    if not results:
        return
    exam_of, user_of, score, max_score, result_passed, result_awaiting = zip(*results, strict=True)
    r, c = lookup(user_of, position), lookup(exam_of, column)
    keep = r >= 0
    r, c = r[keep], c[keep]
    taken[r, c] = True
    passed[r, c] = np.array(result_passed, dtype=bool)[keep]
    awaiting[r, c] = np.array(result_awaiting, dtype=bool)[keep]
    score = np.array([np.nan if v is None else v for v in score], dtype=float)[keep]
    max_score = np.array([v or np.nan for v in max_score], dtype=float)[keep]
    with np.errstate(invalid="ignore", divide="ignore"):
        percent[r, c] = np.round(100.0 * score / max_score, 1)


def exam_columns(exams: ExamMatrices) -> dict:
    """Each person's required exams: how many, taken, passed, past their window, and what is missing."""
    required = exams.required
    not_sat = names(required & ~exams.taken, exams.titles, prefix="未参加考试：")
    failed = names(required & exams.taken & ~exams.passed, exams.titles, prefix="考试未合格：")
    return {
        "exams_required": required.sum(axis=1),
        "exams_taken": (required & exams.taken).sum(axis=1),
        "exams_passed": (required & exams.passed).sum(axis=1),
        "exams_overdue": (required & ~exams.passed & exams.over).sum(axis=1),
        "exams_missing": ["；".join(part for part in pair if part) for pair in zip(not_sat, failed, strict=True)],
    }


def exam_frame(exams: ExamMatrices, role_mask, now) -> pd.DataFrame:
    """Per exam, of the people shown: assigned, took part, passed, rates and average score
    (participation and pass rate as in learning.exams.services.statistics)."""
    assigned = exams.assigned[role_mask]
    taken = exams.taken[role_mask]
    passed = exams.passed[role_mask]
    percent = exams.percent[role_mask]
    frame = pd.DataFrame(
        {
            "exam_id": exams.ids,
            "title": exams.titles,
            "opens_at": [row["opens_at"] for row in exams.rows],
            "closes_at": [row["closes_at"] for row in exams.rows],
            "assigned": assigned.sum(axis=0) if exams.ids else [],
            "participated": taken.sum(axis=0) if exams.ids else [],
            "participated_assigned": (assigned & taken).sum(axis=0) if exams.ids else [],
            "passed": (taken & passed).sum(axis=0) if exams.ids else [],
            "awaiting": (taken & exams.awaiting[role_mask]).sum(axis=0) if exams.ids else [],
        }
    )
    frame["state"] = [
        "进行中" if row["opens_at"] <= now < row["closes_at"] else ("未开始" if now < row["opens_at"] else "已结束")
        for row in exams.rows
    ]
    with np.errstate(invalid="ignore"):
        averages = [
            round(float(np.nanmean(percent[:, c])), 1)
            if taken[:, c].any() and not np.isnan(percent[:, c]).all()
            else None
            for c in range(len(exams.ids))
        ]
    frame["average"] = pd.Series(averages, dtype=object)
    frame["participation_rate"] = pd.Series(
        [rate(p, a) for p, a in zip(frame["participated_assigned"], frame["assigned"], strict=True)], dtype=object
    )
    frame["pass_rate"] = pd.Series(
        [rate(p, t) for p, t in zip(frame["passed"], frame["participated"], strict=True)], dtype=object
    )
    return frame
