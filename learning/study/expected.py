"""Who is expected at group study (应到), for many people at once.

The rule, written once for one person in ``GroupStudySession.objects.expected_of`` (and
``person_session_matrices``, its row of the matrices) and here as person × session matrices for the
bureau's figures (oversight): a session that is not cancelled is
expected of a person when they were invited (everyone, their department or one above it, or by
name) and had joined by its day, or when they signed in to it or took leave from it; it counts once
held (``session_held``). tests/learning/test_audience.py checks both agree for every person.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Subquery
from django.utils import timezone

from learning.assignment import audience_matrix, links
from learning.study.models import Attendance, AttendanceStatus, GroupStudySession, invited_in_post, session_held

SESSION_FIELDS = ("pk", "kind", "topic", "starts_at", "ends_at", "place", "credit_hours", "invite_everyone")


@dataclass
class SessionMatrices:
    """Person × session for the year's sessions that were not cancelled (rows aligned with the people)."""

    rows: list  # the sessions' .values(), by start
    invited: np.ndarray  # invited and in post that day
    present: np.ndarray  # signed in (attendance mark)
    leave: np.ndarray  # on leave (attendance mark)
    held: np.ndarray  # per session: it has ended

    @property
    def ids(self) -> list[int]:
        return [row["pk"] for row in self.rows]

    @property
    def on_record(self) -> np.ndarray:
        """The sessions on each person's record (``expected_of``), held or not."""
        return self.invited | self.present | self.leave

    @property
    def expected(self) -> np.ndarray:
        return self.on_record & self.held[None, :]

    @property
    def present_held(self) -> np.ndarray:
        return self.present & self.held[None, :]

    @property
    def leave_held(self) -> np.ndarray:
        return self.leave & self.held[None, :]


def year_sessions(year: int):
    """The sessions of ``year`` (local time) that were not cancelled."""
    return GroupStudySession.objects.of_year(year).filter(cancelled=False)


def in_post_matrix(people: pd.DataFrame, rows: list) -> np.ndarray:
    """Person × session: the person had joined by the session's day (no ``joined_on``: always)."""
    joined = np.array(
        [
            np.datetime64(d, "D") if d is not None and not pd.isna(d) else np.datetime64("NaT")
            for d in people["joined_on"]
        ],
        dtype="datetime64[D]",
    )
    days = np.array([np.datetime64(timezone.localdate(row["starts_at"]), "D") for row in rows], dtype="datetime64[D]")
    return np.isnat(joined)[:, None] | (joined[:, None] <= days[None, :])


def session_matrices(*, year: int, people: pd.DataFrame, position: dict, subtrees: dict, now, scope_users=None):
    """The year's sessions against ``people`` (``user_id``, ``department_key``, ``joined_on``; ``position``:
    user id → row), from four queries. ``scope_users`` (ids or a subquery) narrows the attendance marks read."""
    rows = list(year_sessions(year).order_by("starts_at", "pk").values(*SESSION_FIELDS))
    ids = [row["pk"] for row in rows]
    n, s = len(people), len(rows)
    present = np.zeros((n, s), dtype=bool)
    leave = np.zeros((n, s), dtype=bool)
    invited = np.zeros((n, s), dtype=bool)
    if s:
        invited = audience_matrix(
            people,
            rows,
            everyone="invite_everyone",
            departments=links(GroupStudySession, "invited_departments", ids),
            named=links(GroupStudySession, "invited_people", ids),
            subtrees=subtrees,
        ) & in_post_matrix(people, rows)
        marks = Attendance.objects.filter(session_id__in=ids)
        if scope_users is not None:
            marks = marks.filter(user_id__in=scope_users)
        column = {pk: index for index, pk in enumerate(ids)}
        for session_id, user_id, status in marks.order_by().values_list("session_id", "user_id", "status"):
            index = position.get(user_id)
            if index is not None:
                matrix = present if status == AttendanceStatus.PRESENT else leave
                matrix[index, column[session_id]] = True
    held = np.array([session_held(ends_at=row["ends_at"], now=now) for row in rows], dtype=bool)
    return SessionMatrices(rows=rows, invited=invited, present=present, leave=leave, held=held)


def person_session_matrices(*, user, year: int, now) -> SessionMatrices:
    """One person's row of ``session_matrices``, from one query: the year's sessions on their record
    (``expected_of``, the per-person rule), each with whether they were invited in post and their mark."""
    mark = Attendance.objects.filter(session=OuterRef("pk"), user=user).values("status")[:1]
    rows = list(
        GroupStudySession.objects.expected_of(user)
        .of_year(year)
        .annotate(
            invited_in_post=ExpressionWrapper(invited_in_post(user), output_field=BooleanField()),
            mark=Subquery(mark),
        )
        .order_by("starts_at", "pk")
        .values(*SESSION_FIELDS, "invited_in_post", "mark")
    )
    return SessionMatrices(
        rows=rows,
        invited=_one_row([bool(row["invited_in_post"]) for row in rows]),
        present=_one_row([row["mark"] == AttendanceStatus.PRESENT for row in rows]),
        leave=_one_row([row["mark"] not in (None, AttendanceStatus.PRESENT) for row in rows]),
        held=np.array([session_held(ends_at=row["ends_at"], now=now) for row in rows], dtype=bool),
    )


def _one_row(values: list) -> np.ndarray:
    return np.array(values, dtype=bool).reshape(1, -1)
