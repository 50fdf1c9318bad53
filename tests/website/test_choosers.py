import pytest

from tests.factories import staff

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
    html = choices(editor_client, "上网服务 第七条")
    assert "《互联网上网服务营业场所管理条例》第七条" in html
    assert "第二条" not in html and "第一条" not in html


def test_the_law_article_chooser_finds_articles_by_a_word_of_their_text_or_their_number(editor_client, law):
    assert "第二条" in choices(editor_client, "学校") and "第七条" not in choices(editor_client, "学校")
    assert "第七条" in choices(editor_client, "7") and "第二条" not in choices(editor_client, "7")
    assert "第一条" in choices(editor_client, "") and "第七条" in choices(editor_client, "")


def test_the_chooser_lists_articles_in_a_fixed_number_of_queries(editor_client, law, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        editor_client.get("/admin/law-articles/")
