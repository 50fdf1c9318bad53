import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from learning.exams.models import ExamResult, Mistake, PracticeAnswer, PracticeKind, PracticeSession, PracticeSet
from learning.exams.services.attempts import attempt_start, attempt_submit
from learning.exams.services.practice import (
    HELD_MESSAGE,
    PracticeUnavailable,
    practice_answer,
    practice_next,
    practice_start,
)
from learning.models import LearningRecord
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question
from website.models import Domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return staff("wang")


def test_practice_by_domain_draws_only_that_domain_and_only_practicable_questions(person):
    tourism = Domain.objects.create(name="旅游服务", slug="lvyou")
    mine = [make_question("single", domain=tourism) for _ in range(3)]
    make_question("single")  # another domain
    make_question("single", domain=tourism, practice_allowed=False)  # exam only
    make_question("single", domain=tourism, status="draft")
    session = practice_start(user=person, kind=PracticeKind.DOMAIN, domain=tourism, now=timezone.now())
    assert sorted(session.question_ids) == sorted(q.pk for q in mine)


def test_a_practice_set_limits_type_tags_and_count(person):
    for _ in range(5):
        make_question("true_false", tags=["网吧"])
    make_question("single", tags=["网吧"])
    practice_set = PracticeSet.objects.create(
        title="判断练习", qtype="true_false", tags="网吧，娱乐场所", question_count=3
    )
    session = practice_start(user=person, kind=PracticeKind.SET, practice_set=practice_set, now=timezone.now())
    assert session.total == 3


def test_immediate_feedback_a_wrong_answer_joins_the_notebook_and_a_right_one_clears_it(client, person):
    question = make_question("single", options=["甲", "乙", "丙"], key=[1], explanation="乙是对的")
    client.force_login(person)
    client.post(reverse("exams:practice_start"), {"kind": "random"})
    session = PracticeSession.objects.get()
    url = reverse("exams:practice_session", args=[session.pk])
    page = client.get(url).content.decode()
    assert "乙是对的" not in page  # nothing before answering
    client.post(url, {f"q{question.pk}": "A"})
    feedback = client.get(url).content.decode()
    assert "回答错误" in feedback and "乙是对的" in feedback and "正确答案" in feedback
    assert Mistake.objects.of(person).outstanding().count() == 1
    client.post(reverse("exams:practice_next", args=[session.pk]))
    assert "练习完成" in client.get(url).content.decode()

    client.post(reverse("exams:practice_start"), {"kind": "mistakes"})
    again = PracticeSession.objects.latest("pk")
    assert again.kind == PracticeKind.MISTAKES and again.question_ids == [question.pk]
    client.post(reverse("exams:practice_session", args=[again.pk]), {f"q{question.pk}": "B"})
    assert not Mistake.objects.of(person).outstanding().exists()
    assert Mistake.objects.get().cleared_at is not None


def test_practice_never_counts_as_an_exam_result(person):
    question = make_question("single", key=[0])
    session = practice_start(user=person, kind=PracticeKind.RANDOM, now=timezone.now())
    practice_answer(session=session, response=[0], now=timezone.now())
    assert not ExamResult.objects.exists() and not LearningRecord.objects.exists()
    assert question.attempt_items.count() == 0


def test_answering_twice_keeps_the_first_answer(person):
    make_question("single", key=[0])
    session = practice_start(user=person, kind=PracticeKind.RANDOM, now=timezone.now())
    first = practice_answer(session=session, response=[1], now=timezone.now())
    second = practice_answer(session=session, response=[0], now=timezone.now())
    assert second.pk == first.pk and second.is_correct is False
    session = practice_next(session=session, now=timezone.now())
    assert session.finished_at is not None and session.correct == 0 and session.answered == 1


def test_submitting_without_an_answer_asks_for_one(client, person):
    make_question("single")
    client.force_login(person)
    client.post(reverse("exams:practice_start"), {"kind": "random"})
    session = PracticeSession.objects.get()
    response = client.post(reverse("exams:practice_session", args=[session.pk]), {})
    assert response.status_code == 400 and "请先作答" in response.content.decode()


def test_an_empty_notebook_says_so(person):
    with pytest.raises(PracticeUnavailable, match="错题本里没有"):
        practice_start(user=person, kind=PracticeKind.MISTAKES, now=timezone.now())


def test_the_practice_page_lists_domains_sets_and_the_notebook(client, person, django_assert_max_num_queries):
    for number in range(6):
        domain = Domain.objects.create(name=f"领域{number}", slug=f"d{number}")
        make_question("single", domain=domain)
        PracticeSet.objects.create(title=f"练习{number}", domain=domain)
    client.force_login(person)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exams:practice")).content.decode()
    assert "领域5" in page and "练习5" in page and "错题本" in page


def test_questions_of_an_open_exam_are_left_out_of_practice_for_everyone_until_it_closes(person, clock):
    in_exam = make_question("single", key=[0])
    other = make_question("single", key=[0])
    exam = make_exam([in_exam])
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    session = practice_start(user=person, kind=PracticeKind.RANDOM, now=timezone.now())
    assert session.question_ids == [other.pk]
    # Someone not sitting it yet would read its answer and 解析 before sitting it (issue 15, item 3).
    someone_else = practice_start(user=staff("li"), kind=PracticeKind.RANDOM, now=timezone.now())
    assert someone_else.question_ids == [other.pk]

    Mistake.objects.create(user=person, question=in_exam, last_wrong_at=timezone.now())
    with pytest.raises(PracticeUnavailable, match="错题本里没有"):
        practice_start(user=person, kind=PracticeKind.MISTAKES, now=timezone.now())

    attempt_submit(attempt=attempt, now=timezone.now())
    handed_in = practice_start(user=person, kind=PracticeKind.RANDOM, now=timezone.now())
    assert handed_in.question_ids == [other.pk]  # others are still sitting it

    clock.move_to(exam.closes_at + datetime.timedelta(minutes=1))
    again = practice_start(user=person, kind=PracticeKind.RANDOM, now=timezone.now())
    assert sorted(again.question_ids) == sorted([in_exam.pk, other.pk])


def test_a_practice_round_begun_before_the_exam_neither_answers_nor_explains_its_questions(client, person):
    question = make_question("single", options=["甲", "乙"], key=[1], explanation="机密解析：乙是对的")
    client.force_login(person)
    client.post(reverse("exams:practice_start"), {"kind": "random"})
    session = PracticeSession.objects.get()
    attempt = attempt_start(exam=make_exam([question]), user=person, now=timezone.now())
    url = reverse("exams:practice_session", args=[session.pk])

    page = client.get(url).content.decode()
    assert HELD_MESSAGE in page and f'name="q{question.pk}"' not in page
    response = client.post(url, {f"q{question.pk}": "B"})
    assert response.status_code == 400
    assert "机密解析" not in response.content.decode() and "正确答案" not in response.content.decode()
    assert not PracticeAnswer.objects.exists() and not Mistake.objects.exists()
    with pytest.raises(PracticeUnavailable, match="考试结束后才能练习"):
        practice_answer(session=session, response=[1], now=timezone.now())

    # It can be skipped; the round then ends without counting it.
    client.post(reverse("exams:practice_next", args=[session.pk]))
    session.refresh_from_db()
    assert session.finished_at is not None and session.answered == 0
    assert attempt.items.get().response is None
