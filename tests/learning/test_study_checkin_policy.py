"""Who may sign in by the QR code, when the hours are credited, and when a sign-in counts as attended."""

import datetime

import pytest

from django.urls import reverse

from learning.models import Attendance, LearningRecord
from learning.study.records import record_year
from learning.study.sessions import checkin_token, session_sign_in, sessions_credit_started
from oversight.figures import year_figures
from tests.clock import SUITE_NOW
from tests.learning.study_helpers import make_session

pytestmark = pytest.mark.django_db
START = SUITE_NOW + datetime.timedelta(hours=1)


def scan(client, session, now):
    return client.post(reverse("study:checkin", kwargs={"token": checkin_token(session=session, now=now)}))


@pytest.fixture
def for_department_b(world):
    """A session for 公共服务处 only: ``staff`` (执法队) is not invited, ``other_staff`` is."""
    session = make_session(world.user("head"), starts_at=START, everyone=False)
    session.invited_departments.set([world.b])
    return session


def test_someone_not_invited_cannot_sign_in_by_the_qr_code(client, world, for_department_b, clock):
    clock.move_to(START)
    client.force_login(world.user("staff"))
    path = reverse("study:checkin", kwargs={"token": checkin_token(session=for_department_b, now=START)})
    shown = client.get(path)
    posted = client.post(path)
    assert shown.status_code == posted.status_code == 403
    assert "不在本次集中学法的参加人员名单中" in posted.content.decode() and "确认签到" not in shown.content.decode()
    assert not Attendance.objects.exists() and not LearningRecord.objects.exists()


def test_the_invited_sign_in_and_the_organisers_option_lets_others_in(client, world, for_department_b, clock):
    clock.move_to(START)
    client.force_login(world.user("other_staff"))
    assert "签到成功" in scan(client, for_department_b, START).content.decode()
    for_department_b.allow_uninvited = True
    for_department_b.save()
    client.force_login(world.user("staff"))
    assert "签到成功" in scan(client, for_department_b, START).content.decode()
    assert LearningRecord.objects.filter(award_key=for_department_b.award_key).count() == 2


def test_the_organiser_may_still_enter_someone_not_invited_who_came(world, for_department_b):
    attendance, created = session_sign_in(
        session=for_department_b, user=world.user("staff"), method="manual", recorded_by=world.user("head"), now=START
    )
    assert created and attendance.method == "manual"


def test_a_sign_in_before_the_start_earns_the_hours_only_once_the_session_has_started(client, world, clock):
    session = make_session(world.user("head"), starts_at=START)
    early = clock.move_to(START - datetime.timedelta(minutes=30))
    person = world.user("staff")
    client.force_login(person)
    page = scan(client, session, early).content.decode()
    assert "签到成功" in page and "学时将于集中学法开始后计入" in page
    assert Attendance.objects.get(user=person).status == "present"
    assert not LearningRecord.objects.exists()

    assert sessions_credit_started(now=START - datetime.timedelta(seconds=1)) == 0
    assert sessions_credit_started(now=START) == 1
    assert sessions_credit_started(now=START + datetime.timedelta(minutes=5)) == 0
    record = LearningRecord.objects.get(user=person)
    assert (record.award_key, record.hours, record.occurred_on) == (
        session.award_key,
        session.credit_hours,
        START.date(),
    )


def test_a_sign_in_after_the_start_credits_the_hours_at_once(client, world, clock):
    session = make_session(world.user("head"), starts_at=START)
    late = clock.move_to(START + datetime.timedelta(minutes=5))
    client.force_login(world.user("staff"))
    assert "已计入 2 学时" in scan(client, session, late).content.decode()
    assert LearningRecord.objects.filter(user=world.user("staff"), award_key=session.award_key).exists()


def test_a_sign_in_counts_as_attended_on_the_record_and_the_dashboard_only_once_the_session_has_ended(world):
    person = world.user("staff")
    session = make_session(world.user("head"), starts_at=START, hours=2)
    session_sign_in(session=session, user=person, method="qr", recorded_by=person, now=START)
    during, after = START + datetime.timedelta(hours=1), session.ends_at

    def record_status(now):
        (row,) = record_year(person=person.staff_profile, year=START.year, now=now).attendance
        return row.status

    def dashboard_present(now):
        people = year_figures(year=START.year, now=now).people
        return int(people.loc[people["profile_id"] == person.staff_profile.pk, "sessions_present"].iloc[0])

    assert record_status(during) == "已签到（结束后计为出勤）" and dashboard_present(during) == 0
    assert record_status(after) == "已签到" and dashboard_present(after) == 1
