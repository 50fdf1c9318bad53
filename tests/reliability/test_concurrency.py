"""Concurrency on PostgreSQL: real threads, each with its own connection, released at one moment.

Already proved elsewhere, not repeated here:
- many threads handing in one attempt → one result, one certificate, one learning record, and two
  tabs saving the same revision → one stored, the rest refused (tests/learning/test_exam_concurrency.py);
- two completions of the same lesson at once → the course credited once (tests/learning/test_study_progress.py);
- one public-quiz form handed in from many tabs (tests/campaigns/test_quiz_concurrency.py).

Here: what those leave open — hand-ins racing the deadline job, two tabs saving in turns with racing
revisions, QR and manual sign-in (and leave) at once over HTTP, and the last lessons of a course
completed in parallel.
"""

import datetime
import threading
from decimal import Decimal

import pytest

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.exams.models import Attempt, AttemptItem, AttemptStatus, ExamResult
from learning.exams.services.attempts import GRACE, attempt_save, attempt_start, attempt_submit, attempts_close_expired
from learning.models import LearningRecord
from learning.study.models import Attendance
from learning.study.sessions import checkin_token
from organisation import roles
from tests.factories import DepartmentFactory, staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.learning.study_helpers import make_course, make_session, study_lesson
from tests.learning.test_exam_concurrency import THREADS, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_hand_ins_racing_the_deadline_job_close_the_attempt_once_with_the_answers_saved_in_time():
    person = staff("wang")
    exam = make_exam([make_question("single", key=[0], points=10)], time_limit_minutes=10, hours=Decimal("2"))
    start = timezone.now() - datetime.timedelta(minutes=20)
    attempt = attempt_start(exam=exam, user=person, now=start)
    item = attempt.items.get()
    attempt_save(attempt=attempt, answers={item.pk: ([0], 0)}, now=start + datetime.timedelta(minutes=1))
    late = attempt.deadline + GRACE + datetime.timedelta(seconds=1)

    def work(index):
        if index % 2:
            return attempts_close_expired(now=late)
        return attempt_submit(attempt=Attempt(pk=attempt.pk), now=late)

    results, errors = run_together(work)

    assert not errors
    assert sum(r for r in results if isinstance(r, int)) <= 1  # the job reports what it closed itself
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline and attempt.score == Decimal("10.00")
    assert ExamResult.objects.get().attempts == 1
    assert LearningRecord.objects.filter(user=person).count() == 1


def test_two_tabs_saving_in_turns_lose_no_answer_and_never_overwrite_a_newer_one():
    """Each tab keeps the revisions it last saw, saves every item over and over, and on a refusal
    takes the server's revision (as the page does after "已在其他窗口更新") before trying again."""
    person = staff("wang")
    exam = make_exam([make_question("single", options=["甲", "乙", "丙", "丁"], key=[0]) for _ in range(3)])
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    item_ids = list(attempt.items.order_by("position").values_list("pk", flat=True))
    rounds = 15
    accepted = {pk: [] for pk in item_ids}  # item → [(revision, response)] of every accepted save
    refused = []
    lock = threading.Lock()

    def tab(index):
        seen = dict.fromkeys(item_ids, 0)
        for round_ in range(rounds):
            answers = {pk: ([(index + round_) % 4], seen[pk]) for pk in item_ids}
            result = attempt_save(attempt=Attempt(pk=attempt.pk), answers=answers, now=timezone.now())
            with lock:
                for pk, revision in result.saved.items():
                    accepted[pk].append((revision, answers[pk][0]))
                    seen[pk] = revision
                for pk, revision in result.conflicts.items():
                    refused.append((pk, seen[pk], revision))
                    seen[pk] = revision
        return True

    _, errors = run_together(tab, count=2)

    assert not errors
    assert refused, "the two tabs never collided; the test proved nothing"
    assert all(stale < current for _, stale, current in refused)  # refused only because the server had newer
    for item in AttemptItem.objects.filter(attempt=attempt):
        revisions = sorted(revision for revision, _ in accepted[item.pk])
        assert revisions == list(range(1, item.revision + 1))  # every accepted save is there, none twice
        assert item.response == max(accepted[item.pk])[1]  # the stored answer is the newest accepted one


def test_signing_in_by_qr_and_by_the_organiser_at_once_records_one_attendance_and_the_hours_once():
    department = DepartmentFactory()
    head = staff("head", department=department, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    person = staff("li", department=department)
    session = make_session(head, starts_at=timezone.now(), hours=3)
    token = checkin_token(session=session, now=timezone.now())
    scanner, organiser = Client(), Client()
    scanner.force_login(person)
    organiser.force_login(head)

    def work(index):
        if index % 2:
            return scanner.post(reverse("study:checkin", args=[token])).status_code
        return organiser.post(
            reverse("study:session_attendance", args=[session.pk]), {"person": person.pk, "action": "present"}
        ).status_code

    statuses, errors = run_together(work)

    assert not errors and set(statuses) <= {200, 302}
    attendance = Attendance.objects.get(session=session)
    assert attendance.status == "present" and attendance.user == person
    record = LearningRecord.objects.get(user=person)
    assert (record.hours, record.award_key) == (Decimal("3.00"), session.award_key)


def test_leave_recorded_while_the_person_scans_the_qr_code_never_fails_and_they_end_up_present():
    department = DepartmentFactory()
    head = staff("head", department=department, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    person = staff("li", department=department)
    session = make_session(head, starts_at=timezone.now(), hours=2)
    token = checkin_token(session=session, now=timezone.now())
    scanner, organiser = Client(), Client()
    scanner.force_login(person)
    organiser.force_login(head)

    def work(index):
        if index % 2:
            return scanner.post(reverse("study:checkin", args=[token])).status_code
        return organiser.post(
            reverse("study:session_attendance", args=[session.pk]),
            {"person": person.pk, "action": "leave", "reason": "外出执法"},
        ).status_code

    statuses, errors = run_together(work)

    assert not errors and set(statuses) <= {200, 302}
    assert Attendance.objects.get(session=session).status == "present"  # a sign-in is a fact; leave never undoes it
    assert LearningRecord.objects.get(user=person).hours == Decimal("2.00")


def test_the_last_lessons_of_a_course_completed_in_parallel_credit_the_course_exactly_once():
    person = staff("wang")
    course = make_course(lessons=THREADS, credit_hours=Decimal("4"), assign_everyone=True)
    lessons = list(course.lessons())

    _, errors = run_together(lambda index: study_lesson(person, lessons[index], now=timezone.now()))

    assert not errors
    records = LearningRecord.objects.filter(user=person, award_key=f"course:{course.pk}")
    assert records.count() == 1 and records.get().hours == Decimal("4.00")
