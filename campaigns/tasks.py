from django.utils import timezone

from campaigns.reminders import reminders_send


def send_reminders() -> dict[str, int]:
    """Daily job: milestone, event and holiday-calendar reminders for today (idempotent per day)."""
    return reminders_send(today=timezone.localdate())
