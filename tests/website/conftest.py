import datetime

import pytest

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from website.models import Audience, CasePage, Domain, ExplainerIndexPage, LawIndexPage, LawPage, QAPage

LAW_TEXT = """第一章　总则
第一条　为了加强对互联网上网服务营业场所的管理，制定本条例。
第二条　本条例所称互联网上网服务营业场所，是指向公众提供互联网上网服务的网吧等营业性场所。
学校内部附设的场所不适用本条例。
第二章　设立
第一节　许可
第七条　国家实行许可制度：
（一）未经许可，不得从事上网服务经营活动；
（二）许可证不得出借。
"""


def publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def explainer_index():
    return ExplainerIndexPage.objects.get()


@pytest.fixture
def law_index():
    return LawIndexPage.objects.get()


@pytest.fixture
def domain():
    return Domain.objects.get_or_create(slug="wenhua-shichang-zhifa", defaults={"name": "文化市场执法"})[0]


@pytest.fixture
def other_domain():
    return Domain.objects.get_or_create(slug="xianfa", defaults={"name": "宪法"})[0]


@pytest.fixture
def law(law_index):
    page = LawPage(
        title="互联网上网服务营业场所管理条例",
        slug="wangba-tiaoli",
        issuing_body="国务院",
        level="行政法规",
        promulgated_on=datetime.date(2002, 9, 29),
        text=LAW_TEXT,
    )
    law_index.add_child(instance=page)
    return publish(page)


def make_case(index, law, domain, *, title="未经许可擅自经营网吧被取缔", slug="wuzheng-wangba", live=True, **extra):
    article = law.articles.get(number=7) if law else None
    page = CasePage(
        title=title,
        slug=slug,
        summary="一起无证经营案",
        domain=domain,
        facts="<p>某电脑休闲室未经许可从事互联网上网服务营业场所经营活动。</p>",
        outcome="<p>依法取缔。</p>",
        legal_basis=[("law_quote", {"article": article, "note": "许可制度"})] if article else [],
        reasoning="<p>实行许可制度。</p>",
        lesson="<p>先办许可。</p>",
        live=live,
        **extra,
    )
    index.add_child(instance=page)
    if live:
        publish(page)
    else:
        page.save_revision()
    return page


@pytest.fixture
def case(explainer_index, law, domain):
    page = make_case(explainer_index, law, domain)
    page.audiences.set([Audience.objects.get_or_create(name="经营单位")[0]])
    return publish(page)


@pytest.fixture
def qa(explainer_index, law, other_domain):
    page = QAPage(
        title="国家宪法日宣传活动怎么参加？",
        slug="xianfari",
        summary="12月4日",
        domain=other_domain,
        question="我想参加宪法日活动",
        answer=[("text", "<p>关注本局发布的活动安排。</p>")],
        first_published_at=timezone.now(),
    )
    explainer_index.add_child(instance=page)
    return publish(page)


def make_image(title="图片"):
    return Image.objects.create(title=title, file=get_test_image_file())


def make_document(name="清单.pdf", title="不予处罚清单"):
    return Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4 demo", name=name))


def every_block(*, law, related, images):
    """A body with one of each block per image: text, heading, law quote, figure, document, video,
    key points, FAQ and related explainers."""
    articles = list(law.articles.order_by("sort_order"))
    body = []
    for number, image in enumerate(images):
        body += [
            ("heading", f"第{number + 1}部分"),
            ("text", f"<p>第{number + 1}段正文。</p>"),
            ("law_quote", {"article": articles[number % len(articles)], "note": ""}),
            ("image", {"image": {"image": image, "alt_text": "示意图", "decorative": False}, "caption": "图注"}),
            ("document", {"document": make_document(), "title": "", "description": "可下载"}),
            (
                "video",
                {
                    "video": make_document("微课.mp4", "微课"),
                    "poster": {"image": image, "alt_text": "", "decorative": True},
                    "caption": "",
                    "transcript": "微课文字稿。",
                },
            ),
            ("key_points", {"heading": "要点", "points": ["先办证", "再经营"]}),
            ("faq", {"heading": "常见问题", "items": [{"question": "要办证吗？", "answer": "<p>要。</p>"}]}),
            ("related", {"heading": "相关", "pages": [related]}),
        ]
    return body
