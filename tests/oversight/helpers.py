"""Building people, targets and learning facts for the oversight tests."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group

from learning.study.awards import learning_record_award
from learning.study.sessions import session_leave, session_sign_in
from organisation import roles
from oversight.models import LetterItem, ResponsibilityLetter, StudyTarget
from tests import clock
from tests.factories import staff

YEAR = clock.SUITE_YEAR
# The bureau is seen at noon on the last Friday of November (the 24th to the 30th): the year's figures are
# nearly complete, the exam of 20 November to 10 December is open, and three days on is a Monday, the first
# day of the weekly reminders' next week.
NOW = clock.at(11, clock.nth_weekday(YEAR, 11, 4, -1).day, 12)
EXAM = f"{YEAR}年度学法考试"  # the bureau's exam


def person(username, *, department, enforcer=False, joined_on=datetime.date(2015, 1, 1), role_names=None, **profile):
    """A member of staff; returns the user (with ``.staff_profile``)."""
    role_names = role_names or (roles.STAFF,)
    return staff(
        username, department=department, enforcer=enforcer, role_names=role_names, joined_on=joined_on, **profile
    )


def credit(user, hours, *, key=None, source="self_study", on=datetime.date(YEAR, 5, 10), title="自学"):
    """Hours on the ledger, through learning's own award service."""
    key = key or f"test:{user.pk}:{source}:{on.isoformat()}:{hours}"
    return learning_record_award(
        user=user, award_key=key, source=source, title=title, hours=Decimal(str(hours)), occurred_on=on
    )[0]


def complete(user, course, *, on=datetime.date(YEAR, 6, 1)):
    """A course's credit, as learning awards it when the last lesson is done."""
    return credit(user, course.credit_hours, key=course.award_key, on=on, title=f"课程：{course.title}")


def target(scope="everyone", *, year=YEAR, courses=(), exams=(), **fields) -> StudyTarget:
    if scope == "role" and isinstance(fields.get("role"), str):
        fields["role"] = Group.objects.get(name=fields["role"])
    created = StudyTarget.objects.create(year=year, scope=scope, **fields)
    created.required_courses.set(courses)
    created.required_exams.set(exams)
    return created


def letter(department, *items, year=YEAR) -> ResponsibilityLetter:
    created = ResponsibilityLetter.objects.create(year=year, department=department, signatory="负责人")
    for order, (name, measure, weight, target_value) in enumerate(items):
        LetterItem.objects.create(
            letter=created,
            sort_order=order,
            name=name,
            measure=measure,
            weight=Decimal(str(weight)),
            target_value=Decimal(str(target_value)),
        )
    return created


def sign_in(session, user):
    return session_sign_in(
        session=session, user=user, method="manual", recorded_by=session.organiser, now=session.starts_at
    )


def on_leave(session, user, reason="外出执法检查"):
    return session_leave(
        session=session, user=user, reason=reason, recorded_by=session.organiser, now=session.starts_at
    )


def at(month, day, hour=9):
    """A moment of the bureau's year, in Shanghai (09:00 unless told otherwise)."""
    return clock.at(month, day, hour)
