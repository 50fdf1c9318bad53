from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "清理过期会话",
        "func": "organisation.tasks.clear_expired_sessions",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
    },
]
