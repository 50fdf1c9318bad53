"""Course pages are for signed-in staff only; the start page; the daily reminders."""

import io

import pytest
from django_q.models import Schedule

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Page, PageViewRestriction

from learning.study.models import CourseIndexPage, LessonPage
from learning.study.tasks import send_study_reminders
from organisation.models import Notification
from tests.clock import at, on
from tests.factories import UserFactory
from tests.learning.study_helpers import make_course, make_session, study_lesson

pytestmark = pytest.mark.django_db


def test_visitors_are_sent_to_sign_in_from_every_study_page(client):
    course = make_course(assign_everyone=True)
    for page in (course.get_parent(), course, course.lessons().first()):
        response = client.get(page.url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), page.url


def test_an_account_without_a_staff_profile_cannot_study(client):
    course = make_course(assign_everyone=True)
    client.force_login(UserFactory(username="outsider"))
    assert client.get(course.url).status_code == 403
    assert client.get(course.lessons().first().url).status_code == 403


def test_the_course_index_is_always_restricted_so_public_listings_never_show_study_pages():
    course = make_course(assign_everyone=True)
    index = CourseIndexPage.objects.get()
    assert PageViewRestriction.objects.filter(page=index, restriction_type="login").exists()
    public = set(Page.objects.live().public().values_list("pk", flat=True))
    assert index.pk not in public and course.pk not in public
    assert not public & set(LessonPage.objects.values_list("pk", flat=True))
    assert not Page.objects.live().public().search("第一条 正文")


def test_staff_see_their_assigned_courses_first_with_progress(client, world):
    make_course("全员必修", is_required=True, assign_everyone=True, due_date=on(12, 1))
    make_course("选学课程")
    client.force_login(world.user("staff"))
    response = client.get(reverse("study:courses"), follow=True)
    assert [card.course.title for card in response.context["assigned"]] == ["全员必修"]
    assert [card.course.title for card in response.context["others"]] == ["选学课程"]
    assert "分配给我的课程" in response.content.decode()


@pytest.mark.clock(at(11, 27))
def test_the_start_page_shows_courses_sessions_and_this_years_hours(client, world):
    course = make_course("宪法学习", lessons=1, is_required=True, assign_everyone=True)
    open_course = make_course("民法典学习", lessons=2, assign_everyone=True, due_date=on(12, 3))
    make_session(world.user("head"), topic="国家宪法日专题讲座")
    lesson = course.lessons().first()
    study_lesson(world.user("staff"), lesson, now=at(11, 20, 8))
    client.force_login(world.user("staff"))
    html = client.get("/").content.decode()
    assert "民法典学习" in html and f"期限 {on(12, 3).isoformat()}" in html
    assert "国家宪法日专题讲座" in html
    assert "<strong>2</strong> 学时" in html
    assert open_course.title in html and "宪法学习</a>" not in html  # finished courses leave the to-do list


def test_reminders_go_once_a_day_to_those_who_have_not_finished(world):
    course = make_course("到期课程", lessons=1, assign_everyone=True, due_date=on(11, 30))
    lesson = course.lessons().first()
    study_lesson(world.user("enforcer"), lesson, now=at(11, 20, 8))
    make_session(
        world.user("head"),
        everyone=False,
        topic="明天的学法",
        starts_at=at(11, 28, 9),
    ).invited_departments.add(world.b)
    first = send_study_reminders(on(11, 27).isoformat())
    assert send_study_reminders(on(11, 27).isoformat()) == 0
    due = Notification.objects.filter(kind="course_due")
    assert set(due.values_list("user__username", flat=True)) == {
        "staff",
        "head",
        "oversight",
        "publicity",
        "editor",
        "reviewer",
        "other",
    }
    assert due.first().title == "课程“到期课程”将于 3 天后到期"
    tomorrow = Notification.objects.filter(kind="session_tomorrow")
    assert set(tomorrow.values_list("user__username", flat=True)) == {
        "oversight",
        "publicity",
        "editor",
        "reviewer",
        "other",
    }
    assert first == due.count() + tomorrow.count()
    assert send_study_reminders(on(11, 28).isoformat()) == 7  # a new day, a new reminder for the course only


def test_the_reminder_schedule_is_installed():
    call_command("setup_schedules", stdout=io.StringIO())
    schedule = Schedule.objects.get(func="learning.study.tasks.send_study_reminders")
    assert schedule.schedule_type == Schedule.DAILY and schedule.next_run.hour in (0, 8)


def test_visitors_search_never_finds_a_lesson_even_without_the_index_restriction(client):
    """Study pages are staff-only page types too, so a lifted view restriction cannot publish them."""
    make_course(assign_everyone=True)
    PageViewRestriction.objects.all().delete()
    response = client.get(reverse("website:search"), {"q": "正文"})
    assert response.status_code == 200
    assert "第1课" not in response.content.decode()


def test_a_lesson_renders_the_same_content_blocks_as_explainers(client, world):
    course = make_course(assign_everyone=True, quiz=False)
    lesson = course.lessons().first()
    lesson.body = [
        ("key_points", {"heading": "要点提示", "points": ["先亮证", "再检查"]}),
        ("faq", {"heading": "常见问题", "items": [{"question": "能否拒绝检查？", "answer": "<p>不能。</p>"}]}),
    ]
    lesson.save_revision().publish()
    client.force_login(world.user("staff"))
    html = client.get(lesson.url).content.decode()
    assert "先亮证" in html and "能否拒绝检查？" in html
