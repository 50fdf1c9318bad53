"""Building courses, lessons and sessions for the study tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from learning.study.models import CourseIndexPage, CoursePage, GroupStudySession, LessonPage, LessonProgress
from learning.study.progress import lesson_quiz_submit
from website.models import HomePage


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="课程学习", slug="courses")
        HomePage.objects.first().add_child(instance=index)
    return index


def quiz_block(question="宪法是国家的什么法？", choices=("根本法", "普通法"), correct=(0,)):
    return (
        "quiz",
        {
            "question": question,
            "choices": [{"text": text, "correct": index in correct} for index, text in enumerate(choices)],
            "explanation": "宪法是国家的根本法。",
        },
    )


def make_course(
    title="测试课程",
    *,
    lessons=2,
    credit_hours=Decimal("2"),
    min_minutes=5,
    length_minutes=10,
    quiz=True,
    departments=(),
    people=(),
    **fields,
) -> CoursePage:
    index = course_index()
    course = CoursePage(title=title, slug=f"c-{CoursePage.objects.count() + 1}", credit_hours=credit_hours, **fields)
    course.assign_departments = list(departments)
    course.assign_people = list(people)
    index.add_child(instance=course)
    for number in range(1, lessons + 1):
        body = [("paragraph", "<p>第一条 正文。</p>")]
        if quiz:
            body.append(quiz_block())
        course.add_child(
            instance=LessonPage(
                title=f"第{number}课",
                slug=f"lesson-{number}",
                min_minutes=min_minutes,
                length_minutes=length_minutes,
                body=body,
            )
        )
    return course


def make_session(organiser, *, starts_at=None, hours=2, everyone=True, **fields) -> GroupStudySession:
    starts_at = starts_at or timezone.now() + datetime.timedelta(minutes=10)
    return GroupStudySession.objects.create(
        kind=fields.pop("kind", "lecture"),
        topic=fields.pop("topic", "法治专题讲座"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        place="报告厅",
        credit_hours=Decimal(hours),
        organiser=organiser,
        invite_everyone=everyone,
        **fields,
    )


def study_lesson(user, lesson, *, now):
    """Complete ``lesson`` as a learner does: its minimum time credited (as heartbeats credit it), then
    its quiz passed; returns the quiz's result."""
    LessonProgress.objects.update_or_create(
        user=user, lesson=lesson, defaults={"course_id": lesson.get_parent().pk, "seconds": lesson.min_seconds}
    )
    answers = {
        block_id: [index for index, choice in enumerate(question["choices"]) if choice["correct"]]
        for block_id, question in lesson.quiz_questions()
    }
    return lesson_quiz_submit(user=user, lesson=lesson, answers=answers, now=now)
