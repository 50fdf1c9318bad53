import datetime

from django_q.models import Schedule

from django.utils import timezone


def _next_morning() -> datetime.datetime:
    now = timezone.localtime()
    first = now.replace(hour=8, minute=0, second=0, microsecond=0)
    return first if first > now else first + datetime.timedelta(days=1)


SCHEDULES = [
    {
        "name": "普法活动提醒",
        "func": "campaigns.tasks.send_reminders",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
        "next_run": _next_morning(),
    },
]
