"""In-site reminders: an exam opening soon, closing soon, or a resit opening for those who failed.

Keys carry the day, so the daily job reminds each person at most once a day however often it runs.
"""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from learning.assignment import assignees
from learning.exams.models import Exam, ExamResult
from organisation.notifications import email_enabled, notify

OPENING_DAYS = 1  # remind on the day before an exam opens and on the day itself
CLOSING_DAYS = 2


def _days(today: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return start, start + datetime.timedelta(days=days + 1)


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-m月%-d日 %H:%M}"


def _notify_all(user_ids, *, key: str, title: str, body: str, url: str) -> int:
    users = get_user_model().objects.filter(pk__in=list(user_ids))
    email = email_enabled()
    return sum(notify(user=user, key=key, kind="exam", title=title, body=body, url=url, email=email) for user in users)


def exam_reminders_send(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """Notify assignees of exams opening or closing soon; returns how many notifications were new."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    stamp = today.isoformat()
    published = Exam.objects.published()
    sent = 0
    start, end = _days(today, OPENING_DAYS)
    for exam in published.filter(opens_at__gte=max(start, now), opens_at__lt=end):
        sent += _notify_all(
            assignees(exam).values_list("user_id", flat=True),
            key=f"exam-opening:{exam.pk}:{stamp}",
            title=f"考试即将开始：{exam.title}",
            body=f"考试时间 {_when(exam.opens_at)} 至 {_when(exam.closes_at)}，请按时参加。",
            url=reverse("exams:detail", args=[exam.pk]),
        )
    start, end = _days(today, CLOSING_DAYS)
    for exam in published.filter(opens_at__lte=now, closes_at__gt=now, closes_at__lt=end):
        passed = ExamResult.objects.filter(exam=exam, passed=True).values("user_id")
        sent += _notify_all(
            assignees(exam).exclude(user_id__in=passed).values_list("user_id", flat=True),
            key=f"exam-closing:{exam.pk}:{stamp}",
            title=f"考试即将截止：{exam.title}",
            body=f"考试将于 {_when(exam.closes_at)} 截止，您尚未合格，请抓紧参加。",
            url=reverse("exams:detail", args=[exam.pk]),
        )
    start, end = _days(today, OPENING_DAYS)
    for exam in published.filter(resit_opens_at__gte=max(start, now), resit_opens_at__lt=end):
        failed = ExamResult.objects.filter(exam=exam, passed=False, attempts__gt=0, awaiting_grading=False)
        sent += _notify_all(
            failed.values_list("user_id", flat=True),
            key=f"exam-resit:{exam.pk}:{stamp}",
            title=f"补考安排：{exam.title}",
            body=f"补考时间 {_when(exam.resit_opens_at)} 至 {_when(exam.resit_closes_at)}，请按时参加。",
            url=reverse("exams:detail", args=[exam.pk]),
        )
    return sent
