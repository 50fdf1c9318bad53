"""Sitting an exam: who may start, starting or resuming, saving answers, handing in, and the deadline.

Every state change happens here, on the server, inside a transaction that locks the attempt
row: a double submit, two tabs or a retried request all find the attempt already handed in
and return that one result.
"""

import datetime
import random
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Max, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from learning.exams.answers import score_response
from learning.exams.lifecycle import can_answer, can_submit
from learning.exams.models import Attempt, AttemptItem, AttemptStatus, Exam, ExamOverride, ExamResult, ScorePolicy
from learning.exams.services.awards import award_pass
from learning.exams.services.drawing import PaperUnavailable, paper_draw, paper_items
from learning.exams.services.mistakes import mistakes_record_exam
from learning.exams.services.notices import essays_waiting
from organisation.errors import ServiceRefusal

# Saves that reach the server this long after the deadline still count: the answer left the
# phone in time and the network was slow. Anything later is refused.
GRACE = datetime.timedelta(seconds=30)


class ExamUnavailable(ServiceRefusal):
    """This person cannot start this exam now; the message says why, in Chinese."""


@dataclass
class Eligibility:
    """What a person may do with an exam right now, and why not when they may not."""

    can_start: bool
    reason: str = ""
    is_resit: bool = False
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    attempts_used: int = 0
    attempts_allowed: int = 0
    open_attempt: Attempt | None = None
    result: ExamResult | None = None
    extra_minutes: int = 0
    assigned: bool = True

    @property
    def attempts_left(self) -> int:
        return max(self.attempts_allowed - self.attempts_used, 0)


def exam_eligibility(*, exam: Exam, user, now: datetime.datetime) -> Eligibility:
    """Whether ``user`` may start (or resume) ``exam`` at ``now``: assignment, window, attempts, resit."""
    if not exam.published or not Exam.objects.assigned_to(user).filter(pk=exam.pk).exists():
        return Eligibility(False, "这场考试没有安排给您。", assigned=False)
    override = ExamOverride.objects.filter(exam=exam, user=user).first()
    opens_at = (override and override.opens_at) or exam.opens_at
    closes_at = (override and override.closes_at) or exam.closes_at
    extra_minutes = override.extra_minutes if override else 0
    attempts = list(Attempt.objects.filter(exam=exam, user=user))
    open_attempt = next((a for a in attempts if can_answer(a)), None)
    result = ExamResult.objects.filter(exam=exam, user=user).first()
    main_used = sum(1 for a in attempts if not a.is_resit)
    base = {"extra_minutes": extra_minutes, "open_attempt": open_attempt, "result": result}
    if open_attempt:
        return Eligibility(True, "", open_attempt.is_resit, opens_at, closes_at, main_used, 0, **base)
    if opens_at <= now < closes_at:
        allowed = exam.max_attempts + (override.extra_attempts if override else 0)
        info = Eligibility(False, "", False, opens_at, closes_at, main_used, allowed, **base)
        if result and result.passed and exam.score_policy == ScorePolicy.LAST:
            info.reason = "您已合格；本考试取最后一次成绩，不再重考。"
        elif main_used >= allowed:
            info.reason = f"您已用完 {allowed} 次考试机会。"
        else:
            info.can_start = True
        return info
    if exam.has_resit and exam.resit_opens_at <= now < exam.resit_closes_at:
        used = sum(1 for a in attempts if a.is_resit)
        info = Eligibility(
            False, "", True, exam.resit_opens_at, exam.resit_closes_at, used, exam.resit_attempts, **base
        )
        if result is None or result.attempts == 0:
            info.reason = "补考只面向参加了正式考试但未合格的人员；缺考请联系考试管理员安排。"
        elif result.awaiting_grading:
            info.reason = "您的答卷还在阅卷中。"
        elif result.passed:
            info.reason = "您已合格，无需补考。"
        elif used >= exam.resit_attempts:
            info.reason = f"您已用完 {exam.resit_attempts} 次补考机会。"
        else:
            info.can_start = True
        return info
    if now < opens_at:
        reason = f"考试将于 {timezone.localtime(opens_at):%Y年%-m月%-d日 %H:%M} 开始。"
    elif exam.has_resit and now < exam.resit_opens_at:
        reason = f"考试已结束；补考将于 {timezone.localtime(exam.resit_opens_at):%Y年%-m月%-d日 %H:%M} 开始。"
    else:
        reason = "考试已结束。"
    return Eligibility(False, reason, False, opens_at, closes_at, main_used, 0, **base)


def _deadline(*, exam: Exam, start: datetime.datetime, closes_at, extra_minutes: int) -> datetime.datetime:
    if exam.time_limit_minutes:
        return min(start + datetime.timedelta(minutes=exam.time_limit_minutes + extra_minutes), closes_at)
    return closes_at


def attempt_start(*, exam: Exam, user, now: datetime.datetime, rng: random.Random | None = None) -> Attempt:
    """Start a new attempt, or return the one this person already has open (resume)."""
    rng = rng or random.Random(secrets.randbits(64))  # noqa: S311  # nosec B311: shuffling seeded from secrets, nothing to guess
    eligibility = exam_eligibility(exam=exam, user=user, now=now)
    if eligibility.open_attempt is not None:
        return attempt_close_if_expired(attempt=eligibility.open_attempt, now=now)
    if not eligibility.can_start:
        raise ExamUnavailable(eligibility.reason)
    seen = set(AttemptItem.objects.filter(attempt__exam=exam, attempt__user=user).values_list("question_id", flat=True))
    try:
        drawn = paper_draw(exam=exam, seen=seen, rng=rng)
    except PaperUnavailable as exc:
        raise ExamUnavailable(str(exc)) from exc
    items = paper_items(exam=exam, drawn=drawn, rng=rng)
    number = (Attempt.objects.filter(exam=exam, user=user).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam,
                user=user,
                number=number,
                is_resit=eligibility.is_resit,
                started_at=now,
                deadline=_deadline(
                    exam=exam, start=now, closes_at=eligibility.closes_at, extra_minutes=eligibility.extra_minutes
                ),
                max_score=sum((Decimal(item.snapshot["points"]) for item in items), Decimal("0")),
            )
            for item in items:
                item.attempt = attempt
            AttemptItem.objects.bulk_create(items)
    except IntegrityError:
        # Another request (a second tab, a double tap) started it a moment ago: resume that one.
        attempt = Attempt.objects.open().filter(exam=exam, user=user).first()
        if attempt is None:
            raise
    return attempt


def is_expired(attempt: Attempt, now: datetime.datetime) -> bool:
    return now > attempt.deadline + GRACE


@dataclass
class SaveResult:
    saved: dict[int, int] = field(default_factory=dict)  # item id → its new revision
    conflicts: dict[int, int] = field(default_factory=dict)  # item id → the revision the server has
    closed: bool = False  # the attempt was already handed in, or its time was up


def attempt_save(*, attempt: Attempt, answers: dict[int, tuple[object, int]], now: datetime.datetime) -> SaveResult:
    """Save answers ``{item id: (response, revision the page had)}``.

    An answer is stored only if the item is still at the revision the page was showing; a stale tab
    (another tab saved since) is refused rather than overwriting the newer answer. Nothing is
    saved once the attempt is handed in or its deadline (plus ``GRACE``) has passed.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        return _save_locked(locked, answers=answers, now=now)


def attempt_autosave(
    *,
    attempt_id: int,
    user,
    item_ids: set[int],
    read_answers: Callable[[list[AttemptItem]], dict[int, tuple[object, int]]],
    now: datetime.datetime,
) -> tuple[Attempt, list[AttemptItem], SaveResult]:
    """Autosave from the answer page: ``attempt_save`` touching only the items the page posted.

    One query locks the person's attempt and reads just the posted items (the other questions'
    snapshots are never read); ``read_answers`` turns those items and the request into
    ``{item id: (response, revision)}`` (``learning.exams.paper.posted_answers``), under the lock.
    Raises ``Attempt.DoesNotExist`` when the attempt is not this person's.
    """
    with transaction.atomic():
        items = list(
            AttemptItem.objects.select_for_update(of=("attempt",))
            .select_related("attempt")
            .filter(attempt_id=attempt_id, attempt__user=user, pk__in=item_ids)
        )
        if items:
            locked = items[0].attempt
            for item in items:
                item.attempt = locked
        else:
            locked = Attempt.objects.select_for_update().get(pk=attempt_id, user=user)
        answers = read_answers(items) if can_answer(locked) and not is_expired(locked, now) else {}
        return locked, items, _save_locked(locked, answers=answers, now=now)


def _save_locked(locked: Attempt, *, answers: dict[int, tuple[object, int]], now: datetime.datetime) -> SaveResult:
    result = SaveResult()
    if not can_answer(locked):
        result.closed = True
        return result
    if is_expired(locked, now):
        _submit_locked(locked, now=now, auto=True)
        result.closed = True
        return result
    for item_id, (response, revision) in answers.items():
        updated = AttemptItem.objects.filter(pk=item_id, attempt=locked, revision=revision).update(
            response=response, revision=revision + 1, saved_at=now
        )
        if updated:
            result.saved[item_id] = revision + 1
        else:
            current = AttemptItem.objects.filter(pk=item_id, attempt=locked).values_list("revision", flat=True)
            result.conflicts[item_id] = current.first() or 0
    return result


def attempt_submit(*, attempt: Attempt, now: datetime.datetime, auto: bool = False) -> Attempt:
    """Hand in an attempt and score it. Handing in an attempt already handed in returns it unchanged."""
    with transaction.atomic():
        # The exam and the person come along (for grading, the result and the certificate); only the attempt is locked.
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam", "user__staff_profile__department")
            .get(pk=attempt.pk)
        )
        if not can_submit(locked):
            return locked
        return _submit_locked(locked, now=now, auto=auto or is_expired(locked, now))


def attempt_close_if_expired(*, attempt: Attempt, now: datetime.datetime) -> Attempt:
    """Hand in an open attempt whose time is up (with what was saved in time); otherwise return it as it is."""
    if can_submit(attempt) and is_expired(attempt, now):
        return attempt_submit(attempt=attempt, now=now, auto=True)
    return attempt


def attempts_close_expired(*, now: datetime.datetime | None = None) -> int:
    """Hand in every open attempt whose deadline has passed (the scheduled job). Safe to run twice."""
    now = now or timezone.now()
    expired = Attempt.objects.open().filter(deadline__lt=now - GRACE).values_list("pk", flat=True)
    closed = 0
    for pk in list(expired):
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=pk)
            if not can_submit(locked):
                continue  # handed in meanwhile (by its owner, or by another run of this job)
            _submit_locked(locked, now=now, auto=True)
            closed += 1
    return closed


def _submit_locked(attempt: Attempt, *, now: datetime.datetime, auto: bool) -> Attempt:
    policy = attempt.exam.multiple_policy
    items = list(attempt.items.only("id", "attempt_id", "question_id", "snapshot", "response", "score", "is_correct"))
    waiting = False
    for item in items:
        snap = item.snapshot
        outcome = score_response(
            qtype=snap["qtype"], key=snap["key"], points=snap["points"], response=item.response, policy=policy
        )
        item.score, item.is_correct = outcome.score, outcome.correct
        waiting = waiting or outcome.score is None
    _store_scores(items)
    attempt.submitted_at = min(now, attempt.deadline) if auto else now
    attempt.auto_submitted = auto
    attempt_score(attempt, items, waiting=waiting)
    attempt.save(update_fields=["status", "submitted_at", "auto_submitted", "score", "passed"])
    exam_result_refresh(exam=attempt.exam, user=attempt.user)
    if attempt.passed:
        award_pass(attempt=attempt, now=now)
    mistakes_record_exam(attempt=attempt, items=items, now=now)
    if waiting:
        essays_waiting(exam=attempt.exam, now=now)
    return attempt


def _store_scores(items: list[AttemptItem]) -> None:
    """Write the items' scores and correctness in one UPDATE whose CASE lists each distinct value once (a
    paper has a handful): ``bulk_update``'s CASE of one branch per item cost most of a hand-in's CPU."""
    if not items:
        return

    def by_value(name: str) -> Case:
        field = AttemptItem._meta.get_field(name)
        groups = defaultdict(list)
        for item in items:
            groups[getattr(item, name)].append(item.pk)
        branches = [When(pk__in=pks, then=Value(value, output_field=field)) for value, pks in groups.items()]
        case = Case(*branches, output_field=field)
        # As bulk_update does: PostgreSQL types a CASE of parameters (a NULL score of an essay waiting) as text.
        return Cast(case, output_field=field) if connection.features.requires_casted_case_in_updates else case

    AttemptItem.objects.filter(pk__in=[item.pk for item in items]).update(
        score=by_value("score"), is_correct=by_value("is_correct")
    )


def attempt_score(attempt: Attempt, items: list[AttemptItem], *, waiting: bool) -> None:
    """Set the attempt's total, status and pass from its items (not saved)."""
    total = sum((item.score or Decimal("0") for item in items), Decimal("0"))
    attempt.score = total
    if waiting:
        attempt.status = AttemptStatus.SUBMITTED
        attempt.passed = None
    else:
        attempt.status = AttemptStatus.GRADED
        attempt.passed = bool(attempt.max_score) and total * 100 >= attempt.max_score * attempt.exam.pass_percent


def exam_result_refresh(*, exam: Exam, user) -> ExamResult:
    """Recompute a person's standing in an exam from their handed-in attempts."""
    finished = list(Attempt.objects.finished().filter(exam=exam, user=user).order_by("submitted_at", "pk"))
    graded = [a for a in finished if a.status == AttemptStatus.GRADED]
    best = max(graded, key=lambda a: (a.score, a.submitted_at), default=None)
    last = graded[-1] if graded else None
    counted = best if exam.score_policy == ScorePolicy.HIGHEST else last
    standing = {
        "attempts": len(finished),
        "best_score": best.score if best else None,
        "last_score": last.score if last else None,
        "score": counted.score if counted else None,
        "max_score": counted.max_score if counted else (finished[-1].max_score if finished else 0),
        "passed": bool(counted and counted.passed),
        "awaiting_grading": any(a.is_awaiting_grading for a in finished),
        "counted_attempt": counted,
        "last_submitted_at": finished[-1].submitted_at if finished else None,
    }
    # One upsert (INSERT … ON CONFLICT (exam, user) DO UPDATE), whether or not the person has a result yet.
    result = ExamResult(exam=exam, user=user, **standing)
    ExamResult.objects.bulk_create(
        [result], update_conflicts=True, unique_fields=["exam", "user"], update_fields=list(standing)
    )
    return result
