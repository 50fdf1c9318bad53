import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

from tests.factories import DepartmentFactory, staff
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


def test_renaming_the_responsible_department_clears_the_cache(client, case):
    case.department = DepartmentFactory(name="执法队")
    publish(case)
    assert "责任处室：执法队" in client.get("/explainers/wuzheng-wangba/").content.decode()
    case.department.name = "文化市场综合行政执法队"
    case.department.save()
    assert "责任处室：文化市场综合行政执法队" in client.get("/explainers/wuzheng-wangba/").content.decode()


def test_sitemap_and_share_links_name_the_public_address_after_migrate(client, case, settings):
    """SITE_URL, not the first migration's placeholder http://localhost, is where sitemap, canonical and og:url go."""
    client.get("/explainers/wuzheng-wangba/")  # stored in the page cache with the old address
    settings.WAGTAILADMIN_BASE_URL = "https://pufa.example.gov.cn"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("pufa.example.gov.cn", 443)
    assert (
        "<loc>https://pufa.example.gov.cn/explainers/wuzheng-wangba/</loc>"
        in client.get("/sitemap.xml").content.decode()
    )
    html = client.get("/explainers/wuzheng-wangba/").content.decode()
    assert '<meta property="og:url" content="https://pufa.example.gov.cn/explainers/wuzheng-wangba/">' in html
    assert '<link rel="canonical" href="https://pufa.example.gov.cn/explainers/wuzheng-wangba/">' in html
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    call_command("migrate", verbosity=0)
    assert "<loc>http://localhost:8000/explainers/wuzheng-wangba/</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("url", ["/feeds/explainers/", "/sitemap.xml"])
def test_feed_and_sitemap_cost_the_same_queries_however_many_explainers(
    client, explainer_index, law, domain, settings, url
):
    settings.WEBSITE_PAGE_CACHE_SECONDS = 0

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), response.content.decode()

    make_case(explainer_index, law, domain, title="案例0", slug="case-0")
    few, _ = queries()
    for number in range(1, 12):
        make_case(explainer_index, law, domain, title=f"案例{number}", slug=f"case-{number}")
    many, body = queries()
    assert "/explainers/case-11/" in body
    assert many == few <= 12
