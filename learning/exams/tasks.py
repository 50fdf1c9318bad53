"""Scheduled jobs: they only call services, and each is safe to run twice."""

from django.utils import timezone

from learning.exams.services.attempts import attempts_close_expired
from learning.exams.services.reminders import exam_reminders_send
from learning.exams.services.staging import staged_imports_discard_stale


def close_expired_attempts() -> int:
    return attempts_close_expired()


def send_exam_reminders() -> int:
    return exam_reminders_send()


def discard_stale_question_imports() -> int:
    return staged_imports_discard_stale(now=timezone.now())
