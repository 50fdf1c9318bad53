"""Practice (练习): questions drawn from the bank, answered one at a time with immediate feedback.

Practice never counts as an exam result; a wrong answer joins the 错题本 and a right one clears it.
A question in an open or scheduled exam (the question pool rule, ``Question.objects.publicly_drawable``)
is left out, and one that joins such an exam after a session drew it is skipped: practising it
would show its answer and 解析 to people who still have to sit it.
"""

import datetime
import random
import secrets

from django.db import transaction
from django.db.models import F

from learning.exams.answers import MultiplePolicy, score_response
from learning.exams.models import (
    Mistake,
    PracticeAnswer,
    PracticeKind,
    PracticeSession,
    PracticeSet,
    Question,
)
from learning.exams.services.mistakes import mistake_record
from organisation.errors import ServiceRefusal

DEFAULT_COUNT = 10
HELD_MESSAGE = "这道题正用于尚未结束的考试，考试结束后才能练习。"


class PracticeUnavailable(ServiceRefusal):
    """Nothing to practise; the message is for the user."""


def practice_question_held(*, question_id: int, now: datetime.datetime) -> bool:
    """Whether the question is in an open or scheduled exam (the exams its session's owner sits included)."""
    return Question.objects.in_live_exams(now).filter(pk=question_id).exists()


def practice_pool(*, user, kind: str, now: datetime.datetime, practice_set: PracticeSet | None = None, domain=None):
    questions = Question.objects.publicly_drawable(now)
    if kind == PracticeKind.SET:
        if practice_set is None or not practice_set.is_active:
            raise PracticeUnavailable("该练习已停用。")
        if practice_set.domain_id:
            questions = questions.filter(domain_id=practice_set.domain_id)
        if practice_set.qtype:
            questions = questions.filter(qtype=practice_set.qtype)
        questions = questions.tagged_any(practice_set.tag_names)
    elif kind == PracticeKind.DOMAIN:
        questions = questions.filter(domain=domain)
    elif kind == PracticeKind.MISTAKES:
        questions = questions.filter(pk__in=Mistake.objects.of(user).outstanding().values("question_id"))
    return questions


def practice_start(
    *,
    user,
    kind: str,
    now: datetime.datetime,
    practice_set: PracticeSet | None = None,
    domain=None,
    count: int | None = None,
    rng: random.Random | None = None,
) -> PracticeSession:
    rng = rng or random.Random(secrets.randbits(64))  # noqa: S311  # nosec B311: shuffling seeded from secrets, nothing to guess
    ids = list(
        practice_pool(user=user, kind=kind, now=now, practice_set=practice_set, domain=domain).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        raise PracticeUnavailable(
            "错题本里没有待重练的题目。" if kind == PracticeKind.MISTAKES else "暂时没有可练习的题目。"
        )
    rng.shuffle(ids)
    if count is None:
        count = practice_set.question_count if practice_set else DEFAULT_COUNT
    if kind != PracticeKind.MISTAKES:
        ids = ids[:count]
    return PracticeSession.objects.create(
        user=user,
        kind=kind,
        practice_set=practice_set if kind == PracticeKind.SET else None,
        domain=domain if kind == PracticeKind.DOMAIN else None,
        question_ids=ids,
        started_at=now,
    )


def practice_current_question(session: PracticeSession) -> Question | None:
    if session.position >= session.total:
        return None
    return Question.objects.for_snapshot().filter(pk=session.question_ids[session.position]).first()


def practice_answer(*, session: PracticeSession, response, now: datetime.datetime) -> PracticeAnswer:
    """Answer the session's current question; answering it again returns the first answer."""
    with transaction.atomic():
        session = PracticeSession.objects.select_for_update().get(pk=session.pk)
        existing = PracticeAnswer.objects.filter(session=session, position=session.position).first()
        if existing is not None:
            return existing
        question = practice_current_question(session)
        if question is None:
            raise PracticeUnavailable("本轮练习已完成。")
        if practice_question_held(question_id=question.pk, now=now):
            raise PracticeUnavailable(HELD_MESSAGE)
        outcome = score_response(
            qtype=question.qtype,
            key=question.key,
            points=question.points,
            response=response,
            policy=MultiplePolicy.ALL_OR_NOTHING,
        )
        answer = PracticeAnswer.objects.create(
            session=session,
            question=question,
            position=session.position,
            response=response,
            is_correct=outcome.correct,
            answered_at=now,
        )
        PracticeSession.objects.filter(pk=session.pk).update(
            answered=F("answered") + 1, correct=F("correct") + (1 if outcome.correct else 0)
        )
        mistake_record(user=session.user, question_id=question.pk, correct=outcome.correct, now=now)
    return answer


def _may_move_on(session: PracticeSession, now: datetime.datetime) -> bool:
    """The current question is answered, or skipped because it is in an open or scheduled exam."""
    if session.answers.filter(position=session.position).exists():
        return True
    return practice_question_held(question_id=session.question_ids[session.position], now=now)


def practice_next(*, session: PracticeSession, now: datetime.datetime) -> PracticeSession:
    """Move on once the current question is answered (or held by an open exam); the last one finishes the session."""
    with transaction.atomic():
        session = PracticeSession.objects.select_for_update().get(pk=session.pk)
        if session.position < session.total and _may_move_on(session, now):
            session.position += 1
            if session.position >= session.total:
                session.finished_at = now
            session.save(update_fields=["position", "finished_at"])
    return session
