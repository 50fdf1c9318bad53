from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "清理过期会话",
        "func": "organisation.tasks.clear_expired_sessions",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
    },
    {
        "name": "发送通知邮件",
        "func": "organisation.notifications.send_pending_emails",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
        "repeats": -1,
    },
]
