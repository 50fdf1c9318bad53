"""Lesson progress: heartbeats credited from the server's clock, completion, lesson quizzes and course credit.

How time is credited, so that it cannot be inflated:
- A lesson page carries a signed view token naming the person, the lesson and a random view id;
  a heartbeat with someone else's or a tampered token is refused.
- One ``LessonProgress`` row per person and lesson, locked while a beat is applied, so any
  number of tabs share it.
- A beat credits the time since the previous accepted beat of that person and lesson, measured
  by the server, capped at ``HEARTBEAT_SECONDS + HEARTBEAT_SLACK``; the total is capped at the
  lesson's length. The browser's own clock and figures are never used.
- A person reads one lesson at a time: a beat never credits time from before the person was last
  seen on another lesson (opened, beating or paused there), so lessons beating in parallel tabs
  share the real elapsed time instead of each counting it. The person's row is locked while a
  beat is applied, so two lessons' beats cannot both claim the same moment.
- A beat whose sequence number is not above the last one of the same view is a replay or out
  of order and is ignored.
- The browser beats only while the page is visible; "pause" (page hidden) stops the clock and
  "start" (visible again) restarts it without crediting the hidden time.
- Time is kept to the millisecond: beats closer together than a second still add up.

A lesson completes when its minimum time has been credited and, where it has a quiz, the quiz is
passed (``completion_unmet``, the one rule). Quiz tries take turns on the person's progress row
and at most one is graded per ``QUIZ_RETRY_SECONDS``, so guessing cannot stand in for reading.
"""

import datetime
import math
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from learning.models.records import LearningRecord, LearningSource, earned_on
from learning.study.awards import learning_record_award
from learning.study.models import CoursePage, LessonPage, LessonProgress, LessonQuizAttempt
from organisation.errors import ServiceRefusal

HEARTBEAT_SECONDS = 30
HEARTBEAT_SLACK = 10
VIEW_TOKEN_MAX_AGE = 8 * 60 * 60
VIEW_SALT = "learning.study.lesson-view"
MAX_SEQ = 1_000_000
QUIZ_RETRY_SECONDS = 60


class ProgressRefused(ServiceRefusal):
    """The request cannot be applied; the message is for the person."""


@dataclass
class LessonView:
    view: str
    opened_at: datetime.datetime


def lesson_view_token(*, user, lesson, now) -> str:
    return signing.dumps(
        {"u": user.pk, "l": lesson.pk, "v": secrets.token_hex(8), "t": int(now.timestamp())}, salt=VIEW_SALT
    )


def lesson_view_read(token: str, *, user, lesson, now) -> LessonView:
    try:
        data = signing.loads(token or "", salt=VIEW_SALT)
    except signing.BadSignature as exc:
        raise ProgressRefused("页面标识无效，请刷新页面后继续学习。") from exc
    if data.get("u") != user.pk or data.get("l") != lesson.pk:
        raise ProgressRefused("页面标识无效，请刷新页面后继续学习。")
    opened_at = datetime.datetime.fromtimestamp(data["t"], tz=datetime.UTC)
    age = (now - opened_at).total_seconds()
    if age > VIEW_TOKEN_MAX_AGE or age < -60:
        raise ProgressRefused("页面已打开太久，请刷新页面后继续学习。")
    return LessonView(view=data["v"], opened_at=opened_at)


def _locked_progress(*, user, lesson) -> LessonProgress:
    progress, _ = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course_id": lesson.get_parent().pk}
    )
    return LessonProgress.objects.select_for_update().get(pk=progress.pk)


def _lock_person(user) -> None:
    """One person's progress writes take turns from here to commit (always after their lesson's row)."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _seen_elsewhere(*, user, lesson) -> datetime.datetime | None:
    """When the person was last on another lesson: time before that may already count there."""
    return LessonProgress.objects.filter(user=user).exclude(lesson=lesson).aggregate(last=Max("last_seen_at"))["last"]


def completion_unmet(progress, lesson, *, open_seconds: float = 0) -> str:
    """Why ``progress`` cannot complete ``lesson`` yet ("" when it can): the minimum time credited by
    heartbeats (or, without JavaScript, the page open that long) and, where there is one, the quiz passed."""
    read = max(progress.seconds, Decimal(open_seconds))
    if read < lesson.min_seconds:
        remaining = lesson.min_seconds - read
        return f"阅读时间未满 {lesson.min_minutes} 分钟，还需约 {max(1, math.ceil(remaining / 60))} 分钟。"
    if progress.quiz_passed_at is None and lesson.quiz_questions():
        return "请先通过本课时的随堂测验。"
    return ""


@dataclass
class HeartbeatResult:
    seconds: Decimal
    credited: Decimal
    can_complete: bool
    completed: bool
    ignored: str = ""

    def as_json(self, lesson) -> dict:
        return {
            "seconds": float(self.seconds),
            "credited": float(self.credited),
            "min_seconds": lesson.min_seconds,
            "length_seconds": lesson.length_seconds,
            "can_complete": self.can_complete,
            "completed": self.completed,
            "ignored": self.ignored,
        }


def lesson_open(*, user, lesson, now) -> LessonProgress:
    """Remember that the person is on this lesson (for "continue where you stopped")."""
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        progress.last_seen_at = now
        progress.save(update_fields=["last_seen_at"])
    return progress


def lesson_heartbeat(
    *, user, lesson, token: str, seq: int, kind: str = "beat", scroll: int | None = None, now
) -> HeartbeatResult:
    """Apply one heartbeat; ``kind`` is "start" (page became visible), "beat" or "pause" (page hidden)."""
    view = lesson_view_read(token, user=user, lesson=lesson, now=now)
    if kind not in ("start", "beat", "pause"):
        raise ProgressRefused("心跳类型无效。")
    if not 0 < seq < MAX_SEQ:
        raise ProgressRefused("心跳序号无效。")
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        if progress.last_view == view.view and seq <= progress.last_seq:
            return _result(progress, lesson, credited=0, ignored="replayed")
        credited = Decimal(0)
        last = progress.last_beat_at
        if kind != "start" and last is not None and now > last:
            _lock_person(user)
            elsewhere = _seen_elsewhere(user=user, lesson=lesson)
            if elsewhere is not None and elsewhere > last:
                last = min(elsewhere, now)
            elapsed = _milliseconds(now - last)
            credited = max(
                Decimal(0), min(elapsed, HEARTBEAT_SECONDS + HEARTBEAT_SLACK, lesson.length_seconds - progress.seconds)
            )
        progress.seconds += credited
        progress.last_view, progress.last_seq = view.view, seq
        if kind == "pause":
            progress.last_beat_at = None
        elif progress.last_beat_at is None or now > progress.last_beat_at or kind == "start":
            progress.last_beat_at = now
        if scroll is not None:
            progress.scroll = max(0, min(1000, scroll))
        progress.last_seen_at = now
        progress.save()
    return _result(progress, lesson, credited=credited)


def _milliseconds(delta: datetime.timedelta) -> Decimal:
    """A duration in seconds, to the millisecond (rounded down: time is never over-credited)."""
    return Decimal(delta // datetime.timedelta(milliseconds=1)) / 1000


def _result(progress, lesson, *, credited, ignored="") -> HeartbeatResult:
    return HeartbeatResult(
        seconds=progress.seconds,
        credited=credited,
        can_complete=progress.completed_at is None and not completion_unmet(progress, lesson),
        completed=progress.completed_at is not None,
        ignored=ignored,
    )


@dataclass
class CompletionResult:
    progress: LessonProgress
    newly_completed: bool
    course_record: LearningRecord | None = None
    course_newly_credited: bool = False


def lesson_complete(*, user, lesson, token: str, now) -> CompletionResult:
    """Complete a lesson by reading time: the visible time counted by heartbeats, or, for a browser
    without JavaScript, the page having been open (by its signed view token) for the minimum time;
    a lesson with a quiz also needs the quiz passed."""
    view = lesson_view_read(token, user=user, lesson=lesson, now=now)
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        if progress.completed_at is not None:
            return CompletionResult(progress=progress, newly_completed=False)
        _lock_person(user)
        # The page counts as read from when it was opened, or from when the person was last on
        # another lesson if later: two lessons open side by side do not both count the same minutes.
        since = view.opened_at
        elsewhere = _seen_elsewhere(user=user, lesson=lesson)
        if elsewhere is not None and elsewhere > since:
            since = elsewhere
        unmet = completion_unmet(progress, lesson, open_seconds=max(0, (now - since).total_seconds()))
        if unmet:
            raise ProgressRefused(unmet)
        progress.last_seen_at = now
        return _complete(progress, lesson=lesson, user=user, how="time", now=now)


def _complete(progress, *, lesson, user, how, now) -> CompletionResult:
    progress.completed_at = now
    progress.completed_by = how
    progress.save(update_fields=["completed_at", "completed_by", "last_seen_at"])
    # One person's lesson completions take turns from here to commit: otherwise the last two lessons,
    # completed at once in two tabs, would each see the other still open and neither credit the course.
    _lock_person(user)
    course = CoursePage.objects.get(pk=progress.course_id)
    record, created = course_award_if_complete(user=user, course=course, now=now)
    return CompletionResult(
        progress=progress, newly_completed=True, course_record=record, course_newly_credited=created
    )


def course_award_if_complete(*, user, course, now) -> tuple[LearningRecord | None, bool]:
    """Credit the course's hours once, when every live lesson of it is complete."""
    lesson_ids = set(course.lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return None, False
    done = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    if done != lesson_ids:
        return None, False
    return learning_record_award(
        user=user,
        award_key=course.award_key,
        source=LearningSource.SELF_STUDY,
        title=f"课程：{course.title}",
        hours=course.credit_hours,
        occurred_on=earned_on(now),
        source_object=course,
    )


@dataclass
class QuizResult:
    attempt: LessonQuizAttempt
    completion: CompletionResult | None = None
    progress: LessonProgress | None = None


def lesson_quiz_submit(*, user, lesson, answers: dict[str, list[int]], now) -> QuizResult:
    """Grade the lesson quiz on the server; a pass completes the lesson once its minimum time is credited.

    Tries take turns on the person's progress row for the lesson, and one is graded at most every
    ``QUIZ_RETRY_SECONDS`` (until the lesson is done), so a burst of every combination of answers
    gets exactly one graded try and guessing cannot stand in for the reading time.
    """
    questions = lesson.quiz_questions()
    if not questions:
        raise ProgressRefused("本课时没有随堂测验。")
    if not any(answers.get(block_id) for block_id, _ in questions):
        raise ProgressRefused("请先作答再提交。")
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        previous = (
            LessonQuizAttempt.objects.filter(user=user, lesson=lesson)
            .order_by("-submitted_at")
            .values_list("submitted_at", flat=True)
            .first()
        )
        retry_at = previous + datetime.timedelta(seconds=QUIZ_RETRY_SECONDS) if previous else None
        if retry_at is not None and now < retry_at and progress.completed_at is None:
            wait = max(1, math.ceil((retry_at - now).total_seconds()))
            raise ProgressRefused(f"请先复习本课时内容，{wait} 秒后可再次提交测验。")
        correct = 0
        for block_id, question in questions:
            key = {index for index, choice in enumerate(question["choices"]) if choice["correct"]}
            if set(answers.get(block_id, [])) == key:
                correct += 1
        total = len(questions)
        passed = 100 * correct >= lesson.quiz_pass_percent * total
        attempt = LessonQuizAttempt.objects.create(
            user=user,
            lesson=lesson,
            answers={block_id: sorted(answers.get(block_id, [])) for block_id, _ in questions},
            correct=correct,
            total=total,
            passed=passed,
            submitted_at=now,
        )
        completion = None
        if passed and progress.quiz_passed_at is None:
            progress.quiz_passed_at = now
            progress.save(update_fields=["quiz_passed_at"])
        if passed and progress.completed_at is None and not completion_unmet(progress, lesson):
            progress.last_seen_at = now
            completion = _complete(progress, lesson=lesson, user=user, how="quiz", now=now)
    return QuizResult(attempt=attempt, completion=completion, progress=progress)


# Reads ---------------------------------------------------------------------------------------


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


def lesson_detail(*, request, lesson, now) -> dict:
    user = request.user
    progress = lesson_open(user=user, lesson=lesson, now=now)
    course = CoursePage.objects.get(pk=progress.course_id)
    siblings = list(course.lessons().values_list("pk", "title", "url_path"))
    ids = [pk for pk, _, _ in siblings]
    index = ids.index(lesson.pk) if lesson.pk in ids else 0
    feedback = {}
    attempt = None
    attempt_id = request.GET.get("quiz", "")
    if attempt_id.isdecimal():
        attempt = LessonQuizAttempt.objects.filter(pk=attempt_id, user=user, lesson=lesson).first()
    if attempt is not None:
        # The key and the explanations show once the quiz is passed (or the lesson done): shown after
        # a failed try, they would let anyone pass at the second try without reading.
        revealed = attempt.passed or progress.quiz_passed_at is not None or progress.completed_at is not None
        for block_id, question in lesson.quiz_questions():
            key = [i for i, choice in enumerate(question["choices"]) if choice["correct"]]
            selected = attempt.answers.get(block_id, [])
            feedback[block_id] = QuizFeedback(
                selected=selected, correct=key if revealed else [], right=sorted(selected) == key, revealed=revealed
            )
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
    return {
        "course": course,
        "body_items": items,
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
