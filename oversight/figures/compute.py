"""The orchestrator: one computation of a year's figures, criterion by criterion."""

import datetime
import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone

from oversight import targets as target_rules
from oversight.figures.courses import course_columns, course_frame, course_matrices
from oversight.figures.exams import ExamMatrices, exam_columns, exam_frame, exam_matrices
from oversight.figures.hours import hour_columns, load_ledger_rows, load_year_sums, monthly_hours
from oversight.figures.people import load_roles, load_scope, role_mask, target_columns
from oversight.figures.result import YearFigures
from oversight.figures.sessions import load_sessions, session_columns, session_frame, session_totals
from oversight.figures.status import count_columns, status_columns
from oversight.figures.summary import aggregate, department_rows
from oversight.publicity import publicity_figures


@contextmanager
def without_cycle_collection():
    """Build large results with Python's cycle collector paused.

    The figures (and the workbook openpyxl builds from them) create hundreds of thousands of
    short-lived objects; each burst of allocations makes the collector walk every object in the
    process again, which cost 0.2 s of the dashboard's 0.6 s at 5,000 people. Reference counting
    still frees everything at once; the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def year_figures(**kwargs) -> YearFigures:
    """The figures of a year (see ``compute_year_figures`` for the arguments), built with the cycle collector paused."""
    with without_cycle_collection():
        return compute_year_figures(**kwargs)


def compute_year_figures(
    *,
    year: int,
    departments=None,
    role: str = "",
    profiles=None,
    now: datetime.datetime | None = None,
) -> YearFigures:
    """The figures of ``year`` for the people in ``departments`` (ids; None for all) and ``role``.

    ``profiles`` (StaffProfile ids) narrows the computation to a few people. One person's own pages
    use ``person_figures`` (oversight.figures.person) instead.
    """
    scope = load_scope(year=year, departments=departments, profiles=profiles, now=now or timezone.now())
    people = scope.people
    specs = target_rules.load_targets(year)
    year_sums = load_year_sums(scope)
    members_by_name, courses, exams, sessions = people_columns(
        scope, specs, load_ledger_rows(scope, year_sums), BUREAU_WIDE
    )
    shown = role_mask(people, role, members_by_name)
    people_shown = people[shown].reset_index(drop=True)
    session_table = session_frame(sessions, shown)
    return YearFigures(
        year=year,
        as_of=scope.as_of,
        role=role,
        departments=departments,
        all_people=people,
        people=people_shown,
        department_rows=department_rows(people_shown, scope.tree, departments, scope.subtrees),
        sessions=session_table,
        courses=course_frame(courses, shown),
        exams=exam_frame(exams, shown, scope.now),
        monthly=monthly_hours(scope, role, year_sums),
        totals={**aggregate(people_shown), **session_totals(session_table)},
        targets=specs,
        subtrees=scope.subtrees,
        publicity=publicity_figures(year, departments),
        _session_ids=sessions.ids,
        _expected=sessions.expected,
        _present=sessions.present_held,
        _leave=sessions.leave_held,
        _course_ids=courses.ids,
        _required=courses.required,
        _done=courses.done,
        _role_mask=shown,
        _exams=exams,
    )


@dataclass(frozen=True)
class Matrices:
    """Where a computation's person × item matrices come from: set-based queries over many people
    (``BUREAU_WIDE``), or learning's per-person rules for one (oversight.figures.person)."""

    courses: Callable  # (scope, resolved) -> CourseMatrices
    exams: Callable  # (scope, resolved) -> ExamMatrices
    sessions: Callable  # (scope) -> SessionMatrices


def _bureau_exams(scope, resolved) -> ExamMatrices:
    return exam_matrices(scope.year, scope.people, scope.position, resolved, scope.subtrees, scope.users, scope.now)


BUREAU_WIDE = Matrices(courses=course_matrices, exams=_bureau_exams, sessions=load_sessions)


def people_columns(scope, specs, ledger_rows, matrices: Matrices) -> tuple:
    """Add every person's columns to ``scope.people``, criterion by criterion, the same for one
    person as for the bureau; returns the group members by name and the course, exam and session matrices."""
    people = scope.people
    members, members_by_name, user_roles = load_roles(scope)
    people["roles"] = ["、".join(sorted(user_roles.get(user_id, []))) for user_id in people["user_id"]]
    resolved = target_rules.resolve(specs, people, members=members, subtrees=scope.subtrees)
    _add(people, target_columns(people, resolved, year=scope.year))
    share = target_rules.elapsed_share(people["joined_on"], scope.year, scope.today)
    hours, hours_behind = hour_columns(people, scope.position, ledger_rows, share)
    _add(people, hours)
    courses = matrices.courses(scope, resolved)
    _add(people, course_columns(courses))
    exams = matrices.exams(scope, resolved)
    _add(people, exam_columns(exams))
    sessions = matrices.sessions(scope)
    _add(people, session_columns(sessions, people["attendance_required"].to_numpy(dtype=float)))
    _add(people, status_columns(people, hours_behind))
    _add(people, count_columns(people))
    return members_by_name, courses, exams, sessions


def _add(people, columns: dict) -> None:
    for name, values in columns.items():
        people[name] = values
