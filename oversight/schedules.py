"""Weekly oversight jobs, installed by ``python manage.py setup_schedules``.

Q_CLUSTER runs with ``catch_up`` False (config/settings/base.py): after downtime a schedule runs
once, not once per missed week. The jobs would be harmless either way: they key every reminder
by the current ISO week, so a run that repeats within a week stores nothing new.
"""

import datetime

from django_q.models import Schedule

from django.utils import timezone


def _next_monday_at(hour: int) -> datetime.datetime:
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(hour)))


def _next_morning_at(hour: int) -> datetime.datetime:
    now = timezone.localtime()
    first = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return first if first > now else first + datetime.timedelta(days=1)


SCHEDULES = [
    {
        "name": "学法督查：提醒进度落后人员",
        "func": "oversight.tasks.send_behind_reminders",
        "schedule_type": Schedule.WEEKLY,
        "repeats": -1,
        # Mondays 09:00 local time; applied only when the schedule is first created.
        "next_run": _next_monday_at(9),
    },
    {
        "name": "学法督查：处室负责人每周学法简报",
        "func": "oversight.tasks.send_department_digests",
        "schedule_type": Schedule.WEEKLY,
        "repeats": -1,
        "next_run": _next_monday_at(8),
    },
    {
        # Daily, but only December sends, and each reminder once per ISO week (its key).
        "name": "学法督查：十二月提醒设定下一年度目标",
        "func": "oversight.tasks.send_next_year_target_reminders",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
        "next_run": _next_morning_at(8),
    },
]
