import pytest

from tests.factories import staff
from tests.website.conftest import make_case, publish

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_stored_page_without_touching_the_database(client, case, django_assert_num_queries):
    assert client.get("/explainers/wuzheng-wangba/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/explainers/wuzheng-wangba/")
    assert response["X-Page-Cache"] == "hit"
    assert "未经许可擅自经营网吧被取缔" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"


def test_publishing_anything_clears_the_cache(client, case, explainer_index, law, domain):
    client.get("/explainers/")
    client.get("/explainers/wuzheng-wangba/")
    make_case(explainer_index, law, domain, title="新发布的案例", slug="new")
    listing = client.get("/explainers/")
    assert listing["X-Page-Cache"] == "miss" and "新发布的案例" in listing.content.decode()
    case.title = "改过的标题"
    publish(case)
    assert "改过的标题" in client.get("/explainers/wuzheng-wangba/").content.decode()


def test_amending_a_law_clears_pages_that_quote_it(client, case, law):
    client.get("/explainers/wuzheng-wangba/")
    law.text = law.text.replace("许可证不得出借", "许可证不得转让")
    publish(law)
    assert "许可证不得转让" in client.get("/explainers/wuzheng-wangba/").content.decode()


def test_unpublishing_clears_the_cache(client, case):
    client.get("/explainers/wuzheng-wangba/")
    case.unpublish()
    assert client.get("/explainers/wuzheng-wangba/").status_code == 404


def test_signed_in_people_never_get_or_fill_the_visitor_cache(client, case):
    client.force_login(staff("zhang", real_name="张三"))
    first = client.get("/explainers/wuzheng-wangba/")
    assert "X-Page-Cache" not in first and "张三" in first.content.decode()
    client.logout()
    visitor = client.get("/explainers/wuzheng-wangba/")
    assert visitor["X-Page-Cache"] == "miss" and "张三" not in visitor.content.decode()


def test_search_and_pages_with_forms_are_not_stored(client, case):
    assert "X-Page-Cache" not in client.get("/search/", {"q": "网吧"})
    assert "X-Page-Cache" not in client.get("/accounts/login/")


def test_sitemap_lists_live_public_pages_only(client, case, law, explainer_index, domain):
    make_case(explainer_index, law, domain, title="草稿", slug="draft-page", live=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/explainers/wuzheng-wangba/" in xml and "/laws/wangba-tiaoli/" in xml
    assert "draft-page" not in xml


def test_feed_lists_new_explainers(client, case, qa):
    response = client.get("/feeds/explainers/")
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert "<title>未经许可擅自经营网吧被取缔</title>" in xml
    assert "<category>文化市场执法</category>" in xml
    assert "国家宪法日宣传活动怎么参加" in xml


def test_robots_points_at_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
