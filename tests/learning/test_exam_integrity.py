"""Records that can be trusted (issue 15, items 1 and 3).

1. Conflict of interest: nobody corrects a key, grades or edits a question of an exam they have an
   attempt in, or are assigned and still have to sit; a correction that changes a closed exam's
   results waits for a second person (法治办); the admin hides keys from people who must sit the exam.
3. The question pool rule: a question in an open or scheduled exam is never drawn into a public quiz
   or practice, and no public or personal page shows its key.
"""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from campaigns.quiz import paper_items, quiz_draw, quiz_pool
from campaigns.services import quiz_submit
from learning.exams.integrity import CONFLICT, EXAM_CONFLICT, KEY_HIDDEN
from learning.exams.models import (
    AnswerKeyCorrection,
    Certificate,
    CorrectionStatus,
    PracticeKind,
    RegradeEntry,
)
from learning.exams.services.attempts import attempt_start, attempt_submit
from learning.exams.services.grading import (
    GradingError,
    essay_grade,
    key_correction_confirm,
    key_correction_reject,
    question_correct_key,
)
from learning.exams.services.practice import HELD_MESSAGE, practice_start
from learning.models import LearningRecord
from organisation import roles
from tests.campaigns.quiz_helpers import constitution_domain, make_quiz
from tests.clock import SUITE_NOW
from tests.factories import DepartmentFactory, staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.learning.test_exam_grading import sit

pytestmark = pytest.mark.django_db

NOW = SUITE_NOW
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def reviewer():
    return staff("reviewer", role_names=(roles.STAFF, roles.REVIEWER), real_name="孙法制")


@pytest.fixture
def oversight():
    return staff("zhou", role_names=(roles.STAFF, roles.OVERSIGHT), real_name="周主任")


def enforcers_exam(questions, **fields):
    """An exam for the law-enforcement staff only (the reviewer and 法治办 are not assigned it)."""
    return make_exam(questions, assign_everyone=False, assign_enforcement_staff=True, **fields)


def enforcer(name):
    return staff(name, enforcer=True)


# --- 1. Conflict of interest ------------------------------------------------------------------


def test_a_reviewer_who_failed_an_exam_cannot_pass_it_by_correcting_its_keys_over_http(client, reviewer):
    questions = [make_question("single", options=["甲", "乙"], key=[0], points=5) for _ in range(4)]
    exam = make_exam(questions, pass_percent=60, hours=Decimal("2"))
    colleague = sit(exam, staff("wang"), {1: [0], 2: [0], 3: [0], 4: [0]})
    own = sit(exam, reviewer, {1: [1], 2: [1], 3: [1], 4: [0]})
    assert (own.score, own.passed) == (Decimal("5.00"), False)
    client.force_login(reviewer)

    for question in questions[:3]:
        url = reverse("exams_question_correct_key", args=[question.pk])
        response = client.post(url, {"answer": "B", "reason": "正确答案应为乙"})
        assert response.status_code == 403 and CONFLICT in response.content.decode()
        assert client.get(url).status_code == 403

    own.refresh_from_db()
    colleague.refresh_from_db()
    assert (own.score, own.passed) == (Decimal("5.00"), False)
    assert (colleague.score, colleague.passed) == (Decimal("20.00"), True)
    assert all(question.key == [0] for question in type(questions[0]).objects.filter(pk__in=[q.pk for q in questions]))
    assert not AnswerKeyCorrection.objects.exists() and not RegradeEntry.objects.exists()
    assert not Certificate.objects.filter(user=reviewer).exists()
    assert not LearningRecord.objects.filter(user=reviewer).exists()
    with pytest.raises(GradingError, match="利益冲突"):
        question_correct_key(question=questions[0], key=[1], reason="正确答案应为乙", by=reviewer, now=NOW)


def test_an_exam_still_to_be_sat_keeps_its_questions_from_the_reviewer_assigned_it(client, reviewer):
    question = make_question("single", options=["甲", "乙"], key=[0])
    essay = make_question("essay", points=5, rubric="评分要点：三条")
    outside = make_question("single", options=["丙", "丁"], key=[0])
    exam = make_exam([question, essay])  # everyone's, the reviewer included; he has not sat it
    attempt = sit(exam, staff("wang"), {1: [0], 2: "行政处罚的种类有……"})
    answer = attempt.items.get(position=2)
    client.force_login(reviewer)

    assert client.get(reverse("exam_questions:edit", args=[question.pk])).status_code == 403
    assert client.post(reverse("exam_questions:delete", args=[question.pk])).status_code == 403
    assert client.get(reverse("exam_questions:edit", args=[outside.pk])).status_code == 200
    grading = client.get(reverse("exams_grade_item", args=[answer.pk]))
    assert grading.status_code == 403 and EXAM_CONFLICT in grading.content.decode()
    assert "待评阅 0 题" in client.get(reverse("exams_grading")).content.decode()
    with pytest.raises(GradingError, match="利益冲突"):
        essay_grade(item=answer, score=Decimal("5"), comment="", by=reviewer, now=NOW)
    bank = client.get(reverse("exam_questions:index")).content.decode()
    assert reverse("exams_question_correct_key", args=[outside.pk]) in bank
    assert reverse("exams_question_correct_key", args=[question.pk]) not in bank
    question.refresh_from_db()
    assert question.key == [0] and answer.__class__.objects.get(pk=answer.pk).score is None


def test_a_reviewer_not_assigned_the_exam_corrects_and_grades_it_as_before(client, reviewer):
    question = make_question("single", options=["甲", "乙"], key=[0], points=5)
    exam = enforcers_exam([question, make_question("essay", points=5)])
    attempt = sit(exam, enforcer("wang"), {1: [1], 2: "答"})
    essay_grade(item=attempt.items.get(position=2), score=Decimal("5"), comment="", by=reviewer, now=NOW)

    correction = question_correct_key(question=question, key=[1], reason="教材修订", by=reviewer, now=NOW)

    attempt.refresh_from_db()
    assert correction.status == CorrectionStatus.APPLIED and attempt.score == Decimal("10.00")


def test_the_admin_hides_keys_from_an_editor_assigned_the_exam_until_handed_in_and_closed(client, clock):
    editor = staff("editor", role_names=(roles.STAFF, roles.EDITOR))
    question = make_question("single", options=["甲", "乙"], key=[1], explanation="解析：乙为正确答案")
    exam = make_exam([question], closes_at=NOW + 2 * HOUR)
    client.force_login(editor)
    inspect = reverse("exam_questions:inspect", args=[question.pk])

    page = client.get(inspect).content.decode()
    assert KEY_HIDDEN in page and "解析：乙为正确答案" not in page
    export = client.get(reverse("exams_question_export") + "?format=moodle-xml").content.decode()
    assert question.stem not in export

    sit(exam, editor, {1: [1]})
    assert KEY_HIDDEN in client.get(inspect).content.decode()  # handed in, but others are still sitting it

    clock.move_to(NOW + 3 * HOUR)
    page = client.get(inspect).content.decode()
    assert KEY_HIDDEN not in page and "解析：乙为正确答案" in page
    assert question.stem in client.get(reverse("exams_question_export") + "?format=moodle-xml").content.decode()


def _closed_exam_with_two_candidates(clock):
    """甲 is the key; 王 chose 乙 and failed, 李 chose 甲 and passed; then the exam closes."""
    question = make_question("single", options=["甲", "乙"], key=[0], points=10)
    exam = enforcers_exam([question], opens_at=NOW - 2 * HOUR, closes_at=NOW + HOUR, hours=Decimal("2"))
    failed = sit(exam, enforcer("wang"), {1: [1]})
    passed = sit(exam, enforcer("li"), {1: [0]})
    clock.move_to(NOW + 2 * HOUR)
    return question, failed, passed


def test_a_correction_that_changes_a_closed_exam_s_results_waits_for_a_second_person(
    client, clock, reviewer, oversight
):
    question, failed, passed = _closed_exam_with_two_candidates(clock)
    client.force_login(reviewer)

    response = client.post(
        reverse("exams_question_correct_key", args=[question.pk]), {"answer": "B", "reason": "教材修订"}
    )

    correction = AnswerKeyCorrection.objects.get()
    assert response.url == reverse("exams_correction", args=[correction.pk])
    assert correction.status == CorrectionStatus.PENDING and correction.confirmed_by is None
    question.refresh_from_db()
    failed.refresh_from_db()
    assert question.key == [0] and failed.passed is False and not RegradeEntry.objects.exists()
    # The one who asked cannot confirm, by the page or the service.
    waiting = client.get(reverse("exams_correction", args=[correction.pk])).content.decode()
    assert "待复核" in waiting and "复核确认后才会重新评分" in waiting and "确认更正并重新评分" not in waiting
    client.post(reverse("exams_correction_decide", args=[correction.pk]), {"decision": "confirm"})
    with pytest.raises(GradingError, match="另一人复核"):
        key_correction_confirm(correction=correction, by=reviewer, now=clock.now)
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING

    client.force_login(oversight)
    assert "确认更正并重新评分" in client.get(reverse("exams_correction", args=[correction.pk])).content.decode()
    client.post(reverse("exams_correction_decide", args=[correction.pk]), {"decision": "confirm"})

    correction.refresh_from_db()
    failed.refresh_from_db()
    passed.refresh_from_db()
    question.refresh_from_db()
    assert (correction.status, correction.corrected_by, correction.confirmed_by) == (
        CorrectionStatus.APPLIED,
        reviewer,
        oversight,
    )
    assert question.key == [1] and (failed.passed, passed.passed) == (True, False)
    assert RegradeEntry.objects.filter(correction=correction).count() == 2
    assert LearningRecord.objects.filter(user=failed.user).hours() == Decimal("2")
    assert Certificate.objects.get(user=passed.user).revoked_at is not None
    page = client.get(reverse("exams_correction", args=[correction.pk])).content.decode()
    assert "已生效" in page and "复核确认" in page
    listing = client.get(reverse("exams_corrections")).content.decode()
    assert str(reviewer) in listing and str(oversight) in listing


def test_a_rejected_correction_changes_nothing_and_a_confirmer_with_a_stake_is_refused(clock, reviewer, oversight):
    question, failed, _ = _closed_exam_with_two_candidates(clock)
    correction = question_correct_key(question=question, key=[1], reason="教材修订", by=reviewer, now=clock.now)
    stake = staff("sat_it", enforcer=True, role_names=(roles.STAFF, roles.OVERSIGHT))
    sit(enforcers_exam([question], title="补充考试"), stake, {1: [0]}, now=clock.now)

    with pytest.raises(GradingError, match="利益冲突"):
        key_correction_confirm(correction=correction, by=stake, now=clock.now)
    key_correction_reject(correction=correction, by=oversight, now=clock.now)
    with pytest.raises(GradingError, match="已由他人处理"):
        key_correction_confirm(correction=correction, by=oversight, now=clock.now)

    correction.refresh_from_db()
    question.refresh_from_db()
    failed.refresh_from_db()
    assert (correction.status, correction.confirmed_by) == (CorrectionStatus.REJECTED, oversight)
    assert question.key == [0] and failed.passed is False and not RegradeEntry.objects.exists()


def test_a_correction_that_changes_no_closed_result_applies_at_once(clock, reviewer):
    question = make_question("single", options=["甲", "乙", "丙"], key=[0], points=10)
    exam = enforcers_exam([question], opens_at=NOW - 2 * HOUR, closes_at=NOW + HOUR)
    chose_c = sit(exam, enforcer("wang"), {1: [2]})
    clock.move_to(NOW + 2 * HOUR)

    correction = question_correct_key(question=question, key=[1], reason="应为乙", by=reviewer, now=clock.now)

    chose_c.refresh_from_db()
    assert correction.status == CorrectionStatus.APPLIED and chose_c.score == Decimal("0.00")


# --- 3. One question pool rule ------------------------------------------------------------------


@pytest.fixture
def constitution():
    return constitution_domain()


def test_the_public_quiz_result_page_shows_no_key_of_an_open_exam_s_questions(client, clock, constitution):
    questions = [make_question("true_false", domain=constitution, key=[True]) for _ in range(5)]
    quiz = make_quiz(count=5, question_types=["true_false"])
    paper = quiz_draw(quiz=quiz, now=clock.now)
    participant = quiz_submit(
        quiz=quiz,
        nonce=paper.nonce,
        started_at=paper.issued_at,
        items=paper_items(paper),
        name="张三",
        phone="",
        client_ip="203.0.113.9",
        now=clock.now,
    )
    in_exam = questions[:4]
    make_exam(in_exam, opens_at=clock.now + HOUR, closes_at=clock.now + 3 * HOUR)  # scheduled

    page = client.get(participant.get_absolute_url()).content.decode()

    assert page.count("这道题正用于尚未结束的考试") == 4
    assert page.count("<dt>正确答案</dt><dd>正确</dd>") == 1
    for question in in_exam:
        assert question.explanation not in page
    assert questions[4].explanation in page


def test_the_public_quiz_and_practice_never_draw_a_question_of_an_open_or_scheduled_exam(clock, constitution):
    person = staff("wang")
    free = [make_question("true_false", domain=constitution) for _ in range(3)]
    in_open = make_question("true_false", domain=constitution)
    in_scheduled = make_question("true_false", domain=constitution)
    in_draft = make_question("true_false", domain=constitution)
    being_sat = make_question("true_false", domain=constitution, tags=["随机卷"])
    in_closed = make_question("true_false", domain=constitution)
    make_exam([in_open], title="进行中")
    make_exam([in_scheduled], title="未开始", opens_at=NOW + HOUR, closes_at=NOW + 2 * HOUR)
    make_exam([in_draft], title="草稿", published=False)
    make_exam([in_closed], title="已结束", opens_at=NOW - 3 * HOUR, closes_at=NOW - HOUR)
    rules_exam = make_exam(
        title="随机组卷", paper_mode="rules", rules=[{"qtype": "true_false", "count": 1, "points": 1, "tags": "随机卷"}]
    )
    attempt = attempt_start(exam=rules_exam, user=staff("li"), now=NOW)
    quiz = make_quiz(count=1, question_types=["true_false"])
    allowed = {q.pk for q in [*free, in_closed]}

    assert set(quiz_pool(quiz=quiz, now=NOW).values_list("pk", flat=True)) == allowed
    session = practice_start(user=person, kind=PracticeKind.RANDOM, now=NOW, count=50)
    assert set(session.question_ids) == allowed

    # A rule-drawn paper holds its questions while someone sits it; the rest of its pool is practice material.
    attempt_submit(attempt=attempt, now=NOW)
    assert set(quiz_pool(quiz=quiz, now=NOW).values_list("pk", flat=True)) == allowed | {being_sat.pk}


def test_a_practice_question_that_joins_an_exam_after_it_was_drawn_is_skipped_without_its_key(client, constitution):
    person = staff("wang")
    question = make_question("single", domain=constitution, options=["甲", "乙"], key=[1])
    session = practice_start(user=person, kind=PracticeKind.RANDOM, now=NOW)
    make_exam([question], opens_at=NOW + HOUR, closes_at=NOW + 2 * HOUR)
    client.force_login(person)

    response = client.post(session.get_absolute_url(), {"q1": "B"})

    assert response.status_code == 400 and HELD_MESSAGE in response.content.decode()
    assert question.explanation not in response.content.decode()
    assert not session.answers.exists()


def test_a_closed_exam_s_review_hides_the_key_of_a_question_reused_in_a_running_exam(client, clock):
    reused = make_question("single", options=["甲", "乙"], key=[1], explanation="解析：复用题")
    kept = make_question("single", options=["丙", "丁"], key=[0], explanation="解析：普通题")
    person = staff("wang")
    old = make_exam([reused, kept], title="上一年度", opens_at=NOW - 3 * HOUR, closes_at=NOW - 2 * HOUR)
    attempt = sit(old, person, {1: [1], 2: [0]}, now=NOW - 150 * datetime.timedelta(minutes=1))
    make_exam([reused], title="本年度")
    client.force_login(person)

    page = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()

    assert "解析：普通题" in page and "解析：复用题" not in page
    assert page.count("这道题正用于尚未结束的考试") == 1


def test_the_practice_overview_counts_only_what_may_be_drawn(client, constitution):
    person = staff("wang", department=DepartmentFactory())
    for _ in range(2):
        make_question("true_false", domain=constitution)
    make_exam([make_question("true_false", domain=constitution)])
    client.force_login(person)

    page = client.get(reverse("exams:practice")).content.decode()

    assert "从题库 2 道题中" in page and f'{constitution.name} <span class="meta">2 题</span>' in page
