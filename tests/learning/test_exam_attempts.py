import datetime
import random
from decimal import Decimal

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.exams.models import (
    Attempt,
    AttemptStatus,
    Certificate,
    Exam,
    ExamOverride,
    ExamResult,
    Mistake,
    Question,
)
from learning.exams.services.attempts import (
    GRACE,
    ExamUnavailable,
    attempt_save,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
    exam_eligibility,
)
from learning.models import LearningRecord
from tests.clock import SUITE_YEAR, at
from tests.factories import DepartmentFactory, staff
from tests.learning.exam_helpers import law_article, make_exam, make_question

pytestmark = pytest.mark.django_db

NOW = at(11, 27, 17)


@pytest.fixture
def person():
    return staff("wang", real_name="王晓红", department=DepartmentFactory(name="公共服务处"))


@pytest.fixture
def paper():
    return [make_question("single"), make_question("multiple"), make_question("true_false"), make_question("fill")]


def answer_all(attempt, *, right=True, wrong_positions=(), now=NOW):
    answers = {}
    for item in attempt.items.all():
        is_right = right and item.position not in wrong_positions
        key = item.snapshot["key"]
        if item.snapshot["qtype"] == "fill":
            response = [accepted[0] for accepted in key] if is_right else ["错的"]
        elif item.snapshot["qtype"] == "true_false":
            response = key if is_right else [not key[0]]
        else:
            response = key if is_right else [3]
        answers[item.pk] = (response, item.revision)
    return attempt_save(attempt=attempt, answers=answers, now=now)


def test_starting_makes_a_snapshot_of_each_question(person, paper):
    exam = make_exam(paper, now=NOW)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    items = list(attempt.items.order_by("position"))
    assert [item.question_id for item in items] == [q.pk for q in paper]
    assert items[0].snapshot["stem"] == paper[0].stem and items[0].snapshot["key"] == [0]
    assert attempt.max_score == Decimal("8")
    assert attempt.deadline == exam.closes_at  # no time limit: the window closes it


def test_editing_a_question_never_changes_what_an_attempt_showed_or_scores(person, paper):
    exam = make_exam(paper, now=NOW)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    question = paper[0]
    question.stem, question.key = "改过的题干", [1]
    question.save()
    assert question.version == 2
    item = attempt.items.get(question=question)
    assert item.snapshot["stem"] != "改过的题干" and item.snapshot["key"] == [0]
    answer_all(attempt)
    attempt = attempt_submit(attempt=attempt, now=NOW)
    assert attempt.score == Decimal("8.00")


def test_starting_again_resumes_the_open_attempt(person, paper):
    exam = make_exam(paper, now=NOW, max_attempts=3)
    first = attempt_start(exam=exam, user=person, now=NOW)
    again = attempt_start(exam=exam, user=person, now=NOW + datetime.timedelta(minutes=5))
    assert again.pk == first.pk
    assert Attempt.objects.count() == 1


def test_a_time_limit_sets_the_deadline_and_an_override_adds_minutes(person, paper):
    exam = make_exam(paper, now=NOW, time_limit_minutes=30)
    ExamOverride.objects.create(exam=exam, user=person, extra_minutes=15, reason="视力障碍")
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    assert attempt.deadline == NOW + datetime.timedelta(minutes=45)


def test_the_window_cuts_the_time_limit_short(person, paper):
    exam = make_exam(paper, now=NOW, time_limit_minutes=60, closes_at=NOW + datetime.timedelta(minutes=20))
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    assert attempt.deadline == NOW + datetime.timedelta(minutes=20)


def test_an_exam_not_assigned_to_you_cannot_be_started(person, paper):
    exam = make_exam(paper, now=NOW, assign_everyone=False)
    with pytest.raises(ExamUnavailable, match="没有安排给您"):
        attempt_start(exam=exam, user=person, now=NOW)


@pytest.mark.parametrize("assignment", ["departments", "enforcement", "people"])
def test_an_exam_reaches_exactly_the_people_it_is_assigned_to(paper, assignment):
    bureau = DepartmentFactory(name="执法队")
    squad = DepartmentFactory(name="执法一中队", parent=bureau)
    in_squad = staff("in_squad", department=squad)
    enforcer = staff("enforcer", enforcer=True)
    named = staff("named")
    bystander = staff("bystander")
    exam = make_exam(paper, now=NOW, assign_everyone=False, assign_enforcement_staff=assignment == "enforcement")
    if assignment == "departments":
        exam.assign_departments.set([bureau])  # covers the squad below it
    if assignment == "people":
        exam.assign_people.set([named])
    exam.save()
    reached = {"departments": in_squad, "enforcement": enforcer, "people": named}[assignment]
    for user in (in_squad, enforcer, named, bystander):
        if user == reached:
            assert attempt_start(exam=exam, user=user, now=NOW).user == user
            assert list(Exam.objects.assigned_to(user)) == [exam]
        else:
            with pytest.raises(ExamUnavailable, match="没有安排给您"):
                attempt_start(exam=exam, user=user, now=NOW)
            assert not Exam.objects.assigned_to(user).exists()


def test_outside_the_window_nobody_starts(person, paper):
    exam = make_exam(
        paper, now=NOW, opens_at=NOW + datetime.timedelta(days=1), closes_at=NOW + datetime.timedelta(days=2)
    )
    with pytest.raises(ExamUnavailable, match="开始"):
        attempt_start(exam=exam, user=person, now=NOW)


def test_a_later_personal_window_lets_someone_sit_after_the_others(person, paper):
    exam = make_exam(paper, now=NOW, closes_at=NOW - datetime.timedelta(hours=1))
    ExamOverride.objects.create(
        exam=exam, user=person, opens_at=NOW, closes_at=NOW + datetime.timedelta(days=2), reason="出差"
    )
    attempt = attempt_start(exam=exam, user=person, now=NOW + datetime.timedelta(hours=1))
    assert attempt.deadline == NOW + datetime.timedelta(days=2)


def test_max_attempts_is_enforced(person, paper):
    exam = make_exam(paper, now=NOW, max_attempts=1)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    attempt_submit(attempt=attempt, now=NOW)
    with pytest.raises(ExamUnavailable, match="用完 1 次"):
        attempt_start(exam=exam, user=person, now=NOW)


def test_a_resit_window_is_only_for_those_who_failed(person, paper):
    exam = make_exam(
        paper,
        now=NOW,
        resit_opens_at=NOW + datetime.timedelta(days=2),
        resit_closes_at=NOW + datetime.timedelta(days=3),
    )
    passer = staff("li")
    for user, right in ((person, False), (passer, True)):
        attempt = attempt_start(exam=exam, user=user, now=NOW)
        answer_all(attempt, right=right)
        attempt_submit(attempt=attempt, now=NOW)
    during_resit = NOW + datetime.timedelta(days=2, hours=1)
    resit = attempt_start(exam=exam, user=person, now=during_resit)
    assert resit.is_resit and resit.number == 2
    assert exam_eligibility(exam=exam, user=passer, now=during_resit).reason == "您已合格，无需补考。"
    absent = staff("zhao")
    assert "缺考" in exam_eligibility(exam=exam, user=absent, now=during_resit).reason


def test_saves_are_refused_from_a_stale_tab(person, paper):
    exam = make_exam(paper, now=NOW)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    item = attempt.items.get(position=1)
    tab_one = attempt_save(attempt=attempt, answers={item.pk: ([1], 0)}, now=NOW)
    assert tab_one.saved == {item.pk: 1}
    stale = attempt_save(attempt=attempt, answers={item.pk: ([2], 0)}, now=NOW)
    assert stale.conflicts == {item.pk: 1} and not stale.saved
    item.refresh_from_db()
    assert item.response == [1] and item.revision == 1


def test_the_server_deadline_scores_what_was_saved_in_time_and_nothing_after(person, paper):
    exam = make_exam(paper, now=NOW, time_limit_minutes=10)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    first, second = attempt.items.order_by("position")[:2]
    deadline = attempt.deadline
    within_grace = attempt_save(
        attempt=attempt, answers={first.pk: ([0], 0)}, now=deadline + GRACE - datetime.timedelta(seconds=1)
    )
    assert within_grace.saved
    too_late = attempt_save(
        attempt=attempt, answers={second.pk: ([0, 1], 0)}, now=deadline + GRACE + datetime.timedelta(seconds=1)
    )
    assert too_late.closed and not too_late.saved
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.auto_submitted
    assert attempt.submitted_at == deadline
    assert attempt.score == Decimal("2.00")  # only the first answer counted
    second.refresh_from_db()
    assert second.response is None


def test_the_scheduled_job_hands_in_expired_attempts_once(person, paper, clock):
    exam = make_exam(paper, now=NOW, time_limit_minutes=10)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    clock.move_to(NOW + datetime.timedelta(minutes=11), tick=False)
    assert attempts_close_expired() == 1
    assert attempts_close_expired() == 0
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.auto_submitted


def test_second_submit_returns_the_first_result(person, paper):
    exam = make_exam(paper, now=NOW)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    answer_all(attempt)
    first = attempt_submit(attempt=attempt, now=NOW)
    second = attempt_submit(attempt=attempt, now=NOW + datetime.timedelta(minutes=1))
    assert second.submitted_at == first.submitted_at and second.score == first.score
    assert ExamResult.objects.get().attempts == 1
    assert Certificate.objects.count() == 1


def test_a_pass_credits_hours_once_and_issues_one_certificate(person, paper):
    exam = make_exam(paper, now=NOW, max_attempts=2, hours=Decimal("3"))
    for _ in range(2):
        attempt = attempt_start(exam=exam, user=person, now=NOW)
        answer_all(attempt)
        attempt_submit(attempt=attempt, now=NOW)
    record = LearningRecord.objects.get(user=person)
    assert record.award_key == f"exam:{exam.pk}" and record.hours == Decimal("3.0") and record.source == "exam"
    assert record.year == SUITE_YEAR
    assert Certificate.objects.filter(user=person).count() == 1


def test_a_fail_earns_no_certificate_and_no_hours(person, paper):
    exam = make_exam(paper, now=NOW)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    answer_all(attempt, right=False)
    attempt = attempt_submit(attempt=attempt, now=NOW)
    assert attempt.passed is False
    assert not Certificate.objects.exists() and not LearningRecord.objects.exists()


@pytest.mark.parametrize(("policy", "expected"), [("highest", Decimal("6.00")), ("last", Decimal("0.00"))])
def test_score_policy_decides_which_attempt_counts(person, paper, policy, expected):
    exam = make_exam(paper, now=NOW, max_attempts=2, score_policy=policy, pass_percent=100)
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    answer_all(attempt, wrong_positions={4})  # 6 of 8 points
    attempt_submit(attempt=attempt, now=NOW)
    attempt = attempt_start(exam=exam, user=person, now=NOW + datetime.timedelta(minutes=1))
    answer_all(attempt, right=False)
    attempt_submit(attempt=attempt, now=NOW + datetime.timedelta(minutes=2))
    result = ExamResult.objects.get(exam=exam, user=person)
    assert result.score == expected
    assert (result.best_score, result.last_score, result.attempts) == (Decimal("6.00"), Decimal("0.00"), 2)


def test_with_score_policy_last_a_pass_ends_the_retakes(person, paper):
    exam = make_exam(paper, now=NOW, max_attempts=3, score_policy="last")
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    answer_all(attempt)
    attempt_submit(attempt=attempt, now=NOW)
    with pytest.raises(ExamUnavailable, match="已合格"):
        attempt_start(exam=exam, user=person, now=NOW)


def test_wrong_answers_join_the_mistake_notebook_when_answers_are_shown_at_once(person, paper):
    exam = make_exam(paper, now=NOW, review_policy="immediately")
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    answer_all(attempt, right=False)
    attempt_submit(attempt=attempt, now=NOW)
    assert Mistake.objects.filter(user=person).count() == 4


def test_wrong_answers_stay_out_of_the_notebook_until_the_review_policy_allows(person, paper):
    exam = make_exam(paper, now=NOW, review_policy="after_close")
    attempt = attempt_start(exam=exam, user=person, now=NOW)
    answer_all(attempt, right=False)
    attempt_submit(attempt=attempt, now=NOW)
    assert not Mistake.objects.exists()


def test_rule_based_drawing_takes_the_difficulty_mix_and_prefers_unseen_questions(person):
    easy = [make_question("single", difficulty=1, tags=["旅游"]) for _ in range(4)]
    hard = [make_question("single", difficulty=3, tags=["旅游"]) for _ in range(4)]
    make_question("single", difficulty=1, tags=["文物"])  # another tag: never drawn
    exam = make_exam(
        now=NOW,
        paper_mode="rules",
        max_attempts=2,
        rules=[{"qtype": "single", "tags": "旅游", "count": 4, "easy": 2, "hard": 2, "points": Decimal("5")}],
    )
    first = attempt_start(exam=exam, user=person, now=NOW, rng=random.Random(1))
    drawn = set(first.items.values_list("question_id", flat=True))
    assert len(drawn & {q.pk for q in easy}) == 2 and len(drawn & {q.pk for q in hard}) == 2
    assert first.max_score == Decimal("20")
    attempt_submit(attempt=first, now=NOW)
    second = attempt_start(exam=exam, user=person, now=NOW, rng=random.Random(1))
    assert not drawn & set(second.items.values_list("question_id", flat=True))


def test_a_rule_the_bank_cannot_fill_is_explained(person):
    make_question("fill")
    exam = make_exam(now=NOW, paper_mode="rules", rules=[{"qtype": "fill", "count": 3, "points": Decimal("2")}])
    with pytest.raises(ExamUnavailable, match="只有 1 道，不足 3 道"):
        attempt_start(exam=exam, user=person, now=NOW)


def test_shuffling_stores_each_attempts_own_order(person):
    questions = [make_question("single", options=[f"选项{n}{m}" for m in range(4)]) for n in range(8)]
    exam = make_exam(questions, now=NOW, shuffle_questions=True, shuffle_options=True, max_attempts=2)
    first = attempt_start(exam=exam, user=person, now=NOW, rng=random.Random(3))
    order = list(first.items.order_by("position").values_list("question_id", flat=True))
    assert sorted(order) == sorted(q.pk for q in questions) and order != [q.pk for q in questions]
    options = [item.option_order for item in first.items.all()]
    assert all(sorted(o) == [0, 1, 2, 3] for o in options) and any(o != [0, 1, 2, 3] for o in options)
    other = attempt_start(exam=exam, user=staff("li"), now=NOW, rng=random.Random(4))
    assert list(other.items.order_by("position").values_list("question_id", flat=True)) != order


def test_shuffled_options_are_scored_by_what_the_letters_meant(person):
    from django.http import QueryDict

    from learning.exams.paper import posted_answers

    question = make_question("single", options=["甲", "乙", "丙", "丁"], key=[2])
    exam = make_exam([question], now=NOW, shuffle_options=True)
    attempt = attempt_start(exam=exam, user=person, now=NOW, rng=random.Random(7))
    item = attempt.items.get()
    shown_letter = "ABCD"[item.option_order.index(2)]  # where 丙 appears on this attempt's screen
    data = QueryDict(mutable=True)
    data.update({"items": str(item.pk), f"rev{item.pk}": "0", f"q{item.pk}": shown_letter})
    attempt_save(attempt=attempt, answers=posted_answers([item], data), now=NOW)
    assert attempt_submit(attempt=attempt, now=NOW).score == Decimal("2.00")


@pytest.mark.parametrize("paper_mode", ["fixed", "rules"])
def test_starting_costs_the_same_queries_however_many_questions_cite_a_law(person, paper_mode):
    """Each snapshot names its question's legal basis: the articles and their laws come with the questions."""
    article = law_article("中华人民共和国旅游法", "lvyoufa", "第一条　为了保障旅游者的合法权益，制定本法。\n", 1)

    def queries_to_start(cited: int) -> int:
        questions = [make_question("single", legal_basis=article if n < cited else None) for n in range(6)]
        rules = [{"qtype": "single", "count": 6, "points": Decimal("1")}] if paper_mode == "rules" else []
        exam = make_exam([] if rules else questions, now=NOW, paper_mode=paper_mode, rules=rules)
        Question.objects.exclude(pk__in=[q.pk for q in questions]).update(status="retired")
        cache.clear()  # each start from the same cold cache (the department tree is cached after the first)
        with CaptureQueriesContext(connection) as captured:
            attempt = attempt_start(exam=exam, user=person, now=NOW)
        assert attempt.items.filter(snapshot__legal_basis_label="《中华人民共和国旅游法》第一条").count() == cited
        return len(captured)

    assert queries_to_start(6) == queries_to_start(0)
