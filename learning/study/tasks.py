"""Daily study reminders as in-site notifications; safe to run any number of times a day."""

import datetime

from django.utils import timezone

from learning.assignment import assignees
from learning.models.records import LearningRecord
from learning.study.models import CoursePage, GroupStudySession
from learning.study.sessions import session_invitees, sessions_credit_started
from organisation.notifications import email_enabled, notify

COURSE_DUE_DAYS = 7  # remind this many days before a course's due date, and every day after until done


def send_study_reminders(day: str | None = None) -> int:
    """Courses due soon (or overdue) to assignees who have not finished; group study tomorrow to invitees."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return course_due_reminders(today=today) + session_reminders(today=today)


def course_due_reminders(*, today) -> int:
    sent, email = 0, email_enabled()
    courses = CoursePage.objects.live().filter(
        due_date__isnull=False,
        due_date__lte=today + datetime.timedelta(days=COURSE_DUE_DAYS),
        due_date__gte=today - datetime.timedelta(days=30),
    )
    for course in courses:
        done = LearningRecord.objects.filter(award_key=course.award_key).values("user_id")
        hours = f"{course.credit_hours.normalize():f}"  # 2.0 → 2
        days = (course.due_date - today).days
        if days > 0:
            title = f"课程“{course.title}”将于 {days} 天后到期"
        elif days == 0:
            title = f"课程“{course.title}”今天到期"
        else:
            title = f"课程“{course.title}”已逾期 {-days} 天"
        for profile in assignees(course).exclude(user__in=done).select_related("user"):
            sent += notify(
                user=profile.user,
                key=f"course-due:{course.pk}:{today.isoformat()}",
                kind="course_due",
                title=title,
                body=f"完成期限 {course.due_date:%Y年%-m月%-d日}，完成后计入 {hours} 学时。",
                url=course.url or "",
                email=email,
            )
    return sent


def session_reminders(*, today) -> int:
    sent, email = 0, email_enabled()
    tomorrow = today + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    sessions = GroupStudySession.objects.filter(
        cancelled=False, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    )
    for session in sessions:
        local = timezone.localtime(session.starts_at)
        for profile in session_invitees(session).select_related("user"):
            sent += notify(
                user=profile.user,
                key=f"session-tomorrow:{session.pk}:{today.isoformat()}",
                kind="session_tomorrow",
                title=f"明天 {local:%H:%M} {session.get_kind_display()}：{session.topic}",
                body=f"地点：{session.place}。请准时参加，现场扫码签到。",
                url=f"/study/sessions/{session.pk}/",
                email=email,
            )
    return sent


def credit_started_sessions() -> int:
    """Credit the hours of those who signed in before their session started, now that it has."""
    return sessions_credit_started(now=timezone.now())
