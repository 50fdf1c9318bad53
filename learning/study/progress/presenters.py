"""What the course list, a course and a lesson page show: reads only, from data the page hands in."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from learning.models.records import LearningRecord
from learning.study.models import CoursePage, LessonPage, LessonProgress, LessonQuizAttempt
from learning.study.progress.heartbeats import HEARTBEAT_SECONDS
from learning.study.progress.locking import completion_unmet
from learning.study.progress.tokens import lesson_view_token


@dataclass
class CourseCard:
    course: CoursePage
    lessons: int = 0
    completed: int = 0
    assigned: bool = False
    credited_on: datetime.date | None = None
    overdue: bool = False
    due_soon: bool = False

    @property
    def percent(self) -> int:
        if self.credited_on:
            return 100
        return round(100 * self.completed / self.lessons) if self.lessons else 0

    @property
    def status(self) -> str:
        if self.credited_on:
            return "已完成"
        if self.overdue:
            return "已逾期"
        return "学习中" if self.completed else "未开始"

    @property
    def status_class(self) -> str:
        if self.credited_on:
            return "status-ok"
        return "status-bad" if self.overdue else ("status-warn" if self.due_soon else "")


def _lessons_by_course(courses) -> dict[int, list[int]]:
    paths = {course.path: course.pk for course in courses}
    if not paths:
        return {}
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    depth = courses[0].depth + 1
    by_course: dict[int, list[int]] = {pk: [] for pk in paths.values()}
    for pk, path in LessonPage.objects.live().filter(condition, depth=depth).values_list("pk", "path"):
        by_course[paths[path[: -LessonPage.steplen]]].append(pk)
    return by_course


def course_cards(*, user, courses, today=None, all_assigned: bool = False) -> tuple[list[CourseCard], list[CourseCard]]:
    """(assigned, other) cards for ``courses``: lessons done, credit, due status; a fixed number of queries.
    ``all_assigned``: ``courses`` are already those assigned to ``user`` (no need to ask again)."""
    today = today or timezone.localdate()
    courses = list(courses)
    lessons = _lessons_by_course(courses)
    if all_assigned:
        assigned_ids = {course.pk for course in courses}
    else:
        assigned = CoursePage.objects.assigned_to(user).filter(pk__in=[c.pk for c in courses])
        assigned_ids = set(assigned.values_list("pk", flat=True))
    done = set(
        LessonProgress.objects.filter(
            user=user, course__in=[c.pk for c in courses], completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    credited = dict(
        LearningRecord.objects.filter(user=user, award_key__in=[c.award_key for c in courses]).values_list(
            "award_key", "occurred_on"
        )
    )
    assigned, others = [], []
    for course in courses:
        card = CourseCard(
            course=course,
            lessons=len(lessons.get(course.pk, [])),
            completed=len(done & set(lessons.get(course.pk, []))),
            assigned=course.pk in assigned_ids,
            credited_on=credited.get(course.award_key),
        )
        if course.due_date and not card.credited_on:
            card.overdue = course.due_date < today
            card.due_soon = not card.overdue and (course.due_date - today).days <= 7
        (assigned if card.assigned else others).append(card)
    assigned.sort(key=lambda c: (bool(c.credited_on), not c.course.is_required, c.course.due_date or datetime.date.max))
    return assigned, others


def course_detail(*, user, course) -> dict:
    lessons = list(course.lessons())
    progress = {p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)}
    rows = [(lesson, progress.get(lesson.pk)) for lesson in lessons]
    record = LearningRecord.objects.filter(user=user, award_key=course.award_key).first()
    resume = None
    open_rows = [(lesson, p) for lesson, p in rows if p is None or p.completed_at is None]
    started = [(lesson, p) for lesson, p in open_rows if p is not None and p.last_seen_at]
    if started:
        resume = max(started, key=lambda row: row[1].last_seen_at)[0]
    elif open_rows:
        resume = open_rows[0][0]
    return {
        "lesson_rows": rows,
        "completed_count": sum(1 for _, p in rows if p and p.completed_at),
        "course_record": record,
        "resume_lesson": resume,
        "is_assigned": CoursePage.objects.assigned_to(user).filter(pk=course.pk).exists(),
    }


@dataclass
class QuizFeedback:
    selected: list[int]
    correct: list[int]  # empty until the key may be shown
    right: bool
    revealed: bool


def _quiz_feedback(*, lesson, progress, attempt) -> dict:
    """Per quiz block, what the person chose on ``attempt`` and whether it was right."""
    if attempt is None:
        return {}
    # The key and the explanations show once the quiz is passed (or the lesson done): shown after
    # a failed try, they would let anyone pass at the second try without reading.
    revealed = attempt.passed or progress.quiz_passed_at is not None or progress.completed_at is not None
    feedback = {}
    for block_id, question in lesson.quiz_questions():
        key = [i for i, choice in enumerate(question["choices"]) if choice["correct"]]
        selected = attempt.answers.get(block_id, [])
        feedback[block_id] = QuizFeedback(
            selected=selected, correct=key if revealed else [], right=sorted(selected) == key, revealed=revealed
        )
    return feedback


def _body_items(lesson, feedback: dict) -> list[dict]:
    """The lesson's blocks in order, quiz blocks numbered and carrying their feedback."""
    items, number = [], 0
    for block in lesson.body:
        if block.block_type == "quiz":
            number += 1
            multiple = sum(1 for choice in block.value["choices"] if choice["correct"]) > 1
            items.append(
                {
                    "block": block,
                    "quiz": True,
                    "number": number,
                    "multiple": multiple,
                    "feedback": feedback.get(block.id),
                }
            )
        else:
            items.append({"block": block, "quiz": False})
    return items


def lesson_detail(*, user, lesson, progress, quiz_attempt_id: str, now) -> dict:
    """The lesson page's context for ``user`` with their ``progress`` row (``lesson_open`` gives it);
    ``quiz_attempt_id`` names the quiz try whose feedback to show ("" for none)."""
    course = CoursePage.objects.get(pk=progress.course_id)
    ids = list(course.lessons().values_list("pk", flat=True))
    index = ids.index(lesson.pk) if lesson.pk in ids else 0
    attempt = None
    if quiz_attempt_id.isdecimal():
        attempt = LessonQuizAttempt.objects.filter(pk=quiz_attempt_id, user=user, lesson=lesson).first()
    feedback = _quiz_feedback(lesson=lesson, progress=progress, attempt=attempt)
    return {
        "course": course,
        "body_items": _body_items(lesson, feedback),
        "progress": progress,
        "view_token": lesson_view_token(user=user, lesson=lesson, now=now),
        "lesson_number": index + 1,
        "lesson_total": len(ids),
        "previous_lesson": LessonPage.objects.filter(pk=ids[index - 1]).first() if index > 0 else None,
        "next_lesson": LessonPage.objects.filter(pk=ids[index + 1]).first() if index + 1 < len(ids) else None,
        "can_complete": progress.completed_at is None and not completion_unmet(progress, lesson),
        "quiz_attempt": attempt,
        "quiz_feedback": feedback,
        "has_quiz": bool(lesson.quiz_questions()),
        "heartbeat_seconds": HEARTBEAT_SECONDS,
    }


def hours_this_year(*, user, year: int) -> Decimal:
    return LearningRecord.objects.filter(user=user, year=year).hours()
