"""Grading by people (简答) and correcting an answer key after people sat the question."""

import datetime
from decimal import Decimal

from django.db import transaction

from learning.exams.answers import (
    CHOICE_TYPES,
    QuestionType,
    option_identity,
    score_response,
    validate_question,
)
from learning.exams.integrity import CONFLICT, EXAM_CONFLICT, exam_in_conflict, question_in_conflict
from learning.exams.lifecycle import ATTEMPT, GradingError, can_answer
from learning.exams.models import (
    AnswerKeyCorrection,
    Attempt,
    AttemptItem,
    Certificate,
    CorrectionStatus,
    Exam,
    ExamResult,
    Question,
    RegradeEntry,
)
from learning.exams.models.attempts import FINISHED
from learning.exams.services import notices
from learning.exams.services.attempts import attempt_score, exam_result_refresh
from learning.exams.services.awards import award_pass, award_withdraw

CORRECT_PERMISSION = "learning.correct_answer_key"


def _check_actor(user, permission: str, refusal: str) -> None:
    """Every grading service checks who acts, whatever called it (a view, the admin, a job)."""
    if user is None or not user.has_perm(permission):
        raise GradingError(refusal)


def essay_grade(*, item: AttemptItem, score: Decimal, comment: str, by, now: datetime.datetime) -> Attempt:
    """Grade one 简答 answer; when it is the attempt's last ungraded answer, the attempt gets its result."""
    _check_actor(by, notices.GRADE_PERMISSION, "只有阅卷人可以评阅简答题。")
    points = Decimal(item.snapshot["points"])
    if score < 0 or score > points:
        raise GradingError(f"得分应在 0 到 {points} 之间。")
    if item.attempt.user_id == by.pk:
        raise GradingError("不能评阅自己的答卷。")
    if exam_in_conflict(user=by, exam_id=item.attempt.exam_id, now=now):
        raise GradingError(EXAM_CONFLICT)
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=item.attempt_id)
        ATTEMPT.check_state("grade", attempt)
        AttemptItem.objects.filter(pk=item.pk).update(
            score=score, is_correct=score >= points, grader_comment=comment, graded_by=by, graded_at=now
        )
        items = list(attempt.items.all())
        was_passed, was_waiting = _passed(attempt), attempt.is_awaiting_grading
        attempt_score(attempt, items, waiting=any(i.score is None for i in items))
        attempt.save(update_fields=["status", "score", "passed"])
        _settle(attempt, was_passed=was_passed, reason="简答题改判后成绩不合格。", by=by, now=now)
        notices.essay_graded(attempt=attempt, was_waiting=was_waiting, by=by, now=now)
    return attempt


def _passed(attempt: Attempt) -> bool:
    return ExamResult.objects.filter(exam=attempt.exam, user=attempt.user, passed=True).exists()


def _settle(attempt: Attempt, *, was_passed: bool, reason: str, by, now) -> None:
    """Bring the person's result, hours and certificate in line with a changed score."""
    result = exam_result_refresh(exam=attempt.exam, user=attempt.user)
    if result.passed and not was_passed:
        award_pass(attempt=result.counted_attempt, now=now, by=by)
    elif was_passed and not result.passed:
        award_withdraw(attempt=attempt, reason=reason, by=by, now=now)
    elif result.passed:
        Certificate.objects.filter(exam=attempt.exam, user=attempt.user).update(
            score=result.score, max_score=result.max_score
        )


def question_correct_key(*, question: Question, key, reason: str, by, now: datetime.datetime) -> AnswerKeyCorrection:
    """Correct a question's answer key and regrade every attempt that used the old one, with an audit entry each.

    Nobody corrects a key of an exam they have a stake in (``learning.exams.integrity``). A correction
    that would change a result of a closed exam is only recorded, as pending: a second person confirms
    it (``key_correction_confirm``) before the key changes and anyone is regraded.

    Open attempts get the corrected key in their snapshot and are scored with it when handed in.
    A pass that becomes a fail loses its certificate and hours (by a correction row, never a
    deletion); a fail that becomes a pass gains them. An attempt that showed an earlier version
    of the question gets the key in that version's terms (the same option texts, wherever they
    stood); when that version lacks one of the right options, or had another number of blanks,
    it is left as it was and listed in ``correction.not_regraded`` (attempt ids).
    """
    _check_actor(by, CORRECT_PERMISSION, "没有更正答案的权限。")
    reason = (reason or "").strip()
    if not reason:
        raise GradingError("请说明更正原因。")
    problems = validate_question(qtype=question.qtype, stem=question.stem, options=question.options, key=key)
    if problems:
        raise GradingError("；".join(problems))
    if key == question.key:
        raise GradingError("新答案与原答案相同。")
    if question_in_conflict(user=by, question_id=question.pk, now=now):
        raise GradingError(CONFLICT)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if AnswerKeyCorrection.objects.pending().filter(question=question).exists():
            raise GradingError("这道题已有一项答案更正在等待复核，请先复核或驳回它。")
        correction = AnswerKeyCorrection(
            question=question, old_key=question.key, new_key=key, reason=reason, corrected_by=by, corrected_at=now
        )
        if _changes_closed_results(question=question, key=key, now=now):
            correction.status = CorrectionStatus.PENDING
            correction.save()
            correction.not_regraded = []
            notices.correction_pending(correction=correction, now=now)
            return correction
        correction.save()
        _apply(correction=correction, question=question, by=by, now=now)
    return correction


def key_correction_confirm(*, correction: AnswerKeyCorrection, by, now: datetime.datetime) -> AnswerKeyCorrection:
    """The second person confirms a pending correction: only now the key changes and everyone is regraded.

    Of two confirmations at once, one applies it and the other is told it was already handled.
    """
    with transaction.atomic():
        correction, question = _decide(correction=correction, by=by, now=now, status=CorrectionStatus.APPLIED)
        if question.key != correction.old_key:
            raise GradingError("提出更正后这道题的答案已被修改，本项更正不能生效，请驳回后重新提出。")
        _apply(correction=correction, question=question, by=by, now=now)
    return correction


def key_correction_reject(*, correction: AnswerKeyCorrection, by, now: datetime.datetime) -> AnswerKeyCorrection:
    """The second person turns a pending correction down: the key and every result stay as they were."""
    with transaction.atomic():
        correction, _ = _decide(correction=correction, by=by, now=now, status=CorrectionStatus.REJECTED)
    return correction


def _decide(*, correction: AnswerKeyCorrection, by, now, status) -> tuple[AnswerKeyCorrection, Question]:
    """Claim a pending correction for ``by`` (one conditional update, so only one decision wins)."""
    if correction.corrected_by_id == by.pk:
        raise GradingError("答案更正须由另一人复核，不能复核自己提出的更正。")
    _check_actor(by, notices.CONFIRM_PERMISSION, "没有复核答案更正的权限。")
    if question_in_conflict(user=by, question_id=correction.question_id, now=now):
        raise GradingError(CONFLICT)
    claimed = AnswerKeyCorrection.objects.pending().filter(pk=correction.pk)
    if not claimed.update(status=status, confirmed_by=by, confirmed_at=now):
        raise GradingError("这项答案更正已由他人处理。")
    notices.correction_decided(correction=correction, by=by, now=now)
    question = Question.objects.select_for_update().get(pk=correction.question_id)
    return AnswerKeyCorrection.objects.select_related("corrected_by", "confirmed_by").get(pk=correction.pk), question


def _apply(*, correction: AnswerKeyCorrection, question: Question, by, now) -> None:
    """Change the key and regrade every attempt that saw the question (inside the caller's transaction)."""
    question.key = correction.new_key
    question.save()
    attempt_ids = (
        AttemptItem.objects.filter(question=question).values_list("attempt_id", flat=True).distinct().order_by()
    )
    correction.not_regraded = []
    for attempt in Attempt.objects.select_for_update().select_related("exam").filter(pk__in=list(attempt_ids)):
        if not _regrade(attempt=attempt, question=question, correction=correction, by=by, now=now):
            correction.not_regraded.append(attempt.pk)


def _changes_closed_results(*, question: Question, key, now) -> bool:
    """Whether ``key`` would change the score of a handed-in answer in an exam that has closed."""
    items = (
        AttemptItem.objects.filter(question=question, attempt__status__in=FINISHED)
        .exclude(attempt__exam__in=Exam.objects.live(now).values("pk"))
        .select_related("attempt__exam")
    )
    for item in items:
        rescored = _rescore(item=item, question=question, key=key, policy=item.attempt.exam.multiple_policy)
        if rescored is not None and rescored[1].score != item.score:
            return True
    return False


def _rescore(*, item: AttemptItem, question: Question, key, policy):
    """(the key in the item's version, its outcome) under ``key``; None when that version cannot take it."""
    new_key = key_for_version(snapshot=item.snapshot, question=question, key=key)
    if new_key is None or item.snapshot["qtype"] == QuestionType.ESSAY:
        return None
    outcome = score_response(
        qtype=item.snapshot["qtype"], key=new_key, points=item.snapshot["points"], response=item.response, policy=policy
    )
    return new_key, outcome


def key_for_version(*, snapshot: dict, question: Question, key):
    """``key`` (in the question's current terms) in the terms of the version ``snapshot`` froze; None if it has none."""
    if snapshot["qtype"] != question.qtype:
        return None
    if question.qtype in CHOICE_TYPES:
        if snapshot["options"] == list(question.options):
            return key
        # Options are matched as the duplicate check tells them apart: letter case counts ("M" is not "m").
        where = {option_identity(text): index for index, text in enumerate(snapshot["options"])}
        mapped = [where.get(option_identity(question.options[index])) for index in key]
        return None if None in mapped else sorted(mapped)
    if question.qtype == QuestionType.FILL and len(snapshot["key"]) != len(key):
        return None
    return key


def _regrade(*, attempt: Attempt, question: Question, correction: AnswerKeyCorrection, by, now) -> bool:
    """Score one attempt's item with the corrected key; False when its version of the question cannot take it."""
    items = list(attempt.items.all())
    item = next(i for i in items if i.question_id == question.pk)
    rescored = _rescore(item=item, question=question, key=correction.new_key, policy=attempt.exam.multiple_policy)
    if rescored is None:
        return False
    new_key, outcome = rescored
    if item.snapshot["key"] == new_key:
        return True
    entry = RegradeEntry(
        correction=correction,
        attempt=attempt,
        old_item_score=item.score,
        old_score=attempt.score,
        old_passed=attempt.passed,
    )
    item.snapshot = {**item.snapshot, "key": new_key}
    if can_answer(attempt):  # still being sat: the new key scores it when it is handed in
        item.save(update_fields=["snapshot"])
        entry.save()
        return True
    item.score, item.is_correct = outcome.score, outcome.correct
    item.save(update_fields=["snapshot", "score", "is_correct"])
    was_passed = _passed(attempt)
    attempt_score(attempt, items, waiting=any(i.score is None for i in items))
    attempt.save(update_fields=["status", "score", "passed"])
    entry.new_item_score, entry.new_score, entry.new_passed = item.score, attempt.score, attempt.passed
    entry.save()
    notices.result_changed(
        attempt=attempt, old_score=entry.old_score, old_passed=entry.old_passed, correction=correction
    )
    reason = f"答案更正后重新评分，成绩不合格：{correction.reason}"
    _settle(attempt, was_passed=was_passed, reason=reason, by=by, now=now)
    return True
