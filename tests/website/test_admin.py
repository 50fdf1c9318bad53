"""The admin as the bureau's editors use it: pasting a law, previewing its structure, extending the taxonomy."""

import pytest

from wagtail.test.utils.form_data import nested_form_data

from tests.factories import staff
from tests.website.conftest import LAW_TEXT
from website.models import Audience, Domain, LawArticle, LawPage

pytestmark = pytest.mark.django_db


def law_form(text: str, **actions) -> dict:
    return nested_form_data(
        {
            "title": "互联网上网服务营业场所管理条例",
            "slug": "wangba-tiaoli",
            "issuing_body": "国务院",
            "level": "行政法规",
            "status": "现行有效",
            "document_number": "",
            "promulgated_on": "2002-09-29",
            "effective_on": "",
            "summary": "",
            "text": text,
            **actions,
        }
    )


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", role_names=("职工", "内容编辑")))
    return client


def test_a_pasted_law_that_does_not_parse_is_refused_saying_at_which_line(editor_client, law_index):
    response = editor_client.post(
        f"/admin/pages/add/website/lawpage/{law_index.pk}/", law_form("第一条　甲。\n第一条　乙。\n第三条")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "第2行：条号应递增：第一条出现在第一条之后" in html and "第3行：第三条没有条文内容" in html
    assert not LawPage.objects.exists()


def test_the_structure_preview_of_a_pasted_law_lists_its_chapters_sections_and_articles(editor_client, law_index):
    preview = f"/admin/pages/add/website/lawpage/{law_index.pk}/preview/"
    assert editor_client.post(preview, law_form(LAW_TEXT)).json() == {"is_valid": True, "is_available": True}
    html = editor_client.get(preview, {"mode": "structure"}).content.decode()
    assert "共 3 条，2 章（编）" in html
    assert '<td>第七条</td><td>第二章 设立</td><td>第一节 许可</td><td class="num">3</td>' in html
    # The page preview shows the articles with their anchors, as visitors will see them.
    assert 'id="第七条"' in editor_client.get(preview).content.decode()


def test_a_pasted_law_submitted_and_approved_in_review_writes_its_articles(editor_client, law_index):
    response = editor_client.post(
        f"/admin/pages/add/website/lawpage/{law_index.pk}/", law_form(LAW_TEXT, **{"action-submit": "1"})
    )
    assert response.status_code == 302
    law = LawPage.objects.get(slug="wangba-tiaoli")
    assert not law.live and not LawArticle.objects.filter(law=law).exists()
    state = law.current_workflow_task_state
    state.task.specific.on_action(state, staff("reviewer", role_names=("职工", "法制审核")), "approve")
    law.refresh_from_db()
    assert law.live
    assert list(LawArticle.objects.filter(law=law).values_list("label", "section")) == [
        ("第一条", ""),
        ("第二条", ""),
        ("第七条", "第一节 许可"),
    ]


def test_an_editor_extends_the_domains_and_audiences_and_visitors_can_filter_by_them(editor_client, client):
    response = editor_client.post(
        "/admin/snippets/website/domain/add/", {"name": "非物质文化遗产", "slug": "feiyi", "sort_order": 10}
    )
    assert response.status_code == 302
    assert (
        editor_client.post("/admin/snippets/website/audience/add/", {"name": "非遗传承人", "sort_order": 9}).status_code
        == 302
    )
    assert Audience.objects.filter(name="非遗传承人").exists()
    domain = Domain.objects.get(slug="feiyi")
    assert (
        editor_client.post(
            f"/admin/snippets/website/domain/edit/{domain.pk}/", {"name": "非遗保护", "slug": "feiyi", "sort_order": 10}
        ).status_code
        == 302
    )
    client.logout()
    html = client.get("/explainers/").content.decode()
    assert '<option value="feiyi">非遗保护</option>' in html


def test_only_editors_change_the_taxonomy(client):
    client.force_login(staff("publicity", role_names=("职工", "普法宣传")))
    client.post("/admin/snippets/website/domain/add/", {"name": "随便加的", "slug": "suibian", "sort_order": 1})
    assert not Domain.objects.filter(slug="suibian").exists()
