"""Who must sit an exam, for many people at once: the set-based ``Exam.objects.assigned_to``.

An exam is assigned as learning.assignment says, and to anyone with a personal arrangement
(ExamOverride). tests/learning/test_audience.py checks both versions agree for every person.
"""

from collections import defaultdict

import numpy as np

from learning.assignment import assignment_matrix
from learning.exams.models import Exam, ExamOverride


def exam_assignment(rows, people, subtrees, scope_users) -> tuple[np.ndarray, list[tuple]]:
    """Person × exam for the published exams ``rows`` (with ``pk`` and the assignment flags), and the
    personal arrangements read on the way: (exam id, user id, personal close or None)."""
    overrides = personal_arrangements([row["pk"] for row in rows], scope_users)
    arranged: dict[int, set[int]] = defaultdict(set)
    for exam_id, user_id, _ in overrides:
        arranged[exam_id].add(user_id)
    return assignment_matrix(Exam, rows, people, subtrees, named_extra=arranged), overrides


def personal_arrangements(exam_ids, users) -> list[tuple]:
    """(exam id, user id, personal close or None) of the personal arrangements (ExamOverride) of
    ``users`` (ids or a subquery) at the exams ``exam_ids``; one query, none without exams."""
    if not exam_ids:
        return []
    arrangements = ExamOverride.objects.filter(exam_id__in=exam_ids, user_id__in=users)
    return list(arrangements.values_list("exam_id", "user_id", "closes_at"))
