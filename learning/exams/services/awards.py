"""What a pass brings: the exam's hours in the learning record and a certificate, each at most once."""

import datetime
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from learning.exams.models import Attempt, Certificate
from learning.models.records import LearningRecord, LearningSource
from organisation.models import StaffProfile

# Letters and digits nobody confuses when reading a code off paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def award_key(exam) -> str:
    return f"exam:{exam.pk}"


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _net_hours(award: LearningRecord):
    corrections = award.corrections.aggregate(total=Sum("hours"))["total"] or 0
    return award.hours + corrections


def award_pass(*, attempt: Attempt, now: datetime.datetime, by=None) -> None:
    """Credit the exam's hours (``award_key`` ``exam:<id>``) and issue the certificate, once per person and exam."""
    exam = attempt.exam
    if exam.hours:
        award = LearningRecord.objects.filter(user=attempt.user, award_key=award_key(exam)).first()
        if award is None:
            try:
                with transaction.atomic():
                    LearningRecord.objects.create(
                        user=attempt.user,
                        year=exam.year,
                        occurred_on=timezone.localdate(attempt.submitted_at),
                        source=LearningSource.EXAM,
                        title=f"{exam.title}（考试合格）"[:200],
                        hours=exam.hours,
                        award_key=award_key(exam),
                        source_type=ContentType.objects.get_for_model(exam),
                        source_id=exam.pk,
                    )
            except IntegrityError:
                pass  # awarded a moment ago by another request
        elif _net_hours(award) <= 0:
            # The pass was withdrawn by an answer-key correction and is now restored.
            LearningRecord.objects.create(
                user=attempt.user,
                year=award.year,
                occurred_on=timezone.localdate(now),
                source=LearningSource.EXAM,
                title=award.title,
                hours=award.hours,
                corrects=award,
                reason="答案更正后重新评分，成绩合格，恢复学时。",
                created_by=by,
            )
    if exam.issues_certificate:
        _certificate_issue(attempt=attempt, now=now)


def _certificate_issue(*, attempt: Attempt, now: datetime.datetime) -> Certificate:
    existing = Certificate.objects.filter(exam=attempt.exam, user=attempt.user).first()
    if existing is not None:
        if existing.revoked_at is not None:
            existing.revoked_at, existing.revoked_reason = None, ""
            existing.attempt, existing.score, existing.max_score = attempt, attempt.score, attempt.max_score
            existing.save()
        return existing
    profile = StaffProfile.objects.filter(user=attempt.user).select_related("department").first()
    name = profile.real_name if profile else (attempt.user.get_full_name() or attempt.user.get_username())
    for _ in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    exam=attempt.exam,
                    user=attempt.user,
                    attempt=attempt,
                    code=new_certificate_code(),
                    holder_name=name,
                    department_name=profile.department.name if profile and profile.department else "",
                    score=attempt.score,
                    max_score=attempt.max_score,
                    issued_at=now,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(exam=attempt.exam, user=attempt.user).first()
            if existing is not None:
                return existing  # issued by a concurrent request
    raise RuntimeError("could not find a free certificate code")


def award_withdraw(*, attempt: Attempt, reason: str, by, now: datetime.datetime) -> None:
    """A regrade turned a pass into a fail: revoke the certificate and correct the hours (never delete)."""
    Certificate.objects.filter(exam=attempt.exam, user=attempt.user, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason[:200]
    )
    award = LearningRecord.objects.filter(user=attempt.user, award_key=award_key(attempt.exam)).first()
    if award is not None and _net_hours(award) > 0:
        LearningRecord.objects.create(
            user=attempt.user,
            year=award.year,
            occurred_on=timezone.localdate(now),
            source=LearningSource.EXAM,
            title=award.title,
            hours=-award.hours,
            corrects=award,
            reason=reason,
            created_by=by,
        )
