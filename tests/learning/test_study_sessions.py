"""Group study: QR sign-in with signed, expiring links, manual sign-in, leave, notes and photos."""

import datetime
import io
from decimal import Decimal

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learning.models import Attendance, GroupStudySession, LearningRecord
from learning.study.sessions import checkin_token, session_leave, session_sign_in
from tests.clock import at, on
from tests.factories import staff
from tests.learning.study_helpers import make_session

T0 = at(11, 27, 17)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(T0)]


@pytest.fixture
def session(world):
    return make_session(world.user("head"), starts_at=T0 + datetime.timedelta(minutes=10), hours=2)


def checkin_path(token):
    return reverse("study:checkin", kwargs={"token": token})


def test_scanning_shows_the_session_and_a_confirm_button_without_signing_in(client, world, session, clock):
    client.force_login(world.user("staff"))
    clock.move_to(T0, tick=False)
    response = client.get(checkin_path(checkin_token(session=session, now=T0)))
    assert response.status_code == 200 and "确认签到" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_scan_signs_the_person_in_once_and_credits_the_hours_once(client, world, session, clock):
    person = world.user("staff")
    client.force_login(person)
    started = session.starts_at
    clock.move_to(started, tick=False)
    path = checkin_path(checkin_token(session=session, now=started))
    first = client.post(path).content.decode()
    clock.shift(seconds=60)
    second = client.post(path).content.decode()
    third = client.get(path).content.decode()
    assert "签到成功" in first
    assert "已签到" in second and "签到成功" not in second
    assert "已签到" in third
    assert Attendance.objects.filter(session=session, user=person).count() == 1
    record = LearningRecord.objects.get(user=person)
    assert (record.award_key, record.hours, record.source) == (f"session:{session.pk}", Decimal("2.00"), "group_study")


def test_an_expired_code_is_refused_in_chinese(client, world, session, clock):
    client.force_login(world.user("staff"))
    clock.move_to(T0, tick=False)
    token = checkin_token(session=session, now=T0)
    clock.shift(seconds=6 * 60)
    response = client.post(checkin_path(token))
    assert response.status_code == 400
    assert "签到码已过期" in response.content.decode()
    assert not Attendance.objects.exists() and not LearningRecord.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("xy" if not token.endswith("xy") else "zz"),
        lambda token: "eyJzIjo5OTl9:forged:signature",
        lambda token: "nonsense",
    ],
    ids=["altered-signature", "forged-payload", "garbage"],
)
def test_a_tampered_code_is_refused(client, world, session, tamper, clock):
    client.force_login(world.user("staff"))
    clock.move_to(T0, tick=False)
    response = client.post(checkin_path(tamper(checkin_token(session=session, now=T0))))
    assert response.status_code == 400
    assert "签到码无效" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_code_for_a_session_days_away_is_refused(client, world, clock):
    later = make_session(world.user("head"), starts_at=T0 + datetime.timedelta(days=3))
    client.force_login(world.user("staff"))
    clock.move_to(T0, tick=False)
    response = client.post(checkin_path(checkin_token(session=later, now=T0)))
    assert "签到尚未开始" in response.content.decode()


def test_a_visitor_who_scans_is_asked_to_sign_in_first(client, session):
    path = checkin_path(checkin_token(session=session, now=timezone.now()))
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_qr_code_is_drawn_on_the_server_and_changes_each_time(client, world, session):
    client.force_login(world.user("head"))
    url = reverse("study:session_qr_svg", args=[session.pk])
    first = client.get(url)
    second = client.get(url)
    assert first["Content-Type"] == "image/svg+xml" and first.content.startswith(b"<?xml")
    assert first.content != second.content
    assert "no-store" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]
    page = client.get(reverse("study:session_qr", args=[session.pk])).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace("http://www.w3.org", "")


def manage(client, session, **data):
    return client.post(reverse("study:session_attendance", args=[session.pk]), data)


def test_the_organiser_signs_someone_in_by_hand(client, world, session, clock):
    clock.move_to(session.starts_at)  # started: the hours are credited at once
    client.force_login(world.user("head"))
    manage(client, session, person=world.user("enforcer").pk, action="present")
    attendance = Attendance.objects.get(user=world.user("enforcer"))
    assert (attendance.status, attendance.method, attendance.recorded_by) == ("present", "manual", world.user("head"))
    assert LearningRecord.objects.get(user=world.user("enforcer")).created_by == world.user("head")


def test_leave_needs_a_reason_and_earns_no_hours(client, world, session):
    client.force_login(world.user("head"))
    manage(client, session, person=world.user("staff").pk, action="leave", reason="")
    assert not Attendance.objects.exists()
    manage(client, session, person=world.user("staff").pk, action="leave", reason="外出执法")
    attendance = Attendance.objects.get(user=world.user("staff"))
    assert (attendance.status, attendance.reason) == ("leave", "外出执法")
    assert not LearningRecord.objects.exists()


def test_someone_on_leave_who_comes_after_all_is_signed_in(client, world, session, clock):
    clock.move_to(session.starts_at)
    client.force_login(world.user("head"))
    manage(client, session, person=world.user("staff").pk, action="leave", reason="病假")
    manage(client, session, person=world.user("staff").pk, action="present")
    assert Attendance.objects.get(user=world.user("staff")).status == "present"
    assert LearningRecord.objects.filter(user=world.user("staff")).count() == 1


def test_someone_signed_in_cannot_be_turned_into_leave(client, world, session):
    client.force_login(world.user("head"))
    manage(client, session, person=world.user("staff").pk, action="present")
    response = manage(client, session, person=world.user("staff").pk, action="leave", reason="补请假")
    assert Attendance.objects.get(user=world.user("staff")).status == "present"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("已签到，不能改为请假" in m for m in messages)


def test_an_organiser_creates_a_session_and_manages_only_their_own(client, world):
    client.force_login(world.user("head"))
    data = {
        "kind": "training",
        "topic": "行政处罚法培训",
        "starts_at": f"{on(12, 1)}T09:00",
        "ends_at": f"{on(12, 1)}T11:00",
        "place": "三楼会议室",
        "credit_hours": "2",
        "invited_departments": [world.a.pk],
    }
    response = client.post(reverse("study:session_add"), data)
    session = GroupStudySession.objects.get(topic="行政处罚法培训")
    assert response.status_code == 302 and session.organiser == world.user("head")
    client.force_login(world.user("oversight"))
    assert client.get(reverse("study:session_manage", args=[session.pk])).status_code == 403


def test_a_session_form_with_an_end_before_its_start_is_explained(client, world):
    client.force_login(world.user("head"))
    data = {
        "kind": "lecture",
        "topic": "讲座",
        "starts_at": f"{on(12, 1)}T09:00",
        "ends_at": f"{on(12, 1)}T08:00",
        "place": "会议室",
        "credit_hours": "2",
    }
    response = client.post(reverse("study:session_add"), data)
    html = response.content.decode()
    assert "结束时间须晚于开始时间" in html and "请选择参加对象" in html
    assert not GroupStudySession.objects.exists()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_notes_and_photos_are_added_afterwards(client, world, session):
    client.force_login(world.user("head"))
    client.post(reverse("study:session_notes", args=[session.pk]), {"notes": "<b>学习了</b>行政处罚法"})
    upload = SimpleUploadedFile("scene.png", png_bytes(), content_type="image/png")
    client.post(reverse("study:session_photo", args=[session.pk]), {"image": upload, "caption": "现场"})
    session.refresh_from_db()
    assert session.notes == "<b>学习了</b>行政处罚法" and session.photos.count() == 1
    client.force_login(world.user("staff"))
    html = client.get(reverse("study:session_detail", args=[session.pk])).content.decode()
    assert "&lt;b&gt;学习了&lt;/b&gt;" in html and "现场" in html


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(client, world, session):
    client.force_login(world.user("head"))
    upload = SimpleUploadedFile("scene.png", b"not an image", content_type="image/png")
    client.post(reverse("study:session_photo", args=[session.pk]), {"image": upload})
    assert session.photos.count() == 0


def test_nobody_is_signed_in_by_hand_before_sign_in_opens_but_leave_can_be_given(client, world):
    later = make_session(world.user("head"), starts_at=timezone.now() + datetime.timedelta(days=6))
    client.force_login(world.user("head"))
    response = manage(client, later, person=world.user("staff").pk, action="present")
    assert any("尚未开始" in str(m) for m in response.wsgi_request._messages)
    assert not Attendance.objects.exists() and not LearningRecord.objects.exists()
    manage(client, later, person=world.user("staff").pk, action="leave", reason="外出执法")
    assert Attendance.objects.get(user=world.user("staff")).status == "leave"


def test_nobody_is_signed_in_to_a_cancelled_session(client, world):
    called_off = make_session(world.user("head"), starts_at=timezone.now() - datetime.timedelta(hours=3))
    called_off.cancelled = True
    called_off.save()
    client.force_login(world.user("head"))
    response = manage(client, called_off, person=world.user("staff").pk, action="present")
    assert any("已取消" in str(m) for m in response.wsgi_request._messages)
    assert not Attendance.objects.exists() and not LearningRecord.objects.exists()


def edit_data(session, **changes):
    local = timezone.localtime
    return {
        "kind": session.kind,
        "topic": session.topic,
        "starts_at": local(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": session.place,
        "credit_hours": str(session.credit_hours),
        "invite_everyone": "on",
        **changes,
    }


def test_once_someone_is_signed_in_the_sessions_hours_day_and_cancellation_stay(client, world):
    session = make_session(world.user("head"), starts_at=timezone.now() - datetime.timedelta(hours=3))
    client.force_login(world.user("head"))
    url = reverse("study:session_edit", args=[session.pk])
    # Before anyone is signed in the organiser may change anything.
    assert client.post(url, edit_data(session, credit_hours="3")).status_code == 302
    session.refresh_from_db()
    assert session.credit_hours == Decimal("3.0")
    manage(client, session, person=world.user("staff").pk, action="present")
    next_day = timezone.localtime(session.starts_at) + datetime.timedelta(days=1)
    for changes, message in [
        ({"credit_hours": "4"}, "学时不能再修改"),
        ({"starts_at": next_day.strftime("%Y-%m-%dT%H:%M"), "ends_at": ""}, "日期不能再修改"),
        ({"cancelled": "on"}, "不能取消"),
    ]:
        if not changes.get("ends_at", True):
            changes["ends_at"] = (next_day + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(url, edit_data(session, **changes))
        assert response.status_code == 200 and message in response.content.decode(), changes
    session.refresh_from_db()
    assert (session.credit_hours, session.cancelled) == (Decimal("3.0"), False)
    assert LearningRecord.objects.get(user=world.user("staff")).hours == Decimal("3.00")
    # The place, the speaker and the time of day may still be put right.
    later_that_day = timezone.localtime(session.starts_at).replace(hour=15, minute=0)
    moved = edit_data(
        session,
        place="五楼会议室",
        starts_at=later_that_day.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(later_that_day + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert client.post(url, moved).status_code == 302
    session.refresh_from_db()
    assert session.place == "五楼会议室"


def test_the_session_pages_take_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    """Ten sessions with ten people each, half signed in and half on leave: no query per session or person."""
    head = world.user("head")
    people = [staff(f"p{n}", department=world.a) for n in range(10)]
    now = timezone.now()
    sessions = []
    for n in range(10):
        session = make_session(head, starts_at=now - datetime.timedelta(days=n + 1), topic=f"学法{n}")
        make_session(head, starts_at=now + datetime.timedelta(days=n + 1), topic=f"将来的学法{n}")
        for index, person in enumerate([*people, world.user("staff")]):
            if index % 2:
                session_leave(session=session, user=person, reason="外出执法", recorded_by=head, now=session.starts_at)
            else:
                session_sign_in(session=session, user=person, method="manual", recorded_by=head, now=session.starts_at)
        sessions.append(session)
    client.force_login(world.user("staff"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("study:sessions"))
    assert len(response.context["upcoming"]) == 10 and len(response.context["page_obj"]) == 10
    with django_assert_max_num_queries(11):
        assert client.get(reverse("study:session_detail", args=[sessions[0].pk])).status_code == 200
    client.force_login(head)
    with django_assert_max_num_queries(9):
        assert len(client.get(reverse("study:organise")).context["page_obj"]) == 20
    with django_assert_max_num_queries(12):
        response = client.get(reverse("study:session_manage", args=[sessions[0].pk]))
    assert len(response.context["present"]) + len(response.context["leave"]) == 11
