"""Scheduled jobs: they only call services, and each is safe to run twice."""

from learning.exams.services.attempts import attempts_close_expired
from learning.exams.services.reminders import exam_reminders_send


def close_expired_attempts() -> int:
    return attempts_close_expired()


def send_exam_reminders() -> int:
    return exam_reminders_send()
