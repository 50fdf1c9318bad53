"""Many hand-ins at once: one per form, one per phone a day, and every participant counted. Needs PostgreSQL."""

import pytest

from django.conf import settings
from django.utils import timezone

from campaigns.models import EventOutcome, QuizParticipant
from campaigns.quiz import AlreadySubmitted, PhoneUsedToday, paper_items, quiz_draw
from campaigns.services import quiz_submit
from tests.campaigns.quiz_helpers import bank, make_quiz
from tests.learning.test_exam_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _hand_in(quiz, paper, *, name="张三", phone=""):
    return quiz_submit(
        quiz=quiz,
        nonce=paper.nonce,
        started_at=paper.issued_at,
        items=paper_items(paper),
        name=name,
        phone=phone,
        client_ip="203.0.113.9",
        now=timezone.now(),
    )


def test_one_form_handed_in_from_many_tabs_at_once_counts_once():
    bank()
    quiz = make_quiz(count=3)
    paper = quiz_draw(quiz=quiz, now=timezone.now())

    results, errors = run_together(lambda index: _hand_in(quiz, paper, name=f"标签页{index}"))

    assert len([r for r in results if r is not None]) == 1
    assert errors and all(isinstance(error, AlreadySubmitted) for error in errors)
    assert QuizParticipant.objects.count() == 1
    assert EventOutcome.objects.get().online_reach == 1


def test_one_phone_on_many_forms_at_once_takes_part_once():
    bank()
    quiz = make_quiz(count=3)
    papers = [quiz_draw(quiz=quiz, now=timezone.now()) for _ in range(8)]

    results, errors = run_together(lambda index: _hand_in(quiz, papers[index], phone="13800138000"))

    assert len([r for r in results if r is not None]) == 1
    assert errors and all(isinstance(error, PhoneUsedToday) for error in errors)
    assert EventOutcome.objects.get().quiz_participants == 1


def test_the_first_participants_arriving_together_are_all_counted():
    bank()
    quiz = make_quiz(count=3)
    papers = [quiz_draw(quiz=quiz, now=timezone.now()) for _ in range(8)]

    results, errors = run_together(lambda index: _hand_in(quiz, papers[index], name=f"参与者{index}"))

    assert not errors and all(results)
    outcome = EventOutcome.objects.get()
    assert (outcome.online_reach, outcome.quiz_participants) == (8, 8)
