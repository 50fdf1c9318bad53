"""What sitting a 100-question paper costs the database: autosave and hand-in stay bounded (issue 19).

Transactional tests, so a request's transaction is the BEGIN and COMMIT it is in production, not the
savepoint pair it becomes inside a test's wrapping transaction. ``django_assert_max_num_queries`` also
lists the COMMIT, which is no statement and which the bench's ``X-Query-Count`` (an execute wrapper)
does not count; ``statements`` counts the way the bench does.
"""

import contextlib

import pytest

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from learning.exams.models import AttemptItem, AttemptStatus, Certificate, Exam, ExamResult
from learning.exams.services.attempts import attempt_start
from learning.models import LearningRecord
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db(transaction=True)
TYPES = ["single", "multiple", "true_false", "fill"]


@pytest.fixture
def sitting():
    """A person with an open attempt at a 100-question machine-scored paper, worth hours and a certificate."""
    person = staff("wang", real_name="王晓红")
    questions = [make_question(TYPES[n % len(TYPES)]) for n in range(100)]
    exam = make_exam(questions, hours=2, review_policy="after_close")  # as the bench's exam
    return person, attempt_start(exam=exam, user=person, now=timezone.now())


@contextlib.contextmanager
def statements():
    """Count the SQL statements run inside, as the bench's ``X-Query-Count`` does."""
    counter = {"n": 0}

    def count(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def _answer_everything(attempt):
    """Answer every question, nine in ten right, as autosave leaves them."""
    items = list(attempt.items.all())
    for item in items:
        key, qtype = item.snapshot["key"], item.snapshot["qtype"]
        right = item.position % 10 != 0
        if qtype == "fill":
            item.response = [accepted[0] if right else "不知道" for accepted in key]
        elif qtype == "true_false":
            item.response = key if right else [not key[0]]
        else:
            item.response = key if right else [3]
        item.revision += 1
    AttemptItem.objects.bulk_update(items, ["response", "revision"])


def test_autosaving_one_answer_of_a_100_question_paper_takes_at_most_5_queries(
    client, sitting, django_assert_max_num_queries
):
    person, attempt = sitting
    item = attempt.items.get(position=1)
    client.force_login(person)
    save = reverse("exams:save", args=[attempt.pk])
    # The session, the person, BEGIN, the attempt locked with the posted item, its update (and the COMMIT).
    with django_assert_max_num_queries(6), statements() as counted:
        response = client.post(
            save, {"items": item.pk, f"rev{item.pk}": 0, f"q{item.pk}": "B"}, HTTP_ACCEPT="application/json"
        )
    assert counted["n"] <= 5
    assert response.json()["saved"] == {str(item.pk): 1}
    item.refresh_from_db()
    assert item.response == [1] and item.revision == 1


def test_handing_in_a_100_question_paper_takes_at_most_15_queries(client, sitting, django_assert_max_num_queries):
    person, attempt = sitting
    _answer_everything(attempt)
    client.force_login(person)
    ContentType.objects.get_for_model(Exam)  # cached in every running process
    # Graded, passed, hours credited, certificate issued: each a set-based query or two, however many questions.
    with django_assert_max_num_queries(15), statements() as counted:
        response = client.post(reverse("exams:submit", args=[attempt.pk]))
    assert counted["n"] <= 14
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.passed and attempt.score == attempt.max_score * 9 / 10
    # Every item's score and correctness is stored by the one UPDATE.
    stored = list(AttemptItem.objects.filter(attempt=attempt))
    assert sum(item.is_correct is False for item in stored) == 10 and all(item.score is not None for item in stored)
    assert sum(item.score for item in stored) == attempt.score
    assert Certificate.objects.filter(attempt=attempt).exists()
    assert LearningRecord.objects.filter(user=person, hours=2).exists()
    assert ExamResult.objects.get(exam=attempt.exam, user=person).passed
