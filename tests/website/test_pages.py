import pytest

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

from tests.website.conftest import LAW_TEXT, every_block, make_case, make_document, make_image, publish
from website.models import Domain, GuidePage, LawArticle, LawPage, QAPage, VideoPage

pytestmark = pytest.mark.django_db


def test_law_page_shows_chapters_sections_and_articles_with_anchors(client, law):
    response = client.get("/laws/wangba-tiaoli/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="第一条"' in html and 'id="第七条"' in html
    assert 'href="#第七条"' in html
    assert "第二章 设立" in html and "第一节 许可" in html
    assert 'class="law-item">（一）未经许可' in html
    assert "data-print" in html and "css/website.css" in html


def test_publishing_a_law_writes_its_articles(law):
    articles = list(LawArticle.objects.filter(law=law).order_by("sort_order"))
    assert [(a.number, a.label) for a in articles] == [(1, "第一条"), (2, "第二条"), (7, "第七条")]
    second = articles[1]
    assert second.chapter == "第一章 总则" and second.text.endswith("\n学校内部附设的场所不适用本条例。")
    assert articles[2].section == "第一节 许可"
    assert articles[2].get_url() == "/laws/wangba-tiaoli/#第七条"


def test_republishing_updates_articles_in_place_by_number(law):
    seventh = LawArticle.objects.get(law=law, number=7)
    second = LAW_TEXT.split("\n")[2:4]
    law.text = LAW_TEXT.replace("许可证不得出借", "许可证不得出租、出借").replace("\n".join(second) + "\n", "")
    publish(law)
    seventh.refresh_from_db()
    assert "出租、出借" in seventh.text and seventh.is_current
    assert not LawArticle.objects.get(law=law, number=2).is_current  # kept, so references do not break


def test_a_law_text_that_does_not_parse_is_refused_with_the_line(law_index):
    page = LawPage(title="坏文本", slug="bad", issuing_body="某机关", level="法律", text="第一条　甲。\n第一条　乙。")
    with pytest.raises(ValidationError) as caught:
        law_index.add_child(instance=page)
    assert "第2行：条号应递增" in str(caught.value.message_dict["text"])


def test_structure_preview_lists_every_article_or_says_what_is_wrong(law):
    response = law.make_preview_request(preview_mode="structure")
    assert response.status_code == 200
    assert "共 3 条" in response.rendered_content
    law.text = "第一条　甲。\n第三条"
    assert "第2行：第三条没有条文内容" in law.make_preview_request(preview_mode="structure").rendered_content


def test_case_page_renders_its_parts_and_quotes_the_current_article(client, case):
    html = client.get("/explainers/wuzheng-wangba/").content.decode()
    for heading in ("案情", "处理结果", "法律依据", "释法说理", "启示"):
        assert f"<h2>{heading}</h2>" in html
    assert 'href="/laws/wangba-tiaoli/#第七条"' in html
    assert "未经许可，不得从事上网服务经营活动" in html
    assert "文化市场执法" in html and "经营单位" in html


def test_quote_follows_the_article_when_the_law_is_amended(client, case, law):
    law.text = LAW_TEXT.replace("许可证不得出借", "许可证不得涂改")
    publish(law)
    html = client.get("/explainers/wuzheng-wangba/").content.decode()
    assert "许可证不得涂改" in html


def test_explainer_has_breadcrumbs_opengraph_and_related(client, case, explainer_index, law, domain):
    make_case(explainer_index, law, domain, title="另一起网吧案", slug="another")
    html = client.get("/explainers/wuzheng-wangba/").content.decode()
    assert 'aria-label="当前位置"' in html and ">普法资料</a>" in html
    assert '<meta property="og:title" content="未经许可擅自经营网吧被取缔">' in html
    assert '<meta property="og:description" content="一起无证经营案">' in html
    assert "相关普法资料" in html and "另一起网吧案" in html


def test_qa_guide_and_video_pages_render(client, qa, explainer_index, domain):
    guide = GuidePage(
        title="图解许可",
        slug="guide",
        domain=domain,
        body=[
            ("key_points", {"heading": "要点", "points": ["先办证"]}),
            ("faq", {"heading": "问答", "items": [{"question": "要办证吗？", "answer": "<p>要。</p>"}]}),
            ("related", {"heading": "相关", "pages": [qa]}),
        ],
    )
    explainer_index.add_child(instance=guide)
    publish(guide)
    video = VideoPage(title="微课", slug="video", domain=domain, transcript="<p>文字稿内容</p>")
    explainer_index.add_child(instance=video)
    publish(video)
    assert "我想参加宪法日活动" in client.get("/explainers/xianfari/").content.decode()
    guide_html = client.get("/explainers/guide/").content.decode()
    assert "先办证" in guide_html and "<summary>要办证吗？</summary>" in guide_html
    assert 'href="/explainers/xianfari/"' in guide_html
    assert "文字稿内容" in client.get("/explainers/video/").content.decode()


def test_explainer_list_filters_by_domain_and_kind(client, case, qa):
    html = client.get("/explainers/?domain=xianfa").content.decode()
    assert "国家宪法日宣传活动怎么参加" in html and "未经许可擅自经营网吧" not in html
    html = client.get("/explainers/?kind=case").content.decode()
    assert "未经许可擅自经营网吧" in html and "国家宪法日" not in html
    assert client.get("/explainers/?page=99999999999999999999&kind=<script>").status_code == 200


def test_law_list_groups_by_level(client, law):
    html = client.get("/laws/").content.decode()
    assert "行政法规" in html and "互联网上网服务营业场所管理条例" in html
    assert "互联网上网服务营业场所管理条例" not in client.get("/laws/?level=法律").content.decode()


def test_drafts_and_pages_in_review_are_never_served(client, explainer_index, law, domain, django_user_model):
    draft = make_case(explainer_index, law, domain, title="草稿案例", slug="draft", live=False)
    assert client.get("/explainers/draft/").status_code == 404
    assert "草稿案例" not in client.get("/explainers/").content.decode()
    # A published page with a newer version waiting in review still shows only what was approved.
    publish(draft)
    draft.title = "审核中的新标题"
    draft.save_revision()
    html = client.get("/explainers/draft/").content.decode()
    assert "草稿案例" in html and "审核中的新标题" not in html


def test_home_page_shows_latest_explainers_laws_and_domains(client, case, law):
    html = client.get("/").content.decode()
    assert "最新普法资料" in html and "未经许可擅自经营网吧被取缔" in html
    assert "法规库" in html and "按领域查看" in html
    assert 'href="/explainers/"' in html and 'href="/laws/"' in html


def test_uncached_explainer_and_law_pages_stay_within_ten_queries(
    client, case, law, settings, django_assert_max_num_queries
):
    settings.WEBSITE_PAGE_CACHE_SECONDS = 0
    client.get("/")  # warm the site and content type caches, as a running server has
    with django_assert_max_num_queries(10):
        assert client.get("/explainers/wuzheng-wangba/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/laws/wangba-tiaoli/").status_code == 200


def test_listings_do_not_grow_queries_with_rows(
    client, explainer_index, law, domain, settings, django_assert_max_num_queries
):
    settings.WEBSITE_PAGE_CACHE_SECONDS = 0
    for number in range(15):
        make_case(explainer_index, law, domain, title=f"案例{number}", slug=f"case-{number}")
    client.get("/")
    with django_assert_max_num_queries(10):
        assert client.get("/explainers/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/laws/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/?public=1").status_code == 200


def test_sections_exist_from_the_migration():
    assert [page.url_path for page in Page.objects.filter(depth=3).order_by("path")] == [
        "/home/explainers/",
        "/home/laws/",
    ]


def queries_for(client, url) -> int:
    """SQL queries of a second request for ``url`` (the first warms the site and content type caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_video_explainer_and_a_video_block_show_their_poster(client, explainer_index, domain, qa):
    poster = make_image("封面")
    video = VideoPage(
        title="微课：网吧许可",
        slug="video",
        domain=domain,
        video=make_document("微课.mp4", "微课"),
        poster=poster,
        transcript="<p>文字稿</p>",
    )
    explainer_index.add_child(instance=video)
    publish(video)
    html = client.get("/explainers/video/").content.decode()
    assert '<source src="/media/documents/' in html and 'poster="/media/images/' in html
    block = {
        "video": make_document("微课.mp4", "微课"),
        "poster": {"image": poster, "alt_text": "", "decorative": True},
        "caption": "微课",
        "transcript": "微课文字稿",
    }
    guide = GuidePage(title="图解", slug="guide", domain=domain, body=[("video", block)])
    explainer_index.add_child(instance=guide)
    publish(guide)
    html = client.get("/explainers/guide/").content.decode()
    assert 'poster="/media/images/' in html and "微课文字稿" in html


def test_a_video_explainer_refuses_a_file_that_is_not_a_video(explainer_index, domain):
    page = VideoPage(title="微课", slug="video", domain=domain, video=make_document("清单.pdf"))
    with pytest.raises(ValidationError) as caught:
        explainer_index.add_child(instance=page)
    assert caught.value.message_dict["video"] == ["请选择 mp4、webm 或 m4v 格式的视频文件"]


@pytest.mark.parametrize("model", [GuidePage, QAPage])
def test_an_explainer_with_every_kind_of_block_costs_the_same_queries_however_many_blocks(
    client, explainer_index, law, domain, qa, settings, model
):
    """Each block type costs one query for the whole body (articles, images, documents, pages), not one per block."""
    settings.WEBSITE_PAGE_CACHE_SECONDS = 0
    field = "body" if model is GuidePage else "answer"
    counts = []
    for size in (1, 4):
        images = [make_image(f"图{size}-{number}") for number in range(size)]
        page = model(
            title=f"图解{size}",
            slug=f"every-block-{size}",
            domain=domain,
            cover_image=images[0],
            **{field: every_block(law=law, related=qa, images=images)},
        )
        explainer_index.add_child(instance=page)
        publish(page)
        counts.append(queries_for(client, f"/explainers/every-block-{size}/"))
    html = client.get("/explainers/every-block-4/").content.decode()
    assert html.count('class="law-quote"') == 4 and html.count("<video") == 4 and 'property="og:image"' in html
    assert counts[0] == counts[1] <= 15, counts


def test_video_qa_and_case_pages_with_a_cover_stay_within_ten_queries(
    client, explainer_index, case, qa, domain, settings
):
    settings.WEBSITE_PAGE_CACHE_SECONDS = 0
    cover = make_image("封面")
    video = VideoPage(
        title="微课",
        slug="video",
        domain=domain,
        cover_image=cover,
        video=make_document("微课.mp4"),
        poster=cover,
        legal_basis=case.legal_basis.raw_data,
    )
    explainer_index.add_child(instance=video)
    publish(video)
    case.cover_image = cover
    publish(case)
    for url in ("/explainers/video/", "/explainers/xianfari/", "/explainers/wuzheng-wangba/"):
        assert queries_for(client, url) <= 10, url


def test_home_page_lists_domains_in_their_editors_order(client, case):
    Domain.objects.create(name="安全生产", slug="anquan", sort_order=1)
    Domain.objects.filter(slug="wenhua-shichang-zhifa").update(sort_order=2)
    Domain.objects.create(name="宪法学习", slug="xianfa-xuexi", sort_order=3)
    html = client.get("/?public=1").content.decode()
    tiles = html[html.index('id="home-domains"') :]
    assert tiles.index("安全生产") < tiles.index("文化市场执法") < tiles.index("宪法学习")


def test_the_law_library_costs_the_same_queries_however_many_laws(client, law, law_index, settings):
    settings.WEBSITE_PAGE_CACHE_SECONDS = 0
    one = queries_for(client, "/laws/")
    for number, level in enumerate(("法律", "地方性法规", "部门规章", "规范性文件", "党内法规"), start=1):
        page = LawPage(
            title=f"测试法规{number}", slug=f"law-{number}", issuing_body="某机关", level=level, text=LAW_TEXT
        )
        law_index.add_child(instance=page)
        publish(page)
    html = client.get("/laws/").content.decode()
    assert "共 6 部" in html and "测试法规5" in html
    assert queries_for(client, "/laws/") == one <= 8
