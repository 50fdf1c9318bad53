import datetime

import pytest

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from tests.clock import SUITE_YEAR
from tests.factories import staff
from tests.website.conftest import every_block, make_case, make_image, publish
from website.models import Domain, GuidePage, QAPage
from website.search import highlight
from website.segmentation import query_terms, segment_for_index

pytestmark = pytest.mark.django_db


def results(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_segmentation_splits_chinese_into_words_and_sub_words():
    assert "宪法" in segment_for_index("国家宪法日宣传活动").split()
    assert {"上网", "服务"} <= set(segment_for_index("互联网上网服务营业场所").split())
    assert query_terms("上网服务") == ["上网", "服务"]
    assert query_terms("网吧怎么办？") == ["网吧", "怎么办"]


def test_a_word_from_the_middle_of_a_title_finds_the_page(client, qa):
    html = results(client, "宪法")
    assert "国家<mark>宪法</mark>日宣传活动怎么参加？" in html


def test_a_word_only_in_the_body_finds_the_page_with_a_highlighted_snippet(client, case):
    html = results(client, "上网服务")
    assert "未经许可擅自经营网吧被取缔" in html
    assert "<mark>上网服务</mark>" in html  # words that follow one another share one highlight


def test_a_law_result_links_to_the_article_that_mentions_the_word(client, law):
    html = results(client, "许可证", kind="law")
    assert 'href="/laws/wangba-tiaoli/#第七条"' in html


def test_filters_by_domain_and_kind(client, case, qa):
    assert "国家宪法日" not in results(client, "活动", domain="wenhua-shichang-zhifa")
    assert "国家<mark>宪法</mark>日" in results(client, "宪法", domain="xianfa")
    assert "未经许可" not in results(client, "上网服务", kind="qa")
    assert "未经许可" in results(client, "上网服务", kind="case")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "的",
        "\x00\x1f",
        "宪法" * 500,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '"',
        "AND OR NOT",
        "*",
        "🙂",
    ],
)
def test_odd_queries_never_fail(client, case, query):
    html = results(client, query)
    assert "<script>alert(1)</script>" not in html


def test_a_very_long_query_is_cut_and_says_so(client, case):
    assert "搜索词过长" in results(client, "上网服务" * 100)


def test_huge_and_bad_page_numbers_fall_back(client, explainer_index, law, domain):
    for number in range(12):
        make_case(explainer_index, law, domain, title=f"网吧案例{number}", slug=f"c{number}")
    assert "第 2 / 2 页" in results(client, "网吧", page="99999999999999999999999")
    assert "第 1 / 2 页" in results(client, "网吧", page="abc")


def test_drafts_are_not_found(client, explainer_index, law, domain):
    make_case(explainer_index, law, domain, title="草稿网吧案", slug="draft", live=False)
    assert "草稿网吧案" not in results(client, "网吧")


def test_private_study_pages_are_found_by_staff_and_never_by_the_public(client, explainer_index, domain):
    page = GuidePage(title="执法人员内部学习：网吧检查要点", slug="internal", domain=domain, summary="内部资料")
    explainer_index.add_child(instance=page)
    publish(page)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert "执法人员内部学习" not in results(client, "检查要点")
    client.force_login(staff("zhang"))
    assert "执法人员内部学习" in results(client, "检查要点")


def test_group_and_password_restrictions_are_honoured(client, explainer_index, domain):
    group_page = GuidePage(title="法制审核内部培训", slug="reviewers-only", domain=domain)
    explainer_index.add_child(instance=group_page)
    publish(group_page)
    restriction = PageViewRestriction.objects.create(page=group_page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="法制审核")])
    secret = GuidePage(title="口令保护的内部培训", slug="password", domain=domain)
    explainer_index.add_child(instance=secret)
    publish(secret)
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x")
    client.force_login(staff("zhang"))
    html = results(client, "培训")
    assert "法制审核内部" not in html and "口令保护" not in html
    client.force_login(staff("sun", role_names=("职工", "法制审核")))
    html = results(client, "培训")
    assert "法制审核内部" in html and "口令保护" not in html


def test_a_page_of_hits_costs_the_same_queries_however_many_domains_it_shows(client, explainer_index, law):
    def queries_for_search():
        results(client, "网吧")  # content types and the site are cached after the first search
        with CaptureQueriesContext(connection) as captured:
            results(client, "网吧")
        return len(captured)

    make_case(explainer_index, law, Domain.objects.create(name="领域0", slug="d0"), slug="case-0")
    one_hit = queries_for_search()
    for number in range(1, 6):
        domain = Domain.objects.create(name=f"领域{number}", slug=f"d{number}")
        make_case(explainer_index, law, domain, slug=f"case-{number}")
    assert queries_for_search() == one_hit


@pytest.mark.parametrize("ranked_max", [1000, 1])
def test_the_best_match_comes_first_and_the_count_covers_every_match(
    client, explainer_index, domain, monkeypatch, ranked_max
):
    """Relevance is ranked once per search; past the best ``RANKED_MAX`` the matches follow, newest first."""
    monkeypatch.setattr("website.search_backend.RANKED_MAX", ranked_max)

    def explainer(title, slug):
        page = GuidePage(title=title, slug=slug, summary="网吧经营须知", domain=domain)
        explainer_index.add_child(instance=page)
        return publish(page)

    in_body = [explainer(f"经营场所检查第{n}期", f"body-{n}") for n in range(3)]
    in_title = explainer("网吧经营须知", "title")
    html = results(client, "网吧")
    assert "找到 4 条" in html
    positions = [html.index(f"/explainers/{page.slug}/") for page in [in_title, *reversed(in_body)]]
    assert positions == sorted(positions)


def test_a_question_typed_as_spoken_finds_the_pages_holding_some_of_its_words(client, case, qa):
    """No page holds 要 and 办 as words, so every word together finds nothing; some of them find the case."""
    html = results(client, "网吧要办许可吗")
    assert "未经<mark>许可</mark>擅自经营<mark>网吧</mark>被取缔" in html
    assert "以下结果包含其中部分词语" in html and "（按 网吧、许可 搜索）" in html
    assert "以下结果包含其中部分词语" not in results(client, "网吧 许可")
    html = results(client, "火星 木星")
    assert "找到 0 条" in html and "以下结果包含其中部分词语" not in html


def test_laws_filtered_by_a_domain_say_that_laws_have_none(client, law, domain):
    html = results(client, "许可", kind="law", domain=domain.slug)
    assert "找到 0 条" in html and "法规不按普法领域分类" in html
    assert "法规不按普法领域分类" not in results(client, "许可", kind="law")


def test_a_hit_shows_the_day_it_was_published_in_shanghai(client, case):
    # 21:00 UTC on 27 November is 05:00 on 28 November in Shanghai.
    type(case).objects.filter(pk=case.pk).update(
        first_published_at=datetime.datetime(SUITE_YEAR, 11, 27, 21, 0, tzinfo=datetime.UTC)
    )
    html = results(client, "网吧")
    assert f"文化市场执法 · {SUITE_YEAR}-11-28" in html and f"{SUITE_YEAR}-11-27" not in html


def test_a_page_of_guide_and_qa_hits_costs_the_same_queries_however_many_blocks_they_quote(
    client, explainer_index, law, domain, qa
):
    """Snippets are read from the bodies' text, not by loading every article, image and page their blocks choose."""

    def explainers(number):
        for model, field in ((GuidePage, "body"), (QAPage, "answer")):
            page = model(
                title=f"网吧经营图解{number}",
                slug=f"{field}-{number}",
                domain=domain,
                summary="网吧经营须知",
                **{field: every_block(law=law, related=qa, images=[make_image()])},
            )
            explainer_index.add_child(instance=page)
            publish(page)

    def queries_for_search():
        results(client, "须知")
        with CaptureQueriesContext(connection) as captured:
            html = results(client, "须知")
        return len(captured), html

    explainers(0)
    few, html = queries_for_search()
    assert "找到 2 条" in html
    for number in range(1, 5):
        explainers(number)
    many, html = queries_for_search()
    assert "找到 10 条" in html
    assert many == few


def test_a_snippet_quotes_the_body_text_where_the_word_is(client, explainer_index, law, domain, qa):
    page = GuidePage(
        title="图解",
        slug="snippet",
        domain=domain,
        body=[
            *every_block(law=law, related=qa, images=[make_image()]),
            ("text", "<p>网吧须悬挂未成年人禁入标志。</p>"),
        ],
    )
    explainer_index.add_child(instance=page)
    publish(page)
    html = results(client, "禁入标志")
    assert "网吧须悬挂未成年人<mark>禁入标志</mark>。" in html
    # Key points and FAQ answers are in the snippet's text too.
    assert "<mark>要点</mark> 先<mark>办证</mark> 再经营 常见问题 要<mark>办证</mark>吗？" in results(
        client, "要点 办证"
    )


def test_overlapping_and_adjacent_words_share_one_highlight_and_markup_stays_escaped():
    assert highlight("网吧接纳未成年人上网", query_terms("网吧接纳未成年人")) == "<mark>网吧接纳未成年人</mark>上网"
    assert (
        highlight("<b>B&b</b>", ["b"])
        == "&lt;<mark>b</mark>&gt;<mark>B</mark>&amp;<mark>b</mark>&lt;/<mark>b</mark>&gt;"
    )
