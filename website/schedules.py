from django_q.models import Schedule

SCHEDULES = [
    {
        # Wagtail's go-live and expiry dates (定时发布、定时下线) take effect when this runs.
        "name": "定时发布与下线页面",
        "func": "django.core.management.call_command",
        "args": "'publish_scheduled'",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
        "repeats": -1,
    },
]
