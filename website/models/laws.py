from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from website.lawtext import LawTextError, parse_law_text
from website.models.mixins import BreadcrumbsMixin, PinyinSlugMixin, PublicPageMixin, RouteTrailMixin


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


LEVEL_ORDER = [level for level, _ in LawLevel.choices]


class LawPageQuerySet(PageQuerySet):
    def published(self):
        return self.live().public()

    def for_listing(self):
        """Without the full text, which a listing never shows."""
        return self.defer("text").order_by("-promulgated_on", "title")


LawPageManager = PageManager.from_queryset(LawPageQuerySet)


class LawIndexPage(RouteTrailMixin, BreadcrumbsMixin, PublicPageMixin, PinyinSlugMixin, Page):
    """法规库: lists the laws below it by level, filtered by level and status."""

    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.LawPage"]
    max_count = 1
    template = "website/law_index_page.html"

    class Meta:
        verbose_name = "法规库"

    def find_child(self, slug):
        return LawPage.objects.child_of(self).filter(slug=slug).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        level = request.GET.get("level", "")
        level = level if level in LawLevel.values else ""
        status = request.GET.get("status", "")
        status = status if status in LawStatus.values else ""
        laws = LawPage.objects.child_of(self).published().for_listing()
        if level:
            laws = laws.filter(level=level)
        if status:
            laws = laws.filter(status=status)
        laws = sorted(laws, key=lambda law: LEVEL_ORDER.index(law.level) if law.level in LEVEL_ORDER else 99)
        groups = []
        for law in laws:
            if not groups or groups[-1]["level"] != law.level:
                groups.append({"level": law.level, "laws": []})
            groups[-1]["laws"].append(law)
        context.update(
            groups=groups,
            law_count=len(laws),
            levels=LawLevel.choices,
            statuses=LawStatus.choices,
            current_level=level,
            current_status=status,
        )
        return context


class LawPage(BreadcrumbsMixin, PublicPageMixin, PinyinSlugMixin, Page):
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
    template = "website/law_page.html"
    preview_modes = [("", "页面"), ("structure", "条文结构")]

    objects = LawPageManager()

    class Meta:
        verbose_name = "法规"
        verbose_name_plural = "法规"

    def clean(self):
        super().clean()
        try:
            parse_law_text(self.text or "")
        except LawTextError as error:
            raise ValidationError({"text": error.messages}) from None

    def parsed(self):
        """The text as parts, chapters, sections and articles; None if it does not parse."""
        try:
            return parse_law_text(self.text or "")
        except LawTextError:
            return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["law"] = self.parsed()
        return context

    def serve_preview(self, request, mode_name):
        if mode_name == "structure":
            try:
                law, problems = parse_law_text(self.text or ""), []
            except LawTextError as error:
                law, problems = None, error.messages
            return TemplateResponse(
                request, "website/law_structure_preview.html", {"page": self, "law": law, "problems": problems}
            )
        return super().serve_preview(request, mode_name)

    def search_text(self) -> str:
        return f"{self.summary} {self.text}"


class LawArticleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class LawArticleManager(models.Manager.from_queryset(LawArticleQuerySet)):
    """Articles come with their law (without its full text): every quote and link shows the law's title."""

    def get_queryset(self):
        return super().get_queryset().select_related("law").defer("law__text")


class LawArticle(models.Model):
    """One numbered article (条) of a published law, addressable as ``<law url>#第十条``."""

    law = models.ForeignKey(LawPage, verbose_name="法规", on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField("条号")
    label = models.CharField("条标", max_length=20, help_text="如“第十条”")
    chapter = models.CharField("章", max_length=200, blank=True)
    section = models.CharField("节", max_length=200, blank=True)
    text = models.TextField("条文")
    sort_order = models.PositiveIntegerField("顺序", default=0)
    is_current = models.BooleanField(
        "现行条文", default=True, help_text="修订后不再出现在全文中的条文保留记录，引用它的题目和课程仍可找到"
    )

    objects = LawArticleManager()

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
