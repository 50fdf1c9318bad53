from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index


class LawLevel(models.TextChoices):
    CONSTITUTION = "宪法", "宪法"
    LAW = "法律", "法律"
    ADMINISTRATIVE_REGULATION = "行政法规", "行政法规"
    LOCAL_REGULATION = "地方性法规", "地方性法规"
    DEPARTMENTAL_RULE = "部门规章", "部门规章"
    NORMATIVE_DOCUMENT = "规范性文件", "规范性文件"
    PARTY_REGULATION = "党内法规", "党内法规"


class LawStatus(models.TextChoices):
    CURRENT = "现行有效", "现行有效"
    AMENDED = "已修订", "已修订"
    REPEALED = "已废止", "已废止"


class LawIndexPage(Page):
    """法规库: lists the laws below it."""

    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.LawPage"]
    max_count = 1

    class Meta:
        verbose_name = "法规库"


class LawPage(Page):
    """A law, regulation or normative document with its full text.

    ``text`` is the text as published (pasted plain text with 第X章 / 第X节 / 第X条 headings);
    on publish its articles are written to ``LawArticle`` rows, which other pages and questions
    reference and quote by (law, article number).
    """

    issuing_body = models.CharField("制定机关", max_length=200)
    level = models.CharField("效力级别", max_length=20, choices=LawLevel.choices)
    document_number = models.CharField("文号", max_length=100, blank=True)
    promulgated_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    status = models.CharField("时效性", max_length=10, choices=LawStatus.choices, default=LawStatus.CURRENT)
    summary = models.TextField("简介", blank=True)
    text = models.TextField("全文", help_text="粘贴法规全文，按“第X章”“第X节”“第X条”自动分章节条")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("issuing_body"),
                FieldPanel("level"),
                FieldPanel("document_number"),
                FieldPanel("promulgated_on"),
                FieldPanel("effective_on"),
                FieldPanel("status"),
            ],
            heading="基本信息",
        ),
        FieldPanel("summary"),
        FieldPanel("text"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("issuing_body"),
        index.SearchField("summary"),
        index.SearchField("text"),
        index.FilterField("level"),
        index.FilterField("status"),
    ]
    parent_page_types = ["website.LawIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "法规"
        verbose_name_plural = "法规"


class LawArticle(models.Model):
    """One numbered article (条) of a published law, addressable as ``<law url>#第十条``."""

    law = models.ForeignKey(LawPage, verbose_name="法规", on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField("条号")
    label = models.CharField("条标", max_length=20, help_text="如“第十条”")
    chapter = models.CharField("章", max_length=200, blank=True)
    section = models.CharField("节", max_length=200, blank=True)
    text = models.TextField("条文")
    sort_order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "法条"
        verbose_name_plural = "法条"
        ordering = ["law", "sort_order", "number"]
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="one_article_per_number")]

    def __str__(self):
        return f"《{self.law.title}》{self.label}"

    @property
    def anchor(self) -> str:
        return self.label

    def get_url(self, request=None) -> str:
        return f"{self.law.get_url(request)}#{self.anchor}"
