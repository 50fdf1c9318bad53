import datetime
import json
import re

import pytest

from django.urls import reverse
from django.utils import timezone

from learning.exams.models import Attempt, AttemptStatus
from learning.exams.services.attempts import attempt_start
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db

SECRET_EXPLANATION = "机密解析只在交卷后出现"
SECRET_RUBRIC = "机密评分要点只给阅卷人"
SECRET_FILL = "机密填空答案"


@pytest.fixture
def person():
    return staff("wang", real_name="王晓红")


@pytest.fixture
def exam():
    questions = [
        make_question(
            "single", options=["甲选项", "乙选项", "丙选项", "丁选项"], key=[2], explanation=SECRET_EXPLANATION
        ),
        make_question("multiple", options=["子", "丑", "寅", "卯"], key=[1, 3], explanation=SECRET_EXPLANATION + "二"),
        make_question("true_false", key=[True], explanation=SECRET_EXPLANATION + "三"),
        make_question(
            "fill", stem="著作权又称____。", key=[[SECRET_FILL, "版权"]], explanation=SECRET_EXPLANATION + "四"
        ),
        make_question("essay", rubric=SECRET_RUBRIC, explanation=SECRET_EXPLANATION + "五"),
    ]
    return make_exam(
        questions, title="保密测试考试", shuffle_options=True, shuffle_questions=True, review_policy="after_close"
    )


def _post_json(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json")


def _option_inputs(html: str, item_id: int) -> list[str]:
    return re.findall(rf'<input[^>]*name="q{item_id}"[^>]*>', html)


def _attributes_without_value(tag: str) -> str:
    return re.sub(r'\s(value|checked)(="[^"]*")?', "", tag)


def test_open_attempt_pages_and_autosave_never_carry_keys_or_explanations(client, person, exam):
    client.force_login(person)
    response = client.post(reverse("exams:start", args=[exam.pk]))
    attempt = Attempt.objects.get(user=person)
    assert response.url == reverse("exams:take", args=[attempt.pk])
    items = list(attempt.items.order_by("position"))
    sent = []
    pages = [reverse("exams:take", args=[attempt.pk]) + "?view=all", reverse("exams:submit", args=[attempt.pk])]
    pages += [reverse("exams:take", args=[attempt.pk]) + f"?q={item.position}" for item in items]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        sent.append(response.content.decode())
    for item in items:
        data = {"items": item.pk, f"rev{item.pk}": item.revision, f"q{item.pk}": "A"}
        if item.snapshot["qtype"] == "fill":
            data = {"items": item.pk, f"rev{item.pk}": item.revision, f"q{item.pk}_0": "我的答案"}
        response = _post_json(client, reverse("exams:save", args=[attempt.pk]), data)
        assert response.status_code == 200
        sent.append(response.content.decode())
        sent.append(json.dumps(response.json(), ensure_ascii=False))
    everything = "\n".join(sent)
    for secret in (SECRET_EXPLANATION, SECRET_RUBRIC, SECRET_FILL, "正确答案", "解析", "参考答案"):
        assert secret not in everything
    for word in ("correct", "is_correct", "data-key", "data-answer", "data-right"):
        assert word not in everything.lower()
    # Every option of a choice question is marked up alike: nothing tells the right one apart.
    whole = sent[0]
    for item in items:
        if item.snapshot["qtype"] in ("single", "multiple"):
            tags = {_attributes_without_value(tag) for tag in _option_inputs(whole, item.pk)}
            assert len(tags) == 1, tags


def test_review_shows_answers_only_once_the_policy_allows(client, person, exam, clock):
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.post(reverse("exams:submit", args=[attempt.pk]))
    result = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET_EXPLANATION not in result and "考试全部结束后公布" in result
    clock.move_to(exam.closes_at + datetime.timedelta(minutes=1))
    client.force_login(person)  # the session has expired by then
    result = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET_EXPLANATION in result and SECRET_FILL in result and "正确答案" in result


def test_review_policy_never_keeps_answers_hidden_for_good(client, person, clock):
    exam = make_exam([make_question("single", explanation=SECRET_EXPLANATION)], review_policy="never")
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.post(reverse("exams:submit", args=[attempt.pk]))
    clock.move_to(exam.closes_at + datetime.timedelta(days=30))
    client.force_login(person)
    result = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET_EXPLANATION not in result and "不公布答案" in result


def test_a_personal_later_window_delays_everyone_s_review(client, person, exam, clock):
    from learning.exams.models import ExamOverride

    late = staff("late")
    ExamOverride.objects.create(
        exam=exam, user=late, closes_at=exam.closes_at + datetime.timedelta(days=3), reason="出差补考"
    )
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.post(reverse("exams:submit", args=[attempt.pk]))
    clock.move_to(exam.closes_at + datetime.timedelta(days=1))
    client.force_login(person)
    result = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET_EXPLANATION not in result


def test_autosave_then_reload_shows_every_saved_answer(client, person, exam):
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    items = {item.snapshot["qtype"]: item for item in attempt.items.all()}
    save = reverse("exams:save", args=[attempt.pk])
    fill, essay, tf = items["fill"], items["essay"], items["true_false"]
    _post_json(client, save, {"items": fill.pk, f"rev{fill.pk}": 0, f"q{fill.pk}_0": "版权"})
    _post_json(client, save, {"items": essay.pk, f"rev{essay.pk}": 0, f"q{essay.pk}": "我的简答"})
    _post_json(client, save, {"items": tf.pk, f"rev{tf.pk}": 0, f"q{tf.pk}": "true"})
    page = client.get(reverse("exams:take", args=[attempt.pk]) + "?view=all").content.decode()
    assert 'value="版权"' in page and "我的简答</textarea>" in page
    assert re.search(rf'name="q{tf.pk}" value="true" checked', page)
    assert "已答 3 / 5 题" in page


def test_a_stale_tab_is_refused_over_http_and_told_why(client, person, exam):
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    item = attempt.items.get(position=1)
    save = reverse("exams:save", args=[attempt.pk])
    letter = "A"
    first = _post_json(client, save, {"items": item.pk, f"rev{item.pk}": 0, f"q{item.pk}": letter})
    assert first.json()["saved"] == {str(item.pk): 1}
    stale = _post_json(client, save, {"items": item.pk, f"rev{item.pk}": 0, f"q{item.pk}": "B"})
    assert stale.status_code == 409 and stale.json()["conflicts"] == {str(item.pk): 1}
    plain = client.post(save, {"items": item.pk, f"rev{item.pk}": 0, f"q{item.pk}": "C", "go": "2"}, follow=True)
    assert "已在其他窗口或设备上更新" in plain.content.decode()
    item.refresh_from_db()
    assert item.revision == 1


def test_plain_form_posts_save_and_move_between_questions_without_javascript(client, person, exam):
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    item = attempt.items.get(position=1)
    response = client.post(
        reverse("exams:save", args=[attempt.pk]), {"items": item.pk, f"rev{item.pk}": 0, f"q{item.pk}": "B", "go": "2"}
    )
    assert response.url == reverse("exams:take", args=[attempt.pk]) + "?q=2"
    item.refresh_from_db()
    assert item.response is not None
    response = client.post(reverse("exams:save", args=[attempt.pk]), {"go": "submit"})
    assert response.url == reverse("exams:submit", args=[attempt.pk])


def test_submit_asks_for_confirmation_and_lists_unanswered_questions(client, person, exam):
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    page = client.get(reverse("exams:submit", args=[attempt.pk])).content.decode()
    assert "确认交卷" in page and "还有 5 题未作答" in page
    assert Attempt.objects.get().status == AttemptStatus.OPEN
    response = client.post(reverse("exams:submit", args=[attempt.pk]))
    assert response.url == reverse("exams:result", args=[attempt.pk])
    assert Attempt.objects.get().status != AttemptStatus.OPEN
    again = client.post(reverse("exams:submit", args=[attempt.pk]))
    assert again.url == reverse("exams:result", args=[attempt.pk])


def test_after_the_deadline_a_save_is_refused_and_the_person_sees_the_result(client, person, clock):
    exam = make_exam([make_question("single")], time_limit_minutes=5)
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    item = attempt.items.get()
    clock.move_to(attempt.deadline + datetime.timedelta(minutes=2))
    response = _post_json(
        client, reverse("exams:save", args=[attempt.pk]), {"items": item.pk, f"rev{item.pk}": 0, f"q{item.pk}": "A"}
    )
    assert response.json()["closed"] is True
    assert response.json()["result_url"] == reverse("exams:result", args=[attempt.pk])
    assert client.get(reverse("exams:take", args=[attempt.pk])).url == reverse("exams:result", args=[attempt.pk])
    item.refresh_from_db()
    assert item.response is None


def test_countdown_comes_from_the_server_clock(client, person, clock):
    exam = make_exam([make_question("single")], time_limit_minutes=30)
    client.force_login(person)
    start = timezone.now()
    attempt = attempt_start(exam=exam, user=person, now=start)
    clock.move_to(start + datetime.timedelta(minutes=10), tick=False)
    page = client.get(reverse("exams:take", args=[attempt.pk])).content.decode()
    assert 'data-remaining="1200"' in page and "20:00" in page


def test_the_exam_list_shows_open_results_and_certificates(client, person, exam, django_assert_max_num_queries):
    for number in range(12):
        make_exam([make_question("single")], title=f"考试{number}")
    client.force_login(person)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exams:index")).content.decode()
    assert page.count("查看并参加") == 13


def test_the_paper_page_costs_the_same_queries_for_any_number_of_questions(
    client, person, django_assert_max_num_queries
):
    exam = make_exam([make_question("single") for _ in range(40)])
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    with django_assert_max_num_queries(10):
        assert client.get(reverse("exams:take", args=[attempt.pk]) + "?view=all").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("exams:submit", args=[attempt.pk])).status_code == 200


def test_the_review_page_costs_the_same_queries_for_any_number_of_questions(
    client, person, django_assert_max_num_queries
):
    exam = make_exam([make_question("single") for _ in range(40)], review_policy="immediately")
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.post(reverse("exams:submit", args=[attempt.pk]))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert page.count("正确答案") == 40


def test_the_grace_boundary_on_the_server_clock(client, person, clock):
    from learning.exams.services.attempts import GRACE

    exam = make_exam([make_question("single"), make_question("single")], time_limit_minutes=10)
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    first, second = attempt.items.order_by("position")
    save = reverse("exams:save", args=[attempt.pk])
    clock.move_to(attempt.deadline + GRACE - datetime.timedelta(seconds=1), tick=False)
    inside = _post_json(client, save, {"items": first.pk, f"rev{first.pk}": 0, f"q{first.pk}": "A"})
    assert inside.json()["saved"] == {str(first.pk): 1}
    clock.move_to(attempt.deadline + GRACE + datetime.timedelta(seconds=1), tick=False)
    outside = _post_json(client, save, {"items": second.pk, f"rev{second.pk}": 0, f"q{second.pk}": "A"})
    assert outside.json()["closed"] is True and outside.json()["saved"] == {}
    attempt.refresh_from_db()
    second.refresh_from_db()
    assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline and second.response is None
