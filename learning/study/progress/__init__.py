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

from learning.study.progress.completion import (
    QUIZ_RETRY_SECONDS,
    CompletionResult,
    QuizResult,
    course_award_if_complete,
    lesson_complete,
    lesson_quiz_submit,
)
from learning.study.progress.heartbeats import (
    HEARTBEAT_SECONDS,
    HEARTBEAT_SLACK,
    HeartbeatResult,
    lesson_heartbeat,
    lesson_open,
)
from learning.study.progress.locking import completion_unmet
from learning.study.progress.presenters import CourseCard, course_cards, course_detail, hours_this_year, lesson_detail
from learning.study.progress.tokens import ProgressRefused, lesson_view_read, lesson_view_token

__all__ = [
    "HEARTBEAT_SECONDS",
    "HEARTBEAT_SLACK",
    "QUIZ_RETRY_SECONDS",
    "CompletionResult",
    "CourseCard",
    "HeartbeatResult",
    "ProgressRefused",
    "QuizResult",
    "completion_unmet",
    "course_award_if_complete",
    "course_cards",
    "course_detail",
    "hours_this_year",
    "lesson_complete",
    "lesson_detail",
    "lesson_heartbeat",
    "lesson_open",
    "lesson_quiz_submit",
    "lesson_view_read",
    "lesson_view_token",
]
