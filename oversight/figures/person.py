"""One person's row of a year's figures, for their own pages (the start page's target panel, the
learning record), without computing anyone else's.

The same columns and values as the person's row of ``year_figures``: the same column functions
(``compute.people_columns``) run on a one-person scope, whose courses, exams and group study come
from learning's per-person rules (``CoursePage.objects.assigned_to``, ``Exam.objects.assigned_to``,
``GroupStudySession.objects.expected_of``) instead of the set-based matrices. About a dozen indexed
queries whatever the size of the bureau. tests/oversight/test_record_contract.py compares both
field by field for every person of a data set.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.utils import timezone

from learning.study.expected import person_session_matrices
from oversight import targets as target_rules
from oversight.figures.compute import Matrices, people_columns
from oversight.figures.courses import person_course_matrices
from oversight.figures.exams import person_exam_matrices
from oversight.figures.hours import load_ledger_rows
from oversight.figures.people import load_scope


@dataclass
class PersonFigures:
    row: dict  # the person's row of ``YearFigures.people``
    as_of: datetime.date  # today, or the year's end for a past year


def person_figures(*, person, year: int, now: datetime.datetime | None = None, targets=None) -> PersonFigures | None:
    """``person``'s (a StaffProfile with its user) row of the figures of ``year``; None when they are
    not counted that year. ``targets``: the year's targets when the caller has loaded them already."""
    scope = load_scope(year=year, departments=None, profiles=[person.pk], now=now or timezone.now())
    if not len(scope.people):
        return None
    user = person.user
    specs = target_rules.load_targets(year) if targets is None else targets
    one_person = Matrices(
        courses=partial(person_course_matrices, user=user),
        exams=partial(person_exam_matrices, user=user),
        sessions=lambda scope: person_session_matrices(user=user, year=scope.year, now=scope.now),
    )
    people_columns(scope, specs, load_ledger_rows(scope, None), one_person)
    return PersonFigures(row=scope.people.iloc[0].to_dict(), as_of=scope.as_of)
