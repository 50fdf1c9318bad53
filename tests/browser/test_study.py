"""A new member of staff on a phone: finds an assigned course, completes a lesson, sees the hours on the record."""

from decimal import Decimal

from playwright.sync_api import expect

from learning.models import LessonProgress
from tests.browser.conftest import assert_accessible, login, nav_link
from tests.factories import PASSWORD, DepartmentFactory, staff
from tests.learning.study_helpers import make_course, quiz_block


def test_staff_complete_an_assigned_lesson_and_see_the_hours_on_their_record(live_server, phone):
    person = staff("wang", department=DepartmentFactory(name="公共服务处"), real_name="王晓红")
    course = make_course("宪法学习", lessons=1, credit_hours=Decimal("2"), is_required=True, assign_everyone=True)
    lesson = course.lessons().first()
    lesson.body = [("paragraph", "<p>宪法是国家的根本法，具有最高的法律效力。</p>"), quiz_block()]
    lesson.save_revision().publish()

    login(phone, live_server.url, "wang", PASSWORD)
    expect(phone.get_by_role("heading", name="我的课程")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="宪法学习").first.click()
    expect(phone.get_by_role("heading", name="宪法学习")).to_be_visible()
    assert_accessible(phone)

    with phone.expect_response(lambda r: "/heartbeat/" in r.url and r.request.method == "POST") as beat:
        phone.get_by_role("link", name="开始学习：第1课").click()
    assert beat.value.ok
    expect(phone.get_by_role("heading", name="第1课")).to_be_visible()
    # The manual "完成阅读" appears only once the minimum reading time is met.
    assert phone.get_by_role("button", name="完成阅读").is_hidden()
    assert_accessible(phone)
    assert LessonProgress.objects.get(user=person, lesson=lesson).last_view

    # She has read for the minimum time (credited by the server from her heartbeats, as a longer
    # session would): passing the quiz now completes the lesson.
    LessonProgress.objects.filter(user=person, lesson=lesson).update(seconds=lesson.min_seconds)
    phone.get_by_label("根本法").check()
    phone.get_by_role("button", name="提交测验").click()
    expect(phone.get_by_text("测验通过")).to_be_visible()
    expect(phone.get_by_text("恭喜！课程全部完成，已计入 2 学时")).to_be_visible()
    expect(phone.get_by_text("回答正确")).to_be_visible()
    assert_accessible(phone)

    nav_link(phone, "学习档案").click()
    expect(phone.get_by_role("heading", name="我的学习档案")).to_be_visible()
    hours = phone.locator("table.record-hours tbody td")
    assert hours.nth(0).inner_text() == "2"  # 自学
    assert hours.last.inner_text() == "2"  # 合计
    expect(phone.get_by_role("cell", name="已完成").first).to_be_visible()
    assert_accessible(phone)
