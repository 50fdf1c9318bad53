"""The row locks a person's progress writes take turns on, and the one completion rule."""

import datetime
import math
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Max

from learning.study.models import LessonProgress


def locked_progress(*, user, lesson) -> LessonProgress:
    progress, _ = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course_id": lesson.get_parent().pk}
    )
    return LessonProgress.objects.select_for_update().get(pk=progress.pk)


def lock_person(user) -> None:
    """One person's progress writes take turns from here to commit (always after their lesson's row)."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def seen_elsewhere(*, user, lesson) -> datetime.datetime | None:
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
