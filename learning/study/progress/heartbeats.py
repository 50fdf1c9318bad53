"""Heartbeats: the time a visible lesson page earns, measured by the server's clock."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from learning.study.models import LessonProgress
from learning.study.progress.locking import completion_unmet, lock_person, locked_progress, seen_elsewhere
from learning.study.progress.tokens import ProgressRefused, lesson_view_read

HEARTBEAT_SECONDS = 30
HEARTBEAT_SLACK = 10


MAX_SEQ = 1_000_000


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
        progress = locked_progress(user=user, lesson=lesson)
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
        progress = locked_progress(user=user, lesson=lesson)
        if progress.last_view == view.view and seq <= progress.last_seq:
            return _result(progress, lesson, credited=0, ignored="replayed")
        credited = Decimal(0)
        last = progress.last_beat_at
        if kind != "start" and last is not None and now > last:
            lock_person(user)
            elsewhere = seen_elsewhere(user=user, lesson=lesson)
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
