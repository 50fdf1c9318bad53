import datetime

from django_q.models import Schedule

from django.utils import timezone


def _tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


SCHEDULES = [
    {
        "name": "考试到时自动交卷",
        "func": "learning.exams.tasks.close_expired_attempts",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
        "repeats": -1,
    },
    {
        "name": "考试开始与截止提醒",
        "func": "learning.exams.tasks.send_exam_reminders",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
        "next_run": _tomorrow_at(8),
    },
    {
        # Question files staged for an import nobody confirmed: deleted a day after upload, never inside a request.
        "name": "清理未确认的题库导入文件",
        "func": "learning.exams.tasks.discard_stale_question_imports",
        "schedule_type": Schedule.HOURLY,
        "repeats": -1,
    },
]
