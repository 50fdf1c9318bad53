"""Weekly reminders: at most one per person per week, whatever happens to the job (twice, crash, catch-up)."""

import ast
import datetime
import io
from importlib import import_module

import pytest
from django_q.conf import Conf
from django_q.models import Schedule
from django_q.scheduler import scheduler

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from organisation.discovery import project_modules
from organisation.models import Notification
from organisation.notifications import send_pending_emails
from oversight import reminders, tasks
from tests.oversight import helpers as h

pytestmark = [pytest.mark.django_db, pytest.mark.clock(h.NOW, tick=False)]

TODAY = h.NOW.date()  # a Friday: three days on is the next ISO week


def week(day) -> str:
    """The ISO week a reminder is keyed by, as in ``<year>-W48``."""
    return f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"


THIS_WEEK, NEXT_WEEK = week(TODAY), week(TODAY + datetime.timedelta(days=3))


@pytest.fixture
def many_behind(bureau):
    """乙 from the bureau, plus five more with no hours at all."""
    enforcement = bureau["departments"]["执法队"]
    return [bureau["people"]["乙"]] + [h.person(f"idle{n}", department=enforcement) for n in range(5)]


def behind_notes():
    return Notification.objects.filter(kind="target_behind")


def test_a_reminder_names_exactly_what_is_missing(bureau):
    assert tasks.send_behind_reminders() == 1
    note = behind_notes().get()
    assert note.user == bureau["people"]["乙"]
    assert note.key == f"target-behind:{h.YEAR}:{THIS_WEEK}"
    assert "学时差 20（已完成 40/60）；未完成必修课程：执法实务" in note.body
    assert note.url == f"/me/record/?year={h.YEAR}"


def test_running_the_job_again_sends_nothing_new(many_behind):
    assert tasks.send_behind_reminders() == 6
    assert tasks.send_behind_reminders() == 0
    assert tasks.send_behind_reminders(TODAY.isoformat()) == 0
    assert behind_notes().count() == 6


def test_a_worker_killed_half_way_leaves_no_duplicates_when_the_task_is_retried(many_behind, monkeypatch):
    real_notify = reminders.notify
    calls = {"n": 0}

    def dies_after_three(**kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise SystemExit("worker killed")
        return real_notify(**kwargs)

    monkeypatch.setattr(reminders, "notify", dies_after_three)
    with pytest.raises(SystemExit):
        tasks.send_behind_reminders()
    assert behind_notes().count() == 3
    monkeypatch.setattr(reminders, "notify", real_notify)
    assert tasks.send_behind_reminders() == 3  # the retry sends only the rest
    assert behind_notes().count() == 6
    assert behind_notes().values("user").distinct().count() == 6


def test_a_schedule_that_catches_up_after_downtime_sends_once(many_behind, monkeypatch):
    call_command("setup_schedules", stdout=io.StringIO())
    schedule = Schedule.objects.get(func="oversight.tasks.send_behind_reminders")
    schedule.next_run = h.NOW - datetime.timedelta(weeks=3)  # the cluster was down for three weeks
    schedule.save()
    scheduler()  # django-q runs the task inline in the test settings (sync)
    schedule.refresh_from_db()
    assert schedule.next_run > h.NOW  # catch_up is False: one run, then the next future slot
    assert behind_notes().count() == 6
    # Even if catch-up were on, each missed slot would run on this same week: nothing new is stored.
    monkeypatch.setattr(Conf, "CATCH_UP", True)
    schedule.next_run = h.NOW - datetime.timedelta(weeks=3)
    schedule.save()
    for _ in range(4):
        scheduler()
    assert behind_notes().count() == 6


def test_a_restarted_cluster_reruns_without_duplicates_and_next_week_reminds_again(many_behind, clock):
    tasks.send_behind_reminders()
    clock.move_to(h.NOW + datetime.timedelta(hours=2))  # restarted later that day
    assert tasks.send_behind_reminders() == 0
    clock.move_to(h.NOW + datetime.timedelta(days=3))  # Monday, the next week
    assert tasks.send_behind_reminders() == 6
    assert set(behind_notes().values_list("key", flat=True)) == {
        f"target-behind:{h.YEAR}:{THIS_WEEK}",
        f"target-behind:{h.YEAR}:{NEXT_WEEK}",
    }


def test_heads_get_a_weekly_digest_of_their_department(bureau, many_behind):
    assert tasks.send_department_digests() == 1
    assert tasks.send_department_digests() == 0
    digest = Notification.objects.get(kind="department_digest")
    assert digest.user == bureau["head"]
    assert digest.title == f"执法队本周学法情况（{THIS_WEEK}）"
    assert "进度落后 6 人" in digest.body and "乙" in digest.body
    assert digest.url == f"/oversight/?year={h.YEAR}&department={bureau['departments']['执法队'].pk}"


def test_reminders_go_by_email_when_smtp_is_configured(bureau):
    yi = bureau["people"]["乙"]
    yi.email = "yi@example.com"
    yi.save()
    tasks.send_behind_reminders()
    assert not behind_notes().get().email_wanted  # no SMTP server: in-site only
    Notification.objects.all().delete()
    with override_settings(EMAIL_HOST="smtp.example.com"):
        tasks.send_behind_reminders()
    assert behind_notes().get().email_wanted
    assert send_pending_emails() == 1 and send_pending_emails() == 0
    assert mail.outbox[0].to == ["yi@example.com"]


def test_every_scheduled_job_of_every_app_is_safe_to_run_twice_a_day(bureau, many_behind):
    """The whole set of reminders (study, exams, oversight …): a second run the same day stores nothing."""
    from tests.learning.exam_helpers import make_exam
    from tests.learning.study_helpers import make_session

    make_exam(title="专题学法测试", now=h.NOW)  # closes tomorrow: "closing soon" for everyone not passed
    make_session(bureau["head"], starts_at=h.NOW + datetime.timedelta(days=1), topic="明天的集中学法")
    call_command("setup_schedules", stdout=io.StringIO())
    jobs = []
    for _, module in project_modules("schedules"):
        for spec in module.SCHEDULES:
            path, name = spec["func"].rsplit(".", 1)
            args = ast.literal_eval(spec["args"]) if spec.get("args") else ()
            jobs.append((getattr(import_module(path), name), args if isinstance(args, tuple) else (args,)))
    functions = [function for function, _ in jobs]
    assert tasks.send_behind_reminders in functions and tasks.send_department_digests in functions
    for function, args in jobs:
        function(*args)
    first = Notification.objects.count()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"exam", "session_tomorrow", "target_behind", "department_digest"} <= kinds
    for function, args in jobs:
        function(*args)
    assert Notification.objects.count() == first


def test_every_reminder_goes_by_email_too_when_smtp_is_configured(bureau, many_behind):
    """Behind target, courses due, exams closing, group study tomorrow, the heads' digest: each in-site
    notification also goes out by email once SMTP is configured, and only then."""
    from django.contrib.auth import get_user_model

    from learning.exams.services.reminders import exam_reminders_send
    from learning.study.tasks import send_study_reminders
    from tests.learning.exam_helpers import make_exam
    from tests.learning.study_helpers import make_session

    make_exam(title="专题学法测试", now=h.NOW)  # closes tomorrow
    make_session(bureau["head"], starts_at=h.NOW + datetime.timedelta(days=1), topic="明天的集中学法")
    for user in get_user_model().objects.all():
        user.email = f"{user.username}@example.com"
        user.save()

    def run_every_job():
        tasks.send_behind_reminders()
        tasks.send_department_digests()
        send_study_reminders()
        exam_reminders_send()

    run_every_job()
    assert Notification.objects.exists() and not Notification.objects.filter(email_wanted=True).exists()
    Notification.objects.all().delete()
    with override_settings(EMAIL_HOST="smtp.example.com"):
        run_every_job()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"target_behind", "department_digest", "course_due", "exam", "session_tomorrow"} <= kinds
    assert not Notification.objects.filter(email_wanted=False).exists()
    assert send_pending_emails(limit=1000) == Notification.objects.count() == len(mail.outbox)
    assert send_pending_emails(limit=1000) == 0
