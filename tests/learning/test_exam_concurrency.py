"""Many requests at once on one attempt: exactly one result. Needs PostgreSQL's row locks (skipped on SQLite)."""

import threading
from decimal import Decimal

import pytest

from django.conf import settings
from django.db import connection
from django.utils import timezone

from learning.exams.models import Attempt, AttemptItem, Certificate, ExamResult
from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from learning.models import LearningRecord
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8


def run_together(work, count=THREADS):
    """Run ``work(index)`` in ``count`` threads released at the same moment; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # collected and asserted on
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_many_threads_submitting_the_same_attempt_produce_exactly_one_result():
    person = staff("wang")
    exam = make_exam([make_question("single", key=[0], points=10)], hours=Decimal("2"))
    now = timezone.now()
    attempt = attempt_start(exam=exam, user=person, now=now)
    item = attempt.items.get()
    attempt_save(attempt=attempt, answers={item.pk: ([0], 0)}, now=now)

    results, errors = run_together(lambda index: attempt_submit(attempt=Attempt(pk=attempt.pk), now=timezone.now()))

    assert not errors
    assert {(r.submitted_at, r.score, r.status) for r in results} == {
        (results[0].submitted_at, Decimal("10.00"), "graded")
    }
    assert ExamResult.objects.get().attempts == 1
    assert Certificate.objects.count() == 1
    assert LearningRecord.objects.filter(user=person).count() == 1


def test_two_tabs_saving_the_same_revision_store_one_answer_and_refuse_the_other():
    person = staff("wang")
    exam = make_exam([make_question("single", options=["甲", "乙", "丙", "丁"], key=[0])])
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    item = attempt.items.get()

    results, errors = run_together(
        lambda index: attempt_save(
            attempt=Attempt(pk=attempt.pk), answers={item.pk: ([index % 4], 0)}, now=timezone.now()
        )
    )

    assert not errors
    assert sum(1 for r in results if r.saved) == 1
    assert sum(1 for r in results if r.conflicts) == THREADS - 1
    assert AttemptItem.objects.get().revision == 1


def test_a_double_tap_on_start_opens_one_attempt():
    person = staff("wang")
    exam = make_exam([make_question("single")], max_attempts=3)

    results, errors = run_together(lambda index: attempt_start(exam=exam, user=person, now=timezone.now()))

    assert not errors
    assert len({attempt.pk for attempt in results}) == 1
    assert Attempt.objects.count() == 1


def test_submitting_while_saving_never_scores_an_answer_saved_after_hand_in():
    person = staff("wang")
    exam = make_exam([make_question("single", options=["甲", "乙"], key=[0], points=10)])
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    item = attempt.items.get()

    def work(index):
        if index % 2:
            return attempt_submit(attempt=Attempt(pk=attempt.pk), now=timezone.now())
        return attempt_save(attempt=Attempt(pk=attempt.pk), answers={item.pk: ([0], 0)}, now=timezone.now())

    _, errors = run_together(work)

    assert not errors
    attempt.refresh_from_db()
    item.refresh_from_db()
    # Whatever the order, the score is the score of what was stored when it was handed in.
    expected = Decimal("10.00") if item.response == [0] else Decimal("0.00")
    assert attempt.score == expected
