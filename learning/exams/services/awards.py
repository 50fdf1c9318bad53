"""What a pass brings: the exam's hours in the learning record and a certificate, each at most once."""

import datetime
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils import timezone

from learning.exams.models import Attempt, Certificate
from learning.models.records import LearningRecord, LearningSource, earned_on
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
            handed_in = earned_on(attempt.submitted_at)
            # ON CONFLICT DO NOTHING: awarded a moment ago by another request (``learning_award_once``).
            LearningRecord.objects.bulk_create(
                [
                    LearningRecord(
                        user=attempt.user,
                        year=handed_in.year,
                        occurred_on=handed_in,
                        source=LearningSource.EXAM,
                        title=f"{exam.title}（考试合格）"[:200],
                        hours=exam.hours,
                        award_key=award_key(exam),
                        source_type=ContentType.objects.get_for_model(exam),
                        source_id=exam.pk,
                    )
                ],
                ignore_conflicts=True,
            )
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
    """Issue the certificate once per person and exam; a revoked one is restored for this pass.

    Inserted with ON CONFLICT DO NOTHING and read back: the code drawn tells whether this insert made
    it; when none is there, the code was taken and another is drawn.
    """
    profile = _profile(attempt.user)
    name = profile.real_name if profile else (attempt.user.get_full_name() or attempt.user.get_username())
    for _ in range(5):
        code = new_certificate_code()
        Certificate.objects.bulk_create(
            [
                Certificate(
                    exam=attempt.exam,
                    user=attempt.user,
                    attempt_id=attempt.pk,  # not ``attempt=``: that would cache this unsaved row as attempt.certificate
                    code=code,
                    holder_name=name,
                    department_name=profile.department.name if profile and profile.department else "",
                    score=attempt.score,
                    max_score=attempt.max_score,
                    issued_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        existing = Certificate.objects.filter(exam=attempt.exam, user=attempt.user).first()
        if existing is None:
            continue  # the code was taken: draw another
        if existing.code != code and existing.revoked_at is not None:
            existing.revoked_at, existing.revoked_reason = None, ""
            existing.attempt, existing.score, existing.max_score = attempt, attempt.score, attempt.max_score
            existing.save()
        if existing.attempt_id == attempt.pk:
            attempt.certificate = existing
        return existing  # this one, or the one issued before (or a moment ago by a concurrent request)
    raise RuntimeError("could not find a free certificate code")


def _profile(user) -> StaffProfile | None:
    """The person's staff profile: the one loaded with the attempt when it was (``attempt_submit``), else looked up."""
    if not type(user).staff_profile.is_cached(user):
        return StaffProfile.objects.filter(user=user).select_related("department").first()
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


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
