"""Writing to the learning ledger: awards happen at most once, corrections are new rows."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learning.models.records import LearningRecord, LearningSource


def learning_record_award(
    *,
    user,
    award_key: str,
    source: str,
    title: str,
    hours: Decimal,
    occurred_on: datetime.date,
    source_object=None,
    created_by=None,
) -> tuple[LearningRecord, bool]:
    """Credit ``hours`` once per (user, award_key); a second call returns the first award and False.

    The unique constraint decides under concurrency: the losing request's insert fails inside
    its own savepoint and it reads the winner's row instead.
    """
    existing = LearningRecord.objects.filter(user=user, award_key=award_key).first()
    if existing is not None:
        return existing, False
    fields = {
        "user": user,
        "award_key": award_key,
        "source": source,
        "title": title[:200],
        "hours": hours,
        "occurred_on": occurred_on,
        "year": occurred_on.year,
        "created_by": created_by,
    }
    if source_object is not None:
        fields["source_type"] = ContentType.objects.get_for_model(source_object)
        fields["source_id"] = source_object.pk
    try:
        with transaction.atomic():
            return LearningRecord.objects.create(**fields), True
    except IntegrityError:
        return LearningRecord.objects.get(user=user, award_key=award_key), False


def learning_record_correct(
    *,
    user,
    hours: Decimal,
    reason: str,
    created_by,
    occurred_on: datetime.date,
    source: str = "",
    corrects: LearningRecord | None = None,
    title: str = "",
) -> LearningRecord:
    """A correction: a new row with its own (positive or negative) hours, a reason and who made it.

    A correction of a record counts in that record's year and source, and never takes more than the
    record still holds (its hours with the corrections already made to it); a reduction without a
    record to correct never takes the person's hours of that source and year below zero.
    """
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "请填写更正原因。"
    if hours == 0:
        errors["hours"] = "更正学时不能为 0。"
    if corrects is not None and corrects.user_id != user.pk:
        errors["corrects"] = "只能更正本人的学时记录。"
    source = source or (corrects.source if corrects else "")
    if source not in LearningSource.values:
        errors["source"] = "请选择学时来源。"
    if corrects is not None and corrects.user_id == user.pk:
        if source != corrects.source:
            errors["source"] = f"更正记录的来源须与原记录一致（{corrects.get_source_display()}）。"
        if occurred_on.year != corrects.year:
            errors["occurred_on"] = f"更正须计入原记录所在的 {corrects.year} 年度，请选择该年度内的日期。"
    if errors:
        raise ValidationError(errors)
    if not title:
        title = f"更正：{corrects.title}" if corrects else "学时更正"
    with transaction.atomic():
        _lock_ledger(user)
        if corrects is not None:
            held = corrects.hours + LearningRecord.objects.filter(corrects=corrects).hours()
            if held >= 0 and held + hours < 0:
                raise ValidationError({"hours": f"冲减不能超过原记录现有的 {held.normalize():f} 学时。"})
            if held < 0 and held + hours > 0:
                raise ValidationError({"hours": f"撤销不能超过该更正现有的 {(-held).normalize():f} 学时。"})
        elif hours < 0:
            held = LearningRecord.objects.filter(user=user, year=occurred_on.year, source=source).hours()
            if held + hours < 0:
                raise ValidationError(
                    {
                        "hours": f"冲减后该人员 {occurred_on.year} 年的“{LearningSource(source).label}”学时将为负数"
                        f"（现有 {held.normalize():f} 学时）。"
                    }
                )
        return LearningRecord.objects.create(
            user=user,
            year=occurred_on.year,
            occurred_on=occurred_on,
            source=source,
            title=title[:200],
            hours=hours,
            corrects=corrects,
            reason=reason,
            created_by=created_by,
        )


def _lock_ledger(user) -> None:
    """Corrections of one person's hours take turns, so two cannot both take the same hours away."""
    from django.contrib.auth import get_user_model

    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
