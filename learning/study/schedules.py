import datetime

from django_q.models import Schedule

from django.utils import timezone


def _tomorrow_at(hour: int) -> datetime.datetime:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(hour)))


SCHEDULES = [
    {
        "name": "学习提醒：课程到期与明日集中学法",
        "func": "learning.study.tasks.send_study_reminders",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
        # 08:00 local time; applied only when the schedule is first created.
        "next_run": _tomorrow_at(8),
    },
    {
        "name": "集中学法：开始后计入提前签到人员的学时",
        "func": "learning.study.tasks.credit_started_sessions",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
        "repeats": -1,
    },
]
