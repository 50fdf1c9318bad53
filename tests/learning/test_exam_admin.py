import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from learning.exams.models import Exam, Question
from learning.exams.services.attempts import attempt_start
from tests.clock import SUITE_YEAR
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = staff("editor", role_names=("职工", "内容编辑"))
    client.force_login(user)
    return user


def question_form(**overrides):
    data = {
        "qtype": "multiple",
        "status": "active",
        "stem": "下列属于娱乐场所的有（　　）。",
        "option_a": "歌舞娱乐场所",
        "option_b": "游艺娱乐场所",
        "option_c": "公共图书馆",
        "answer_text": "A、B",
        "rubric": "",
        "explanation": "娱乐场所管理条例第二条。",
        "legal_basis": "",
        "legal_basis_text": "《娱乐场所管理条例》第二条",
        "domain": "",
        "difficulty": "2",
        "points": "2",
        "tags": "娱乐场所",
        "practice_allowed": "on",
    }
    data.update(overrides)
    return data


def test_an_editor_writes_a_question_the_way_people_write_answers(client, editor):
    response = client.post(reverse("exam_questions:add"), question_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get()
    assert question.options == ["歌舞娱乐场所", "游艺娱乐场所", "公共图书馆"] and question.key == [0, 1]
    assert [t.name for t in question.tags.all()] == ["娱乐场所"]
    page = client.get(reverse("exam_questions:edit", args=[question.pk])).content.decode()
    assert 'value="AB"' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"answer_text": "D"}, "不在选项中"),
        ({"option_b": ""}, "连续填写"),
        ({"qtype": "true_false", "answer_text": "正确"}, "不需要选项"),
        ({"qtype": "essay", "option_a": "", "option_b": "", "option_c": "", "answer_text": ""}, "参考答案与评分要点"),
    ],
)
def test_a_question_that_does_not_fit_its_type_is_explained(client, editor, overrides, message):
    response = client.post(reverse("exam_questions:add"), question_form(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize("field", ["domain", "legal_basis"])
@pytest.mark.parametrize("value", ["abc", "²", "9" * 20, "宪法" * 5_000])
def test_a_hostile_choice_re_renders_the_question_form_and_changes_nothing(client, editor, field, value):
    """The chooser widgets showed the refused form with a server error (Wagtail looks the posted id up as is)."""
    question = make_question("single", stem="国家宪法日是每年的（　　）。", options=["12月4日", "3月15日"], key=[0])
    form = question_form(qtype="single", stem="改过的题干", option_c="", answer_text="A", **{field: value})
    response = client.post(reverse("exam_questions:edit", args=[question.pk]), form)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    question.refresh_from_db()
    assert question.stem == "国家宪法日是每年的（　　）。"


def test_a_duplicate_question_is_refused_in_the_admin(client, editor):
    existing = make_question("true_false", stem="网吧可以接纳未成年人。", key=[False])
    form = question_form(qtype="true_false", stem="网吧可以接纳未成年人。", option_a="", option_b="", option_c="")
    response = client.post(reverse("exam_questions:add"), {**form, "answer_text": "错"})
    assert f"第 {existing.pk} 号" in response.content.decode()
    assert Question.objects.count() == 1


def exam_form(**overrides):
    now = timezone.localtime()
    data = {
        "title": "专题考试",
        "description": "",
        "year": str(SUITE_YEAR),
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
        "time_limit_minutes": "30",
        "max_attempts": "1",
        "pass_percent": "60",
        "score_policy": "highest",
        "review_policy": "immediately",
        "multiple_policy": "half",
        "hours": "2",
        "issues_certificate": "on",
        "paper_mode": "fixed",
        "shuffle_questions": "on",
        "resit_attempts": "1",
        "assign_everyone": "on",
        "fixed_questions-TOTAL_FORMS": "0",
        "fixed_questions-INITIAL_FORMS": "0",
        "fixed_questions-MIN_NUM_FORMS": "0",
        "fixed_questions-MAX_NUM_FORMS": "1000",
        "rules-TOTAL_FORMS": "0",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "overrides-TOTAL_FORMS": "0",
        "overrides-INITIAL_FORMS": "0",
        "overrides-MIN_NUM_FORMS": "0",
        "overrides-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_an_editor_makes_an_exam_with_a_fixed_paper(client, editor):
    question = make_question("single")
    data = exam_form(
        published="on",
        **{
            "fixed_questions-TOTAL_FORMS": "1",
            "fixed_questions-0-question": str(question.pk),
            "fixed_questions-0-points": "5",
            "fixed_questions-0-ORDER": "1",
        },
    )
    response = client.post(reverse("exam_papers:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    exam = Exam.objects.get()
    assert exam.fixed_questions.get().points == 5 and exam.assign_everyone and exam.published


def test_an_exam_cannot_be_published_without_questions_or_people(client, editor):
    response = client.post(reverse("exam_papers:add"), exam_form(published="on"))
    assert "发布前请至少添加一条固定试题" in response.content.decode()
    question = make_question("single")
    data = exam_form(
        published="on",
        assign_everyone="",
        **{
            "fixed_questions-TOTAL_FORMS": "1",
            "fixed_questions-0-question": str(question.pk),
            "fixed_questions-0-ORDER": "1",
        },
    )
    data.pop("assign_everyone")
    assert "发布前请指定参考人员" in client.post(reverse("exam_papers:add"), data).content.decode()
    assert not Exam.objects.exists()


def test_a_rule_whose_difficulty_mix_does_not_add_up_is_refused(client, editor):
    data = exam_form(
        paper_mode="rules",
        **{
            "rules-TOTAL_FORMS": "1",
            "rules-0-qtype": "single",
            "rules-0-count": "10",
            "rules-0-easy": "3",
            "rules-0-medium": "3",
            "rules-0-hard": "3",
            "rules-0-points": "2",
            "rules-0-tags": "",
            "rules-0-domain": "",
            "rules-0-ORDER": "1",
        },
    )
    assert "难度搭配合计 9 题，与题数 10 不一致" in client.post(reverse("exam_papers:add"), data).content.decode()


def test_an_exam_people_sat_cannot_be_deleted(client, editor):
    exam = make_exam([make_question("single")])
    attempt_start(exam=exam, user=staff("wang"), now=timezone.now())
    response = client.post(reverse("exam_papers:delete", args=[exam.pk]), follow=True)
    assert Exam.objects.filter(pk=exam.pk).exists()
    assert "已有人作答过，不能删除" in response.content.decode()
    unused = make_exam([make_question("single")], title="没人考过")
    client.post(reverse("exam_papers:delete", args=[unused.pk]))
    assert not Exam.objects.filter(pk=unused.pk).exists()


def test_oversight_reads_the_bank_but_cannot_change_it(client):
    oversight = staff("zhou", role_names=("职工", "法治办/局党委"))
    question = make_question("single")
    client.force_login(oversight)
    assert client.get(reverse("exam_questions:index")).status_code == 200
    assert client.get(reverse("exam_questions:inspect", args=[question.pk])).status_code == 200
    assert client.get(reverse("exam_questions:edit", args=[question.pk])).status_code == 302
    assert client.post(reverse("exam_questions:add"), question_form()).status_code == 302
    assert Question.objects.count() == 1
    exam = make_exam([question])
    assert client.get(reverse("exam_papers:inspect", args=[exam.pk])).status_code == 200
    assert client.get(reverse("exam_papers:edit", args=[exam.pk])).status_code == 302


def test_a_rule_the_bank_cannot_fill_blocks_publishing(client, editor):
    make_question("single", tags=["旅游"])
    data = exam_form(
        published="on",
        paper_mode="rules",
        **{
            "rules-TOTAL_FORMS": "1",
            "rules-0-qtype": "single",
            "rules-0-count": "5",
            "rules-0-easy": "0",
            "rules-0-medium": "0",
            "rules-0-hard": "0",
            "rules-0-points": "2",
            "rules-0-tags": "旅游",
            "rules-0-domain": "",
            "rules-0-ORDER": "1",
        },
    )
    page = client.post(reverse("exam_papers:add"), data).content.decode()
    assert "启用单选题只有 1 道，不够抽取 5 道" in page
    assert not Exam.objects.exists()


def test_the_question_chooser_shows_the_bank_only_to_those_who_may_read_it(client, editor):
    """普法宣传 works in the admin but holds no bank permission: the chooser (a modal, asked for by
    XMLHttpRequest) refuses it the stems that the editor choosing questions for a paper sees."""
    question = make_question("single", stem="网吧接纳未成年人应如何处罚")
    xhr = {"headers": {"x-requested-with": "XMLHttpRequest"}}
    results = client.get(reverse("question_chooser:choose_results"), **xhr)
    assert results.status_code == 200 and "网吧接纳未成年人" in results.content.decode()
    assert client.get(reverse("question_chooser:chosen", args=[question.pk]), **xhr).json()["step"] == "chosen"

    client.force_login(staff("wu", role_names=("职工", "普法宣传")))
    for url in (
        reverse("question_chooser:choose"),
        reverse("question_chooser:choose_results"),
        reverse("question_chooser:chosen", args=[question.pk]),
        reverse("question_chooser:chosen_multiple") + f"?id={question.pk}",
    ):
        refused = client.get(url, **xhr)
        assert refused.status_code == 403, url
        assert "网吧接纳未成年人" not in refused.content.decode()
