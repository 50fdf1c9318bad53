"""Which yearly target applies to whom, computed for everyone at once (no per-person queries).

The rule (see oversight.models): a person's own target replaces all others; otherwise every group
target covering them applies and the strictest wins criterion by criterion. Hours are prorated by
months in post (the month of joining counts as a whole month).
"""

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd

from django.db.models import Value

from oversight.models import StudyTarget, TargetScope


@dataclass
class TargetSpec:
    pk: int
    scope: str
    label: str
    role_id: int | None
    department_id: int | None
    person_id: int | None
    required_hours: float | None
    include_assigned_courses: bool
    min_attendance_rate: float | None
    courses: tuple[int, ...]
    include_assigned_exams: bool = True
    exams: tuple[int, ...] = ()


def load_targets(year: int) -> list[TargetSpec]:
    """The year's targets with their courses and exams, in two queries (one when there are none)."""
    rows = list(
        StudyTarget.objects.for_year(year)
        .order_by("pk")
        .values(
            "pk",
            "scope",
            "role_id",
            "role__name",
            "department_id",
            "department__name",
            "person_id",
            "person__staff_profile__real_name",
            "person__username",
            "required_hours",
            "include_assigned_courses",
            "include_assigned_exams",
            "min_attendance_rate",
        )
    )
    if not rows:
        return []
    courses, exams = _named_courses_and_exams([row["pk"] for row in rows])
    specs = []
    for row in rows:
        label = dict(TargetScope.choices)[row["scope"]]
        if row["scope"] == TargetScope.ROLE:
            label = f"角色：{row['role__name']}"
        elif row["scope"] == TargetScope.DEPARTMENT:
            label = row["department__name"]
        elif row["scope"] == TargetScope.PERSON:
            label = f"个人：{row['person__staff_profile__real_name'] or row['person__username']}"
        specs.append(
            TargetSpec(
                pk=row["pk"],
                scope=row["scope"],
                label=label,
                role_id=row["role_id"],
                department_id=row["department_id"],
                person_id=row["person_id"],
                required_hours=float(row["required_hours"]) if row["required_hours"] is not None else None,
                include_assigned_courses=row["include_assigned_courses"],
                min_attendance_rate=float(row["min_attendance_rate"]) if row["min_attendance_rate"] else None,
                courses=tuple(sorted(courses.get(row["pk"], []))),
                include_assigned_exams=row["include_assigned_exams"],
                exams=tuple(sorted(exams.get(row["pk"], []))),
            )
        )
    return specs


def _named_courses_and_exams(target_ids: list[int]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """The courses and the exams each target names, read together (one UNION query)."""
    courses = StudyTarget.required_courses.through.objects.filter(studytarget_id__in=target_ids)
    exams = StudyTarget.required_exams.through.objects.filter(studytarget_id__in=target_ids)
    named = courses.annotate(is_course=Value(True)).values_list("studytarget_id", "coursepage_id", "is_course")
    named = named.union(
        exams.annotate(is_course=Value(False)).values_list("studytarget_id", "exam_id", "is_course"), all=True
    )
    by_course: dict[int, list[int]] = {}
    by_exam: dict[int, list[int]] = {}
    for target_id, object_id, is_course in named.order_by():
        (by_course if is_course else by_exam).setdefault(target_id, []).append(object_id)
    return by_course, by_exam


def applies(
    target: TargetSpec, people: pd.DataFrame, *, members: dict[int, set[int]], subtrees: dict[int, set[int]]
) -> np.ndarray:
    """A boolean mask over ``people`` (columns user_id, department_key, is_law_enforcement)."""
    if target.scope == TargetScope.EVERYONE:
        return np.ones(len(people), dtype=bool)
    if target.scope == TargetScope.ROLE:
        return people["user_id"].isin(members.get(target.role_id, set())).to_numpy()
    if target.scope == TargetScope.ENFORCEMENT:
        return people["is_law_enforcement"].to_numpy(dtype=bool)
    if target.scope == TargetScope.DEPARTMENT:
        return people["department_key"].isin(subtrees.get(target.department_id, {target.department_id})).to_numpy()
    if target.scope == TargetScope.PERSON:
        return (people["user_id"] == target.person_id).to_numpy()
    return np.zeros(len(people), dtype=bool)


@dataclass
class Resolved:
    """Per person (aligned with the people frame): what they must do this year."""

    has_target: np.ndarray  # bool
    base_hours: np.ndarray  # float, NaN where no hours requirement
    min_rate: np.ndarray  # float percent, NaN where no attendance requirement
    include_assigned: np.ndarray  # bool
    course_ids: list[int]  # columns of ``target_courses``
    target_courses: np.ndarray  # bool (people × course_ids): courses a target names
    labels: list[str]  # which targets apply, for people to read
    include_assigned_exams: np.ndarray = None  # bool
    exam_ids: list[int] = None  # columns of ``target_exams``
    target_exams: np.ndarray = None  # bool (people × exam_ids): exams a target names


def resolve(
    targets: list[TargetSpec],
    people: pd.DataFrame,
    *,
    members: dict[int, set[int]],
    subtrees: dict[int, set[int]],
) -> Resolved:
    n = len(people)
    masks = {t.pk: applies(t, people, members=members, subtrees=subtrees) for t in targets}
    personal = np.zeros(n, dtype=bool)
    for t in targets:
        if t.scope == TargetScope.PERSON:
            personal |= masks[t.pk]
    # Group targets do not reach people who have a target of their own.
    effective = {t.pk: masks[t.pk] if t.scope == TargetScope.PERSON else masks[t.pk] & ~personal for t in targets}
    has_target = np.zeros(n, dtype=bool)
    base_hours = np.full(n, np.nan)
    min_rate = np.full(n, np.nan)
    include_assigned = np.zeros(n, dtype=bool)
    course_ids = sorted({c for t in targets for c in t.courses})
    column = {c: i for i, c in enumerate(course_ids)}
    target_courses = np.zeros((n, len(course_ids)), dtype=bool)
    include_exams = np.zeros(n, dtype=bool)
    exam_ids = sorted({e for t in targets for e in t.exams})
    exam_column = {e: i for i, e in enumerate(exam_ids)}
    target_exams = np.zeros((n, len(exam_ids)), dtype=bool)
    labels: list[list[str]] = [[] for _ in range(n)]
    for t in targets:
        mask = effective[t.pk]
        if not mask.any():
            continue
        has_target |= mask
        if t.required_hours is not None:
            base_hours = np.where(mask, np.fmax(base_hours, t.required_hours), base_hours)
        if t.min_attendance_rate is not None:
            min_rate = np.where(mask, np.fmax(min_rate, t.min_attendance_rate), min_rate)
        include_assigned |= mask & t.include_assigned_courses
        for course_id in t.courses:
            target_courses[:, column[course_id]] |= mask
        include_exams |= mask & t.include_assigned_exams
        for exam_id in t.exams:
            target_exams[:, exam_column[exam_id]] |= mask
        for index in np.flatnonzero(mask):
            labels[index].append(t.label)
    return Resolved(
        has_target=has_target,
        base_hours=base_hours,
        min_rate=min_rate,
        include_assigned=include_assigned,
        course_ids=course_ids,
        target_courses=target_courses,
        labels=["、".join(items) for items in labels],
        include_assigned_exams=include_exams,
        exam_ids=exam_ids,
        target_exams=target_exams,
    )


def months_in_post(joined_on: pd.Series, year: int) -> np.ndarray:
    """Months of ``year`` a person was in post: 12, or from the month of joining (inclusive)."""
    start = datetime.date(year, 1, 1)
    first_month = np.array(
        [1 if (d is None or pd.isna(d) or d < start) else d.month for d in joined_on.tolist()], dtype=int
    )
    return 13 - first_month


def elapsed_share(joined_on: pd.Series, year: int, today: datetime.date) -> np.ndarray:
    """Share of a person's months in post that have fully passed by ``today`` ("时间进度")."""
    months = months_in_post(joined_on, year)
    if year < today.year:
        return np.ones(len(months))
    if year > today.year:
        return np.zeros(len(months))
    first_month = 13 - months
    completed = np.clip(today.month - first_month, 0, None)
    return completed / months
