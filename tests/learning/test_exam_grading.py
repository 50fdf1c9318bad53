from decimal import Decimal

import pytest

from django.urls import reverse

from learning.exams.models import (
    AnswerKeyCorrection,
    AttemptStatus,
    Certificate,
    ExamResult,
    RegradeEntry,
)
from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from learning.exams.services.grading import GradingError, essay_grade, question_correct_key
from learning.models import LearningRecord
from tests import factories
from tests.clock import SUITE_NOW
from tests.learning import exam_helpers
from tests.learning.exam_helpers import make_question

pytestmark = pytest.mark.django_db

NOW = SUITE_NOW


# The exams here are the law-enforcement staff's; the reviewer is not one of them. A reviewer who must sit
# an exam may not grade or correct it (tests/learning/test_exam_integrity.py).
def make_exam(questions=(), **fields):
    return exam_helpers.make_exam(questions, **{"assign_everyone": False, "assign_enforcement_staff": True, **fields})


def staff(username, **fields):
    """A candidate: law-enforcement staff."""
    return factories.staff(username, enforcer=True, **fields)


@pytest.fixture
def reviewer():
    return factories.staff("reviewer", role_names=("职工", "法制审核"))


def sit(exam, user, responses, *, now=NOW):
    attempt = attempt_start(exam=exam, user=user, now=now)
    items = {item.position: item for item in attempt.items.all()}
    attempt_save(attempt=attempt, answers={items[p].pk: (r, 0) for p, r in responses.items()}, now=now)
    return attempt_submit(attempt=attempt, now=now)


def test_an_essay_waits_in_the_queue_and_the_grade_completes_the_result(reviewer):
    person = staff("wang")
    exam = make_exam([make_question("single", points=4), make_question("essay", points=6)], pass_percent=60)
    attempt = sit(exam, person, {1: [0], 2: "行政处罚的种类有……"})
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.passed is None
    assert ExamResult.objects.get().awaiting_grading
    assert not Certificate.objects.exists()
    item = attempt.items.get(position=2)
    attempt = essay_grade(item=item, score=Decimal("3"), comment="要点不全", by=reviewer, now=NOW)
    assert attempt.status == AttemptStatus.GRADED and attempt.score == Decimal("7.00") and attempt.passed
    result = ExamResult.objects.get()
    assert not result.awaiting_grading and result.passed
    assert Certificate.objects.filter(user=person).count() == 1
    assert LearningRecord.objects.filter(user=person, award_key=f"exam:{exam.pk}").exists()


def test_a_grade_outside_the_points_or_on_one_s_own_attempt_is_refused(reviewer):
    exam = make_exam([make_question("essay", points=5)], assign_everyone=True)
    attempt = sit(exam, reviewer, {1: "自己的答案"})
    item = attempt.items.get()
    with pytest.raises(GradingError, match="不能评阅自己的答卷"):
        essay_grade(item=item, score=Decimal("5"), comment="", by=reviewer, now=NOW)
    other = sit(make_exam([make_question("essay", points=5)], title="另一场"), staff("li"), {1: "答案"})
    with pytest.raises(GradingError, match="0 到 5"):
        essay_grade(item=other.items.get(), score=Decimal("6"), comment="", by=reviewer, now=NOW)


def test_the_grading_queue_is_blind_and_grading_moves_to_the_next_answer(client, reviewer):
    person = staff("wang", real_name="王晓红")
    exam = make_exam([make_question("essay", points=5, rubric="评分要点：三条")])
    first = sit(exam, person, {1: "第一份答案"})
    second = sit(exam, staff("li", real_name="李四"), {1: "第二份答案"})
    client.force_login(reviewer)
    queue = client.get(reverse("exams_grading")).content.decode()
    assert "王晓红" not in queue and "李四" not in queue and "待评阅 2 题" in queue
    page = client.get(reverse("exams_grade_item", args=[first.items.get().pk])).content.decode()
    assert "评分要点：三条" in page and "第一份答案" in page and "王晓红" not in page
    response = client.post(reverse("exams_grade_item", args=[first.items.get().pk]), {"score": "4", "comment": "较好"})
    assert response.url == reverse("exams_grade_item", args=[second.items.get().pk])
    too_many = client.post(reverse("exams_grade_item", args=[second.items.get().pk]), {"score": "9"})
    assert "不能超过本题分值" in too_many.content.decode()


def test_correcting_a_key_regrades_every_affected_attempt_with_an_audit_entry(reviewer):
    wrong_key = make_question("single", options=["甲", "乙", "丙"], key=[0], points=5)
    other = make_question("true_false", key=[True], points=5)
    exam = make_exam([wrong_key, other], pass_percent=60, hours=Decimal("2"))
    chose_b = staff("chose_b")
    chose_a = staff("chose_a")
    b_attempt = sit(exam, chose_b, {1: [1], 2: [True]})  # 5 of 10 under the old key: fails
    a_attempt = sit(exam, chose_a, {1: [0], 2: [True]})  # 10 of 10: passes
    assert (b_attempt.passed, a_attempt.passed) == (False, True)
    still_open = attempt_start(exam=exam, user=staff("sitting"), now=NOW)

    correction = question_correct_key(
        question=wrong_key, key=[1], reason="教材修订，正确答案为乙", by=reviewer, now=NOW
    )

    b_attempt.refresh_from_db()
    a_attempt.refresh_from_db()
    assert (b_attempt.score, b_attempt.passed) == (Decimal("10.00"), True)
    assert (a_attempt.score, a_attempt.passed) == (Decimal("5.00"), False)
    entries = {entry.attempt_id: entry for entry in RegradeEntry.objects.filter(correction=correction)}
    assert set(entries) == {b_attempt.pk, a_attempt.pk, still_open.pk}
    assert (entries[b_attempt.pk].old_score, entries[b_attempt.pk].new_score) == (Decimal("5.00"), Decimal("10.00"))
    assert (entries[a_attempt.pk].old_passed, entries[a_attempt.pk].new_passed) == (True, False)
    assert still_open.items.get(question=wrong_key).snapshot["key"] == [1]
    # The new pass earns its certificate and hours; the lost pass has its certificate revoked and hours corrected.
    assert Certificate.objects.get(user=chose_b).is_valid
    assert Certificate.objects.get(user=chose_a).revoked_at is not None
    assert LearningRecord.objects.filter(user=chose_a).hours() == 0
    assert LearningRecord.objects.filter(user=chose_a, corrects__isnull=False).get().reason.startswith("答案更正后")
    assert LearningRecord.objects.filter(user=chose_b).hours() == Decimal("2")
    assert ExamResult.objects.get(user=chose_a).passed is False
    wrong_key.refresh_from_db()
    assert wrong_key.key == [1] and AnswerKeyCorrection.objects.get().old_key == [0]


def test_a_pass_restored_by_a_second_correction_gets_its_hours_and_certificate_back(reviewer):
    question = make_question("single", options=["甲", "乙"], key=[0], points=10)
    exam = make_exam([question], hours=Decimal("2"))
    person = staff("wang")
    sit(exam, person, {1: [0]})
    question_correct_key(question=question, key=[1], reason="误改", by=reviewer, now=NOW)
    assert LearningRecord.objects.filter(user=person).hours() == 0
    question.refresh_from_db()
    question_correct_key(question=question, key=[0], reason="恢复原答案", by=reviewer, now=NOW)
    assert LearningRecord.objects.filter(user=person).hours() == Decimal("2")
    assert Certificate.objects.get(user=person).is_valid
    assert Certificate.objects.count() == 1


def test_a_key_correction_needs_a_reason_and_a_different_valid_key(reviewer):
    question = make_question("single", options=["甲", "乙"], key=[0])
    with pytest.raises(GradingError, match="原因"):
        question_correct_key(question=question, key=[1], reason=" ", by=reviewer, now=NOW)
    with pytest.raises(GradingError, match="相同"):
        question_correct_key(question=question, key=[0], reason="无", by=reviewer, now=NOW)
    with pytest.raises(GradingError, match="答案不在选项中"):
        question_correct_key(question=question, key=[5], reason="无", by=reviewer, now=NOW)


def test_the_correction_screen_shows_the_affected_attempts_and_records_the_audit(client, reviewer):
    question = make_question("multiple", options=["甲", "乙", "丙"], key=[0, 1])
    exam = make_exam([question])
    attempt = sit(exam, staff("wang", real_name="王晓红"), {1: [0, 2]})
    client.force_login(reviewer)
    page = client.get(reverse("exams_question_correct_key", args=[question.pk])).content.decode()
    assert "已有 <strong>1</strong> 份答卷" in page and "当前答案：<strong>AB</strong>" in page
    response = client.post(
        reverse("exams_question_correct_key", args=[question.pk]), {"answer": "A、C", "reason": "法规修订"}
    )
    correction = AnswerKeyCorrection.objects.get()
    assert response.url == reverse("exams_correction", args=[correction.pk])
    detail = client.get(response.url).content.decode()
    assert "王晓红" in detail and "AB" in detail and "AC" in detail and "法规修订" in detail
    # The reviewer may not open 王晓红's result, so her name is not a link to a page that would be a 404.
    result_url = reverse("exams:result", args=[attempt.pk])
    assert result_url not in detail and client.get(result_url).status_code == 404
    client.force_login(staff("zhou", role_names=("职工", "法治办/局党委")))
    assert result_url in client.get(response.url).content.decode()
    assert client.get(result_url).status_code == 200


def test_oversight_reads_corrections_but_cannot_correct(client):
    oversight = staff("zhou", role_names=("职工", "法治办/局党委"))
    question = make_question("single")
    client.force_login(oversight)
    assert client.get(reverse("exams_corrections")).status_code == 200
    assert client.get(reverse("exams_question_correct_key", args=[question.pk])).status_code == 302


def test_a_correction_regrades_an_earlier_version_by_what_its_options_said(client, reviewer):
    question = make_question("single", options=["甲", "乙", "丙"], key=[0], points=10)
    exam = make_exam([question], max_attempts=1)
    first = sit(exam, staff("first"), {1: [1]})  # 乙, under version 1's order
    question.options, question.key = ["乙", "丙", "甲"], [2]  # reordered; still 甲
    question.save()
    second = sit(exam, staff("second"), {1: [0]})  # 乙 again, under version 2's order
    assert (first.score, second.score) == (Decimal("0.00"), Decimal("0.00"))

    correction = question_correct_key(question=question, key=[0], reason="正确答案为乙", by=reviewer, now=NOW)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.score, second.score) == (Decimal("10.00"), Decimal("10.00"))
    assert first.items.get().snapshot["key"] == [1] and second.items.get().snapshot["key"] == [0]
    assert correction.not_regraded == [] and correction.entries.count() == 2


def test_a_version_without_the_corrected_option_is_left_as_it_was_and_reported(client, reviewer):
    question = make_question("single", options=["甲", "乙"], key=[0], points=10)
    exam = make_exam([question])
    old = sit(exam, staff("old"), {1: [1]})
    question.options = ["甲", "乙（修订后的表述）"]
    question.save()
    client.force_login(reviewer)

    response = client.post(
        reverse("exams_question_correct_key", args=[question.pk]), {"answer": "B", "reason": "答案应为修订后的乙"}
    )

    old.refresh_from_db()
    assert old.score == Decimal("0.00") and old.items.get().snapshot["key"] == [0]
    assert not RegradeEntry.objects.exists()
    page = client.get(response.url).content.decode()
    assert "1 份答卷用的是该题的旧版本" in page and f"#{old.pk}" in page


def test_an_essay_still_being_written_cannot_be_opened_for_grading(client, reviewer):
    exam = make_exam([make_question("essay", rubric="机密评分要点")])
    attempt = attempt_start(exam=exam, user=staff("wang"), now=NOW)
    item = attempt.items.get()
    attempt_save(attempt=attempt, answers={item.pk: ("写了一半", 0)}, now=NOW)
    client.force_login(reviewer)
    assert client.get(reverse("exams_grade_item", args=[item.pk])).status_code == 404
    assert client.post(reverse("exams_grade_item", args=[item.pk]), {"score": "5"}).status_code == 404
    attempt_submit(attempt=attempt, now=NOW)
    assert "写了一半" in client.get(reverse("exams_grade_item", args=[item.pk])).content.decode()


@pytest.mark.parametrize("people", [2, 12])
def test_the_grading_queue_and_a_correction_cost_the_same_queries_however_many_attempts(
    client, reviewer, people, django_assert_max_num_queries
):
    exam = make_exam([make_question("single", options=["甲", "乙"], key=[0]), make_question("essay")])
    for number in range(people):
        sit(exam, staff(f"p{number}"), {1: [1], 2: "作答"})
    question = exam.fixed_questions.get(question__qtype="single").question
    correction = question_correct_key(question=question, key=[1], reason="更正", by=reviewer, now=NOW)
    client.force_login(reviewer)
    # 16: the conflict-of-interest check reads the grader's profile and department once (learning.exams.integrity).
    with django_assert_max_num_queries(16):
        queue = client.get(reverse("exams_grading")).content.decode()
    assert queue.count("评阅</a>") == people
    with django_assert_max_num_queries(16):
        detail = client.get(reverse("exams_correction", args=[correction.pk])).content.decode()
    assert detail.count("0 → 2") >= people


def test_a_corrected_key_maps_onto_an_older_version_keeping_letter_case():
    from learning.exams.models import Question
    from learning.exams.services.grading import key_for_version

    question = Question(qtype="single", options=["M", "m", "Km", "km"])
    snapshot = {"qtype": "single", "options": ["m", "M", "km", "Km"]}  # the same options, frozen in another order
    assert key_for_version(snapshot=snapshot, question=question, key=[1]) == [0]
    assert key_for_version(snapshot=snapshot, question=question, key=[2]) == [3]
