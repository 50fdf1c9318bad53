"""The public site's demo content, as issue 3 asks for it."""

import io
import re

import pytest

from wagtail.models import Page

from demo import organisation as organisation_demo
from demo import website as website_demo
from demo.day import DemoDay
from website.models import CasePage, Domain, ExplainerPage, GuidePage, LawArticle, LawPage, QAPage, VideoPage

pytestmark = pytest.mark.django_db

NAMED_LAWS = [
    "中华人民共和国宪法",
    "中华人民共和国民法典",
    "中华人民共和国公共文化服务保障法",
    "中华人民共和国文物保护法",
    "中华人民共和国旅游法",
    "中华人民共和国著作权法",
    "互联网上网服务营业场所管理条例",
    "浙江省大运河世界文化遗产保护条例",
]


@pytest.fixture
def seeded():
    organisation_demo.seed(io.StringIO(), day=DemoDay.seeding())
    website_demo.seed(io.StringIO())


def counts():
    return LawPage.objects.count(), LawArticle.objects.count(), ExplainerPage.objects.count(), Domain.objects.count()


def test_the_demo_has_the_named_laws_with_their_chapters_and_numbered_articles(seeded):
    laws = {law.title: law for law in LawPage.objects.live()}
    assert set(NAMED_LAWS) <= set(laws) and len(laws) >= 8
    for title in NAMED_LAWS:
        articles = list(LawArticle.objects.current().filter(law=laws[title]))
        assert len(articles) >= 2, title
        assert all(article.chapter for article in articles), title  # every article sits in a chapter
        assert [a.number for a in articles] == sorted(a.number for a in articles), title
    assert LawArticle.objects.filter(law=laws["中华人民共和国民法典"], label="第一千一百九十八条").exists()


def test_the_demo_has_explainers_across_every_domain_with_the_three_named_ones(seeded):
    live = ExplainerPage.objects.published()
    assert live.count() >= 12
    assert set(live.values_list("domain__name", flat=True)) == set(Domain.objects.values_list("name", flat=True))
    assert {page.specific_class for page in live} == {CasePage, QAPage, GuidePage, VideoPage}
    cafe = CasePage.objects.live().get(title__contains="无证上网服务")
    assert "网吧" in cafe.title and "许可证" in cafe.facts
    assert "互联网上网服务营业场所管理条例" in {block.value["article"].law.title for block in cafe.legal_basis}
    assert live.filter(title__contains="宪法日", domain__name="宪法").exists()
    no_penalty = GuidePage.objects.live().get(title__contains="不予行政处罚清单")
    (listing,) = re.findall(r"<ol>.*?</ol>", str(no_penalty.body), re.DOTALL)
    assert listing.count("<li>") == 15
    in_review = QAPage.objects.get(title="剧本娱乐经营场所需要备案吗？")
    assert not in_review.live and in_review.workflow_in_progress


def test_seeding_again_creates_nothing_twice(seeded):
    first = counts()
    website_demo.seed(io.StringIO())
    assert counts() == first


def test_the_demos_pages_and_domains_have_readable_ascii_addresses(seeded):
    """Issue 16 item 6: no page of the demo is reached through a percent-encoded Chinese address."""
    pages = Page.objects.filter(depth__gt=1)
    assert pages.count() >= 20
    assert [page.url_path for page in pages if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", page.slug)] == []
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in Domain.objects.values_list("slug", flat=True))


def served(client, url: str):
    """The bytes the site sends for ``url`` (media files come back streamed)."""
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_the_illustrated_guide_shows_a_real_picture_described_for_screen_readers(seeded, client):
    """Issue 16 item 7: the 图解 has a picture (drawn by bin/make-demo-media), its alt text says what it shows."""
    guide = GuidePage.objects.live().get(slug="yanchu-piaowu-shiming")
    page = client.get(guide.url).content.decode()
    (img,) = re.findall(r'<figure class="figure">\s*(<img [^>]+>)', page)
    alt = re.search(r'alt="([^"]+)"', img).group(1)
    assert "购票前" in alt and "12318" in alt
    source = re.search(r'src="([^"]+)"', img).group(1)
    response, body = served(client, source)
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and len(body) > 10_000
    assert "观众须知三步走" in page  # its caption


def test_the_video_explainer_plays_a_video_the_site_serves_itself(seeded, client):
    video = VideoPage.objects.live().get(slug="dayunhe-yichan-baohu-weike")
    page = client.get(video.url).content.decode()
    source = re.search(r'<source src="([^"]+)" type="video/webm">', page).group(1)
    assert source.startswith("/media/")  # from the site, never a CDN
    response, body = served(client, source)
    assert body[:4] == b"\x1a\x45\xdf\xa3"  # a Matroska/WebM file
    poster = re.search(r'<video [^>]*poster="([^"]+)"', page).group(1)
    assert served(client, poster)[1][:8] == b"\x89PNG\r\n\x1a\n"
    assert "文字稿" in page  # the transcript for who cannot watch it
