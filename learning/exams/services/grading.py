"""Grading by people (简答) and correcting an answer key after people sat the question."""

import datetime
from decimal import Decimal

from django.db import transaction

from learning.exams.answers import CHOICE_TYPES, QuestionType, normalise, score_response, validate_question
from learning.exams.models import (
    AnswerKeyCorrection,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Certificate,
    ExamResult,
    Question,
    RegradeEntry,
)
from learning.exams.services.attempts import attempt_score, exam_result_refresh
from learning.exams.services.awards import award_pass, award_withdraw


class GradingError(ValueError):
    """The grade cannot be accepted; the message is for the grader."""


def essay_grade(*, item: AttemptItem, score: Decimal, comment: str, by, now: datetime.datetime) -> Attempt:
    """Grade one 简答 answer; when it is the attempt's last ungraded answer, the attempt gets its result."""
    points = Decimal(item.snapshot["points"])
    if score < 0 or score > points:
        raise GradingError(f"得分应在 0 到 {points} 之间。")
    if item.attempt.user_id == by.pk:
        raise GradingError("不能评阅自己的答卷。")
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=item.attempt_id)
        if attempt.status == AttemptStatus.OPEN:
            raise GradingError("考生尚未交卷。")
        AttemptItem.objects.filter(pk=item.pk).update(
            score=score, is_correct=score >= points, grader_comment=comment, graded_by=by, graded_at=now
        )
        items = list(attempt.items.all())
        was_passed = _passed(attempt)
        attempt_score(attempt, items, waiting=any(i.score is None for i in items))
        attempt.save(update_fields=["status", "score", "passed"])
        _settle(attempt, was_passed=was_passed, reason="简答题改判后成绩不合格。", by=by, now=now)
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

    Open attempts get the corrected key in their snapshot and are scored with it when handed in.
    A pass that becomes a fail loses its certificate and hours (by a correction row, never a
    deletion); a fail that becomes a pass gains them. An attempt that showed an earlier version
    of the question gets the key in that version's terms (the same option texts, wherever they
    stood); when that version lacks one of the right options, or had another number of blanks,
    it is left as it was and listed in ``correction.not_regraded`` (attempt ids).
    """
    reason = (reason or "").strip()
    if not reason:
        raise GradingError("请说明更正原因。")
    problems = validate_question(qtype=question.qtype, stem=question.stem, options=question.options, key=key)
    if problems:
        raise GradingError("；".join(problems))
    if key == question.key:
        raise GradingError("新答案与原答案相同。")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        correction = AnswerKeyCorrection.objects.create(
            question=question, old_key=question.key, new_key=key, reason=reason, corrected_by=by, corrected_at=now
        )
        question.key = key
        question.save()
        attempt_ids = (
            AttemptItem.objects.filter(question=question).values_list("attempt_id", flat=True).distinct().order_by()
        )
        correction.not_regraded = []
        for attempt in Attempt.objects.select_for_update().select_related("exam").filter(pk__in=list(attempt_ids)):
            if not _regrade(attempt=attempt, question=question, correction=correction, by=by, now=now):
                correction.not_regraded.append(attempt.pk)
    return correction


def key_for_version(*, snapshot: dict, question: Question, key):
    """``key`` (in the question's current terms) in the terms of the version ``snapshot`` froze; None if it has none."""
    if snapshot["qtype"] != question.qtype:
        return None
    if question.qtype in CHOICE_TYPES:
        if snapshot["options"] == list(question.options):
            return key
        where = {normalise(text): index for index, text in enumerate(snapshot["options"])}
        mapped = [where.get(normalise(question.options[index])) for index in key]
        return None if None in mapped else sorted(mapped)
    if question.qtype == QuestionType.FILL and len(snapshot["key"]) != len(key):
        return None
    return key


def _regrade(*, attempt: Attempt, question: Question, correction: AnswerKeyCorrection, by, now) -> bool:
    """Score one attempt's item with the corrected key; False when its version of the question cannot take it."""
    items = list(attempt.items.all())
    item = next(i for i in items if i.question_id == question.pk)
    new_key = key_for_version(snapshot=item.snapshot, question=question, key=correction.new_key)
    if new_key is None:
        return False
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
    if attempt.status == AttemptStatus.OPEN:
        item.save(update_fields=["snapshot"])
        entry.save()
        return True
    if item.snapshot["qtype"] != "essay":
        outcome = score_response(
            qtype=item.snapshot["qtype"],
            key=new_key,
            points=item.snapshot["points"],
            response=item.response,
            policy=attempt.exam.multiple_policy,
        )
        item.score, item.is_correct = outcome.score, outcome.correct
    item.save(update_fields=["snapshot", "score", "is_correct"])
    was_passed = _passed(attempt)
    attempt_score(attempt, items, waiting=any(i.score is None for i in items))
    attempt.save(update_fields=["status", "score", "passed"])
    entry.new_item_score, entry.new_score, entry.new_passed = item.score, attempt.score, attempt.passed
    entry.save()
    reason = f"答案更正后重新评分，成绩不合格：{correction.reason}"
    _settle(attempt, was_passed=was_passed, reason=reason, by=by, now=now)
    return True
