"""A law is revised under the questions and pages that cite it (issue 17, item 5).

The journey: 文物保护法 (2017) is in the library; questions and an explainer cite its articles; the 2024
revision rewords 第一条 and moves 第三条 to 第四条. Both citations are flagged 依据已修订, neither question
is drawn into a new exam or quiz; one is re-pointed to the new article, one confirmed, and the draw
takes them again. The question citing an unchanged article was never flagged.
"""

import random

import pytest

from campaigns.quiz import quiz_pool
from learning.exams.models import Question
from learning.exams.services.basis import BasisReviewRefused, question_basis_confirm
from learning.exams.services.drawing import PaperUnavailable, paper_draw
from organisation import roles
from organisation.todo import todos_for
from tests.campaigns.quiz_helpers import make_quiz
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.website.law_versions import HERITAGE_2017, HERITAGE_2024
from website.lawfiles import official_law_read
from website.models import Domain, ExplainerIndexPage, LawArticle, LawIndexPage, QAPage
from website.services import law_import, law_import_plan

pytestmark = pytest.mark.django_db

REPORT = "/admin/exams/legal-basis/"


def publish_law(text):
    return law_import(plan=law_import_plan(law=official_law_read(text)), publish=True).page


def article(year, number):
    return LawArticle.objects.get(version__version_date__year=year, number=number)


@pytest.fixture
def editor():
    return staff("editor", role_names=(roles.STAFF, roles.EDITOR), real_name="李编辑")


@pytest.fixture
def heritage():
    """The 2017 law with three questions citing 第一条, 第三条 and 第五条, one citing nothing, and an explainer."""
    assert LawIndexPage.objects.exists()
    law = publish_law(HERITAGE_2017)
    domain = Domain.objects.get_or_create(slug="wenwu", defaults={"name": "文物保护"})[0]

    def cite(number, stem):
        return make_question("true_false", stem, key=[True], domain=domain, legal_basis=article(2017, number))

    questions = {
        "reworded": cite(1, "文物保护法的立法目的包括继承中华民族优秀的历史文化遗产。"),
        "moved": cite(3, "不可移动文物可以分别确定为全国重点文物保护单位等。"),
        "unchanged": cite(5, "境内地下遗存的一切文物属于国家所有。"),
        "uncited": make_question("true_false", "文物工作方针包括合理利用。", key=[True], domain=domain),
    }
    explainer = QAPage(
        title="文物保护法为什么要保护文物？",
        slug="wenwu-weishenme",
        domain=domain,
        question="文物保护法的立法目的是什么？",
        answer=[("text", "<p>见第一条。</p>")],
        legal_basis=[("law_quote", {"article": article(2017, 1), "note": "立法目的"})],
    )
    ExplainerIndexPage.objects.get().add_child(instance=explainer)
    explainer.save_revision().publish()
    return law, questions, explainer, domain


def drawn_stems(exam):
    return {drawn.question.stem for drawn in paper_draw(exam=exam, seen=set(), rng=random.Random(7))}


def test_a_revision_flags_what_cites_a_changed_article_until_it_is_confirmed_or_re_pointed(
    client, clock, heritage, editor
):
    law, questions, explainer, domain = heritage
    Question.objects.filter(pk__in=[q.pk for q in questions.values()]).update(created_by=editor)
    drawn_by_rule = make_exam(
        paper_mode="rules", rules=[{"qtype": "true_false", "domain": domain, "count": 4, "points": 1}]
    )
    quiz = make_quiz(count=2, question_types=["true_false"], domain=domain)
    assert len(drawn_stems(drawn_by_rule)) == 4 and len(set(quiz_pool(quiz=quiz, now=clock.now))) == 4

    publish_law(HERITAGE_2024)

    # Citations keep the version they cited; the changed and the moved ones are flagged, not the unchanged.
    for question in questions.values():
        question.refresh_from_db()
    assert questions["reworded"].legal_basis == article(2017, 1)
    assert str(questions["reworded"].legal_basis) == "《中华人民共和国文物保护法》（2017年修正）第一条"
    flagged = set(Question.objects.basis_superseded())
    assert flagged == {questions["reworded"], questions["moved"]}

    # The draws leave them out: an exam rule that now finds too few, the public quiz.
    with pytest.raises(PaperUnavailable, match=r"启用题目只有 2 道，不足 4 道（法律依据已修订待确认的题目不计）"):
        paper_draw(exam=drawn_by_rule, seen=set(), rng=random.Random(7))
    assert set(quiz_pool(quiz=quiz, now=clock.now)) == {questions["unchanged"], questions["uncited"]}

    # The owner's 待办 and the admin report show them, with the explainer quoting the old 第一条.
    client.force_login(editor)
    request = client.get("/admin/").wsgi_request
    assert ("题目法律依据已修订待确认", 2) in [(todo.label, todo.count) for todo in todos_for(request)]
    html = client.get(REPORT).content.decode()
    assert "题目（2 道）" in html and "页面（1 个）" in html and explainer.title in html
    assert "已修订（2024年11月8日）" in html and "条号已变（2024年11月8日）" in html
    assert "改为引用第四条" in html

    # Re-point the moved one to the new 第四条; confirm that the old 第一条 still holds for the other.
    response = client.post(f"{REPORT}{questions['moved'].pk}/repoint/", {"article": article(2024, 4).pk})
    assert response.status_code == 302
    client.post(f"{REPORT}{questions['reworded'].pk}/confirm/")
    questions["moved"].refresh_from_db()
    questions["reworded"].refresh_from_db()
    assert questions["moved"].legal_basis == article(2024, 4)
    assert questions["reworded"].legal_basis == article(2017, 1)
    assert questions["reworded"].legal_basis_confirmed_by == editor
    assert not Question.objects.basis_superseded().exists()

    # Both are drawn again; the explainer stays listed until its editor quotes the current article.
    assert len(drawn_stems(drawn_by_rule)) == 4
    assert len(set(quiz_pool(quiz=quiz, now=clock.now))) == 4
    html = client.get(REPORT).content.decode()
    assert "没有待确认的题目" in html and "页面（1 个）" in html
    explainer.legal_basis = [("law_quote", {"article": article(2024, 1), "note": "立法目的"})]
    explainer.save_revision().publish()
    assert "没有待处理的页面" in client.get(REPORT).content.decode()


def test_a_fixed_paper_leaves_out_a_flagged_question_until_it_is_confirmed(heritage):
    _, questions, _, _ = heritage
    fixed = make_exam(list(questions.values()))
    publish_law(HERITAGE_2024)
    assert drawn_stems(fixed) == {questions["unchanged"].stem, questions["uncited"].stem}
    question_basis_confirm(question=questions["moved"], user=None)
    assert questions["moved"].stem in drawn_stems(fixed)


def test_a_confirmed_basis_is_flagged_again_when_a_later_revision_changes_the_article(heritage):
    _, questions, _, _ = heritage
    publish_law(HERITAGE_2024)
    question_basis_confirm(question=questions["reworded"], user=None)
    assert set(Question.objects.basis_superseded()) == {questions["moved"]}
    later = HERITAGE_2024.replace("2024年11月8日", "2030年1月1日").replace("建设社会主义文化强国", "建设文化强国")
    publish_law(later)
    assert questions["reworded"] in Question.objects.basis_superseded()
    with pytest.raises(BasisReviewRefused, match="不在待确认之列"):
        question_basis_confirm(question=questions["unchanged"], user=None)


def test_only_current_articles_may_be_the_new_basis(client, heritage, editor):
    _, questions, _, _ = heritage
    publish_law(HERITAGE_2024)
    client.force_login(editor)
    client.post(f"{REPORT}{questions['moved'].pk}/repoint/", {"article": article(2017, 4).pk})
    questions["moved"].refresh_from_db()
    assert questions["moved"].legal_basis == article(2017, 3)
    assert questions["moved"] in Question.objects.basis_superseded()
