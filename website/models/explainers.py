from django.db import models

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ExplainerIndexPage(Page):
    """普法资料: lists the explainers below it."""

    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.CasePage", "website.QAPage", "website.GuidePage", "website.VideoPage"]
    max_count = 1

    class Meta:
        verbose_name = "普法资料栏目"


class ExplainerPage(Page):
    """What every explainer carries: a domain, its audiences and the department responsible (谁执法谁普法)."""

    summary = models.TextField("摘要", max_length=500, blank=True)
    domain = models.ForeignKey(
        "website.Domain", verbose_name="普法领域", on_delete=models.PROTECT, related_name="+", null=True
    )
    audiences = ParentalManyToManyField("website.Audience", verbose_name="普法对象", blank=True, related_name="+")
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name="责任处室",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    explainer_panels = [
        MultiFieldPanel(
            [FieldPanel("summary"), FieldPanel("domain"), FieldPanel("audiences"), FieldPanel("department")],
            heading="分类",
        )
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("domain"),
    ]
    parent_page_types = ["website.ExplainerIndexPage"]
    subpage_types = []
    is_creatable = False

    class Meta:
        verbose_name = "普法资料"


class CasePage(ExplainerPage):
    """以案释法: a case told as facts, outcome, legal basis, reasoning and lesson."""

    facts = RichTextField("案情", blank=True)
    outcome = RichTextField("处理结果", blank=True)
    reasoning = RichTextField("释法说理", blank=True)
    lesson = RichTextField("启示", blank=True)

    content_panels = (
        Page.content_panels
        + ExplainerPage.explainer_panels
        + [
            FieldPanel("facts"),
            FieldPanel("outcome"),
            FieldPanel("reasoning"),
            FieldPanel("lesson"),
        ]
    )
    search_fields = ExplainerPage.search_fields + [
        index.SearchField("facts"),
        index.SearchField("outcome"),
        index.SearchField("reasoning"),
        index.SearchField("lesson"),
    ]

    class Meta:
        verbose_name = "以案释法"


class QAPage(ExplainerPage):
    """问答: a question the public asks, answered."""

    answer = RichTextField("解答", blank=True)

    content_panels = Page.content_panels + ExplainerPage.explainer_panels + [FieldPanel("answer")]
    search_fields = ExplainerPage.search_fields + [index.SearchField("answer")]

    class Meta:
        verbose_name = "普法问答"


class GuidePage(ExplainerPage):
    """图解: an illustrated guide."""

    body = RichTextField("正文", blank=True)

    content_panels = Page.content_panels + ExplainerPage.explainer_panels + [FieldPanel("body")]
    search_fields = ExplainerPage.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = "图解普法"


class VideoPage(ExplainerPage):
    """视频普法: a video explainer with a transcript, served from the site's own media."""

    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="视频文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = RichTextField("文字稿", blank=True)

    content_panels = (
        Page.content_panels
        + ExplainerPage.explainer_panels
        + [
            FieldPanel("video"),
            FieldPanel("transcript"),
        ]
    )
    search_fields = ExplainerPage.search_fields + [index.SearchField("transcript")]

    class Meta:
        verbose_name = "视频普法"
