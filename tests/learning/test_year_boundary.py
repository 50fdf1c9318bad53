"""Hours earned around midnight on 31 December count in the year of the moment they were earned, in
Asia/Shanghai (``learning.models.records.earned_on``): a course's last lesson completed, an exam handed
in, a group-study session begun."""

import datetime
from decimal import Decimal

import pytest

from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from learning.models import LearningRecord
from learning.models.records import earned_on
from learning.study.sessions import session_sign_in, sessions_credit_started
from organisation import roles
from tests.clock import SUITE_YEAR, at
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.learning.study_helpers import make_course, make_session, study_lesson

pytestmark = pytest.mark.django_db

NEXT = SUITE_YEAR + 1
LAST_MINUTE = at(12, 31, 23, 59)
FIRST_MINUTE = at(1, 1, 0, 1, year=NEXT)
SIDES = [
    pytest.param(LAST_MINUTE, SUITE_YEAR, id="23:59 on 31 December"),
    pytest.param(FIRST_MINUTE, NEXT, id="00:01 on 1 January"),
]


def test_the_day_is_shanghais_whatever_the_moments_zone():
    eight_hours_before_midnight = datetime.datetime(SUITE_YEAR, 12, 31, 16, 0, tzinfo=datetime.UTC)
    assert earned_on(eight_hours_before_midnight - datetime.timedelta(seconds=1)) == datetime.date(SUITE_YEAR, 12, 31)
    assert earned_on(eight_hours_before_midnight) == datetime.date(NEXT, 1, 1)


@pytest.mark.parametrize(("moment", "year"), SIDES)
def test_a_course_counts_in_the_year_its_last_lesson_was_completed(moment, year):
    person = staff("wang")
    course = make_course(lessons=1, credit_hours=Decimal("3"), assign_everyone=True)
    study_lesson(person, course.lessons()[0], now=moment)
    record = LearningRecord.objects.get(user=person)
    assert (record.year, record.occurred_on) == (year, moment.date())


@pytest.mark.parametrize(("moment", "year"), SIDES)
def test_an_exam_open_across_new_year_counts_in_the_year_it_was_handed_in(moment, year):
    person = staff("wang")
    exam = make_exam(
        [make_question("single", key=[0], points=10)],
        now=at(12, 31, 20),  # the old year's exam, open until the next day
        hours=Decimal("2"),
    )
    assert exam.year == SUITE_YEAR
    attempt = attempt_start(exam=exam, user=person, now=moment - datetime.timedelta(minutes=5))
    attempt_save(
        attempt=attempt, answers={attempt.items.get().pk: ([0], 0)}, now=moment - datetime.timedelta(minutes=1)
    )
    attempt_submit(attempt=attempt, now=moment)
    record = LearningRecord.objects.get(user=person, source="exam")
    assert (record.year, record.occurred_on) == (year, moment.date())


@pytest.mark.parametrize(
    ("starts_at", "year"),
    [
        pytest.param(at(12, 31, 23, 30), SUITE_YEAR, id="begun 23:30 on 31 December"),
        pytest.param(at(1, 1, 0, 30, year=NEXT), NEXT, id="begun 00:30 on 1 January"),
    ],
)
def test_a_group_study_session_counts_in_the_year_it_began_whenever_people_sign_in(starts_at, year):
    organiser = staff("head", role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    person = staff("wang")
    session = make_session(organiser, starts_at=starts_at)
    signed_in = at(1, 1, 0, 10, year=NEXT)  # after the first session began, before the second
    session_sign_in(session=session, user=person, method="manual", recorded_by=organiser, now=signed_in)
    sessions_credit_started(now=max(signed_in, starts_at) + datetime.timedelta(minutes=5))  # the 5-minute job
    record = LearningRecord.objects.get(user=person)
    assert (record.year, record.occurred_on) == (year, starts_at.date())
