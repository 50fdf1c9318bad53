"""The exam deadline on the suite's clock, moved by the test, through the pages a person uses.

tests/learning/test_exam_views.py::test_the_grace_boundary_on_the_server_clock and
tests/learning/test_exam_attempts.py cover saves at the grace boundary and the scheduled closing;
here the hand-in itself: one second before the deadline, inside the grace, after it, and a stale
tab's save in the last seconds.
"""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from learning.exams.models import Attempt
from learning.exams.services.attempts import GRACE
from tests.clock import Clock, at
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db

T0 = at(11, 27, 17)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def stopped(clock):
    """Every request of these tests happens at the exact moment the test names."""
    clock.move_to(T0, tick=False)
    return clock


@pytest.fixture
def exam():
    questions = [make_question("single", key=[0], points=5), make_question("single", key=[0], points=5)]
    return make_exam(questions, time_limit_minutes=10, now=T0)


def sit(client, exam, username):
    """Sign in as a new person and start the exam at T0; return the attempt and its two items."""
    client.force_login(staff(username))
    client.post(reverse("exams:start", args=[exam.pk]))
    attempt = Attempt.objects.get(user__username=username)
    return attempt, list(attempt.items.order_by("position"))


def save(client, attempt, item, letter, revision, at):
    with Clock(at, tick=False):
        return client.post(
            reverse("exams:save", args=[attempt.pk]),
            {"items": item.pk, f"rev{item.pk}": revision, f"q{item.pk}": letter},
            HTTP_ACCEPT="application/json",
        )


def hand_in(client, attempt, at):
    with Clock(at, tick=False):
        return client.post(reverse("exams:submit", args=[attempt.pk]))


def test_a_hand_in_one_second_before_the_deadline_is_the_persons_own(client, exam, tally):
    attempt, (first, second) = sit(client, exam, "early")
    deadline = attempt.deadline
    assert save(client, attempt, first, "A", 0, deadline - SECOND).json()["saved"] == {str(first.pk): 1}
    assert save(client, attempt, second, "A", 0, deadline - SECOND).json()["saved"] == {str(second.pk): 1}
    response = hand_in(client, attempt, deadline - SECOND)
    attempt.refresh_from_db()
    ok = (
        response.url == reverse("exams:result", args=[attempt.pk])
        and not attempt.auto_submitted
        and attempt.submitted_at == deadline - SECOND
        and attempt.score == Decimal("10.00")
    )
    tally.add(1, not ok)
    assert ok, (attempt.auto_submitted, attempt.submitted_at, attempt.score)


def test_a_hand_in_inside_the_grace_still_counts_every_answer_saved_in_it(client, exam, tally):
    attempt, (first, second) = sit(client, exam, "slow-network")
    deadline = attempt.deadline
    save(client, attempt, first, "A", 0, deadline - SECOND)
    save(client, attempt, second, "A", 0, deadline + GRACE - SECOND)  # left the phone in time
    hand_in(client, attempt, deadline + GRACE - SECOND)
    attempt.refresh_from_db()
    ok = not attempt.auto_submitted and attempt.score == Decimal("10.00")
    tally.add(1, not ok)
    assert ok


def test_after_the_deadline_and_grace_the_attempt_is_closed_with_the_answers_saved_in_time(client, exam, tally):
    attempt, (first, second) = sit(client, exam, "late")
    deadline = attempt.deadline
    save(client, attempt, first, "A", 0, deadline - SECOND)
    too_late = save(client, attempt, second, "A", 0, deadline + GRACE + SECOND)
    response = hand_in(client, attempt, deadline + GRACE + SECOND)
    attempt.refresh_from_db()
    second.refresh_from_db()
    ok = (
        too_late.json()["closed"] is True
        and response.url == reverse("exams:result", args=[attempt.pk])
        and attempt.auto_submitted
        and attempt.submitted_at == deadline  # closed at the deadline, not when the late request came
        and attempt.score == Decimal("5.00")
        and second.response is None
    )
    tally.add(1, not ok)
    assert ok, (too_late.json(), attempt.auto_submitted, attempt.submitted_at, attempt.score)


def test_a_stale_tab_in_the_last_seconds_cannot_overwrite_the_newer_answer(client, exam, tally):
    attempt, (first, _) = sit(client, exam, "two-tabs")
    deadline = attempt.deadline
    newer = save(client, attempt, first, "A", 0, deadline - 5 * SECOND)  # tab one: the right answer
    stale = save(client, attempt, first, "B", 0, deadline - SECOND)  # tab two still shows revision 0
    hand_in(client, attempt, deadline - SECOND)
    attempt.refresh_from_db()
    first.refresh_from_db()
    ok = (
        newer.status_code == 200
        and stale.status_code == 409
        and stale.json()["conflicts"] == {str(first.pk): 1}
        and first.revision == 1
        and attempt.score == Decimal("5.00")
    )
    tally.add(1, not ok)
    assert ok, (stale.status_code, stale.content, first.response, attempt.score)
