"""Completing a lesson (by reading time or by its quiz) and crediting the course once every lesson is done."""

import datetime
import math
from dataclasses import dataclass

from django.db import transaction

from learning.models.records import LearningRecord, LearningSource, earned_on
from learning.study.awards import learning_record_award
from learning.study.models import CoursePage, LessonProgress, LessonQuizAttempt
from learning.study.progress.locking import completion_unmet, lock_person, locked_progress, seen_elsewhere
from learning.study.progress.tokens import ProgressRefused, lesson_view_read

QUIZ_RETRY_SECONDS = 60


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
        progress = locked_progress(user=user, lesson=lesson)
        if progress.completed_at is not None:
            return CompletionResult(progress=progress, newly_completed=False)
        lock_person(user)
        # The page counts as read from when it was opened, or from when the person was last on
        # another lesson if later: two lessons open side by side do not both count the same minutes.
        since = view.opened_at
        elsewhere = seen_elsewhere(user=user, lesson=lesson)
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
    lock_person(user)
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
        progress = locked_progress(user=user, lesson=lesson)
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
