"""Conflicts of interest in the exam engine: one predicate, asked by services, admin views and templates.

A person has a stake in an exam when they have an attempt in it, or it is assigned to them and still
to be sat (``Exam.objects.with_interest_of``, the predicate). They may not correct a key, grade an
answer or edit a question of such an exam; and until they have handed in and the exam has closed,
the admin does not show them the keys of its questions.
"""

import datetime

from django.utils import timezone

from learning.exams.models import AnswerKeyCorrection, AttemptItem, Exam, Question

CONFLICT = "您参加了（或须参加）使用这道题的考试，存在利益冲突，不能更正答案、评阅或修改这道题。"
EXAM_CONFLICT = "您参加了（或须参加）这场考试，存在利益冲突，不能评阅其中的答卷。"
KEY_HIDDEN = "您须参加的考试正在使用这道题，交卷且考试结束后才能查看答案。"


def conflicted_questions(user, now: datetime.datetime):
    """Questions of the exams in which ``user`` has a stake: theirs not to correct, grade or edit."""
    return Question.objects.in_exams(Exam.objects.with_interest_of(user, now))


def questions_with_hidden_keys(user, now: datetime.datetime):
    """Questions whose keys the admin hides from ``user``: of an exam they have a stake in that is still running."""
    return Question.objects.in_exams(Exam.objects.with_interest_of(user, now).live(now))


def question_in_conflict(*, user, question_id: int, now: datetime.datetime) -> bool:
    return conflicted_questions(user, now).filter(pk=question_id).exists()


def exam_in_conflict(*, user, exam_id: int, now: datetime.datetime) -> bool:
    return Exam.objects.with_interest_of(user, now).filter(pk=exam_id).exists()


def gradable_items(user, now: datetime.datetime):
    """简答 answers waiting for this grader: not their own, in no exam they have a stake in, no rubric hidden."""
    return (
        AttemptItem.objects.awaiting_grading()
        .exclude(attempt__user=user)
        .exclude(attempt__exam__in=Exam.objects.with_interest_of(user, now).values("pk"))
        .exclude(question__in=questions_with_hidden_keys(user, now).values("pk"))
    )


def corrections_to_decide(user, now: datetime.datetime):
    """Pending answer-key corrections ``user`` may confirm or reject: someone else's, on no question in conflict."""
    return (
        AnswerKeyCorrection.objects.pending()
        .exclude(corrected_by=user)
        .exclude(question__in=conflicted_questions(user, now).values("pk"))
    )


def hidden_key_ids(request) -> set[int]:
    """The ids of ``questions_with_hidden_keys`` for the request's user, read once per request."""
    cached = getattr(request, "_hidden_key_ids", None)
    if cached is None:
        cached = set(questions_with_hidden_keys(request.user, timezone.now()).values_list("pk", flat=True))
        request._hidden_key_ids = cached
    return cached


def conflicted_ids(request) -> set[int]:
    """The ids of ``conflicted_questions`` for the request's user, read once per request."""
    cached = getattr(request, "_conflicted_ids", None)
    if cached is None:
        cached = set(conflicted_questions(request.user, timezone.now()).values_list("pk", flat=True))
        request._conflicted_ids = cached
    return cached
