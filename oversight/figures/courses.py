"""Required courses: those assigned (learning.assignment) that are required in the year
(``learning.study.models.required_in_year``, as on the learning record), unless a target replaces
them, plus the courses a target names; a course counts as done once its credit was awarded, and as
overdue once its due date has passed undone."""

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from learning.assignment import assignment_matrix
from learning.models import LearningRecord
from learning.study.models import CoursePage, required_in_year
from oversight.arrays import names, rate

COURSE_FIELDS = (
    "pk",
    "title",
    "due_date",
    "credit_hours",
    "is_required",
    "assign_everyone",
    "assign_enforcement_staff",
)


@dataclass
class CourseMatrices:
    """Person × course, for the year's required courses and those targets name."""

    rows: list
    required: np.ndarray
    done: np.ndarray
    past_due: np.ndarray  # per course

    @property
    def ids(self) -> list[int]:
        return [row["pk"] for row in self.rows]

    @property
    def missing(self) -> np.ndarray:
        return self.required & ~self.done


def course_matrices(scope, resolved) -> CourseMatrices:
    """Three queries: the courses, their assignment, and the people's credit for them."""
    rows = _course_rows(scope.year, required_in_year(scope.year) | Q(pk__in=resolved.course_ids))
    return _matrices(scope, resolved, rows, assignment_matrix(CoursePage, rows, scope.people, scope.subtrees))


def person_course_matrices(scope, resolved, user) -> CourseMatrices:
    """One person's row of ``course_matrices``, from two queries: the courses required of them by
    assignment (``CoursePage.objects.assigned_to``, the per-person rule) or named by a target, and their credit."""
    mine = Q(pk__in=CoursePage.objects.assigned_to(user).values("pk"))
    rows = _course_rows(
        scope.year,
        (required_in_year(scope.year) & mine) | Q(pk__in=resolved.course_ids),
        assigned=ExpressionWrapper(mine, output_field=BooleanField()),
    )
    assigned = np.array([bool(row["assigned"]) for row in rows], dtype=bool).reshape(1, -1)
    return _matrices(scope, resolved, rows, assigned)


def _course_rows(year: int, condition: Q, **annotations) -> list[dict]:
    """The live courses that meet ``condition``, in the figures' order, each with ``required_in_year``."""
    in_year = ExpressionWrapper(required_in_year(year), output_field=BooleanField())
    return list(
        CoursePage.objects.live()
        .filter(condition)
        .annotate(required_in_year=in_year, **annotations)
        .order_by(F("due_date").asc(nulls_last=True), "title", "pk")
        .values(*COURSE_FIELDS, "required_in_year", *annotations)
    )


def _matrices(scope, resolved, rows: list[dict], assigned: np.ndarray) -> CourseMatrices:
    """Who must complete which course (assigned and required in the year, where their targets keep the
    assigned ones, or named by a target), and who has its credit (one query)."""
    year, people = scope.year, scope.people
    column = {row["pk"]: index for index, row in enumerate(rows)}
    due_in_year = np.array([bool(row["required_in_year"]) for row in rows], dtype=bool)
    required = assigned & due_in_year[None, :] & resolved.include_assigned[:, None]
    for target_column, course_id in enumerate(resolved.course_ids):
        if course_id in column:
            required[:, column[course_id]] |= resolved.target_courses[:, target_column]
    done = np.zeros((len(people), len(rows)), dtype=bool)
    if rows:
        keys = {f"course:{pk}": pk for pk in column}
        # Excluding blank keys lets SQLite use the partial unique index on (user, award_key).
        credited = LearningRecord.objects.filter(award_key__in=keys, user_id__in=scope.users).exclude(award_key="")
        for user_id, key in credited.order_by().values_list("user_id", "award_key"):
            index = scope.position.get(user_id)
            if index is not None:
                done[index, column[keys[key]]] = True
    year_end = datetime.date(year, 12, 31)
    past_due = np.array([(row["due_date"] or year_end) < scope.as_of for row in rows], dtype=bool)
    return CourseMatrices(rows=rows, required=required, done=done, past_due=past_due)


def course_columns(courses: CourseMatrices) -> dict:
    """Each person's required courses: how many, done, overdue, and the titles still missing."""
    missing = courses.missing
    return {
        "courses_required": courses.required.sum(axis=1),
        "courses_done": (courses.required & courses.done).sum(axis=1),
        "courses_overdue": (missing & courses.past_due[None, :]).sum(axis=1),
        "courses_missing": names(missing, [row["title"] for row in courses.rows]),
    }


def course_frame(courses: CourseMatrices, shown: np.ndarray) -> pd.DataFrame:
    """Per course, of the people shown: required, done, overdue and the completion rate."""
    rows, any_rows = courses.rows, bool(courses.rows)
    required, done = courses.required[shown], (courses.required & courses.done)[shown]
    overdue = (courses.missing & courses.past_due[None, :])[shown]
    frame = pd.DataFrame(
        {
            "course_id": courses.ids,
            "title": [row["title"] for row in rows],
            "due_date": [row["due_date"] for row in rows],
            "credit_hours": [float(row["credit_hours"]) for row in rows],
            "required": required.sum(axis=0) if any_rows else [],
            "done": done.sum(axis=0) if any_rows else [],
            "overdue": overdue.sum(axis=0) if any_rows else [],
        }
    )
    frame["rate"] = [rate(d, r) for d, r in zip(frame["done"], frame["required"], strict=True)]
    return frame
