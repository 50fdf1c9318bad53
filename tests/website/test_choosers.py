import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import staff
from tests.website.conftest import make_document, make_image, publish
from website.models import LawPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff("zheng", role_names=("职工", "内容编辑")))
    return client


def choices(client, query):
    response = client.get("/admin/law-articles/results/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_the_law_article_chooser_finds_an_article_by_law_and_label(editor_client, law):
    assert "搜索法条" in editor_client.get("/admin/law-articles/").json()["html"]
    html = choices(editor_client, "上网服务 第七条")
    assert "《互联网上网服务营业场所管理条例》第七条" in html
    assert "第二条" not in html and "第一条" not in html


def test_the_law_article_chooser_finds_articles_by_a_word_of_their_text_or_their_number(editor_client, law):
    assert "第二条" in choices(editor_client, "学校") and "第七条" not in choices(editor_client, "学校")
    assert "第七条" in choices(editor_client, "7") and "第二条" not in choices(editor_client, "7")
    assert "第一条" in choices(editor_client, "") and "第七条" in choices(editor_client, "")


def test_numbers_no_article_can_have_find_nothing_instead_of_failing(editor_client, law):
    """² looks like a digit to Python; ten digits pass for an id but not for an article number."""
    for query in ("²", "3000000000", "9" * 30):
        assert "第七条" not in choices(editor_client, query)


def test_chosen_articles_are_looked_up_only_by_ids_a_row_could_have(editor_client, law):
    article = law.articles.get(number=7)
    chosen = editor_client.get(f"/admin/law-articles/chosen/{article.pk}/").json()
    assert chosen["result"]["title"] == "《互联网上网服务营业场所管理条例》第七条"
    for bad in ("²", "9" * 30, "2026-02-30"):
        assert editor_client.get(f"/admin/law-articles/chosen/{bad}/").status_code == 404
    several = editor_client.get("/admin/law-articles/chosen-multiple/", {"id": [article.pk, "²", "9" * 30]}).json()
    assert [item["id"] for item in several["result"]] == [str(article.pk)]


def test_the_chooser_lists_articles_in_the_same_number_of_queries_however_many_there_are(editor_client, law):
    with CaptureQueriesContext(connection) as few:
        editor_client.get("/admin/law-articles/results/")
    more = LawPage(
        title="中华人民共和国旅游法", slug="lvyoufa", issuing_body="全国人民代表大会常务委员会", level="法律"
    )
    more.text = "\n".join(f"第{number}条　旅游者的第{number}项权利。" for number in range(1, 21))
    law.get_parent().add_child(instance=more)
    publish(more)
    with CaptureQueriesContext(connection) as many:
        html = editor_client.get("/admin/law-articles/results/").content.decode()
    assert "《中华人民共和国旅游法》第二十条" in html
    assert len(many) == len(few)


def test_the_image_chooser_searches_within_a_popular_tag(editor_client):
    """Wagtail's chooser filters by tag before searching, which its image index did not allow (a 500)."""
    poster = make_image("宪法日海报")
    poster.tags.add("宪法")
    make_image("宪法日现场")  # matches the words but not the tag
    make_image("旅游日合影").tags.add("宪法")  # has the tag but not the words
    response = editor_client.get("/admin/images/chooser/results/", {"q": "海报", "tag": "宪法"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "宪法日海报" in html and "宪法日现场" not in html and "旅游日合影" not in html


@pytest.mark.parametrize("library", ["images", "documents"])
def test_the_media_libraries_search_within_their_usage_count_filter(editor_client, library):
    """Wagtail's usage-count filter is an annotation the search index cannot check (it was a 500); the
    database backends search with the ORM, which applies it."""
    made = {"images": make_image, "documents": make_document}[library]
    made(title="宪法日海报")
    made(title="旅游日海报")
    response = editor_client.get(f"/admin/{library}/", {"q": "宪法", "usage_count_max": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "宪法日海报" in html and "旅游日海报" not in html
    assert (
        "宪法日海报"
        not in editor_client.get(f"/admin/{library}/", {"q": "宪法", "usage_count_min": "1"}).content.decode()
    )
