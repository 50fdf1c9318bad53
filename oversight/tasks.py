"""Scheduled jobs (see oversight/schedules.py): they read the day and call the reminder services."""

import datetime

from django.utils import timezone

from oversight.reminders import behind_reminders, department_digests, next_year_target_reminders


def _day(day: str | None) -> datetime.date:
    return datetime.date.fromisoformat(day) if day else timezone.localdate()


def send_behind_reminders(day: str | None = None) -> int:
    return behind_reminders(today=_day(day)).sent


def send_department_digests(day: str | None = None) -> int:
    return department_digests(today=_day(day)).sent


def send_next_year_target_reminders(day: str | None = None) -> int:
    return next_year_target_reminders(today=_day(day)).sent
