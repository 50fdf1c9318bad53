"""The 错题本: every question a person got wrong, until they answer it right in practice."""

import datetime

from django.db.models import F

from learning.exams.models import Attempt, AttemptItem, Mistake, Question, ReviewPolicy


def mistake_record(*, user, question_id: int, correct: bool | None, now: datetime.datetime) -> None:
    if correct is None:
        return  # 简答 answers are not right or wrong by themselves
    if correct:
        Mistake.objects.filter(user=user, question_id=question_id, cleared_at__isnull=True).update(cleared_at=now)
        return
    updated = Mistake.objects.filter(user=user, question_id=question_id).update(
        wrong_count=F("wrong_count") + 1, last_wrong_at=now, cleared_at=None
    )
    if not updated:
        Mistake.objects.get_or_create(user=user, question_id=question_id, defaults={"last_wrong_at": now})


def mistakes_record_exam(*, attempt: Attempt, items: list[AttemptItem], now: datetime.datetime) -> None:
    """An exam's wrong answers join the 错题本 only when the exam shows answers at once.

    Otherwise practising them would reveal which answers were wrong before the review policy allows.
    Questions kept out of practice (``practice_allowed=False``) never join.
    """
    if attempt.exam.review_policy != ReviewPolicy.IMMEDIATELY:
        return
    wrong = [item.question_id for item in items if item.is_correct is False]
    if not wrong:
        return
    practicable = set(Question.objects.filter(pk__in=wrong, practice_allowed=True).values_list("pk", flat=True))
    if not practicable:
        return
    # Set-based, as ``mistake_record`` does one by one: the known ones counted again, the others added.
    known = Mistake.objects.filter(user=attempt.user, question_id__in=practicable)
    known_ids = set(known.values_list("question_id", flat=True))
    if known_ids:
        Mistake.objects.filter(user=attempt.user, question_id__in=known_ids).update(
            wrong_count=F("wrong_count") + 1, last_wrong_at=now, cleared_at=None
        )
    Mistake.objects.bulk_create(
        [
            Mistake(user=attempt.user, question_id=question_id, last_wrong_at=now)
            for question_id in wrong
            if question_id in practicable and question_id not in known_ids
        ],
        ignore_conflicts=True,  # added a moment ago by another request, as get_or_create would find it
    )
