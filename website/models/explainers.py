from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.html import strip_tags

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from website.blocks import (
    RICH_TEXT_FEATURES,
    VIDEO_EXTENSIONS,
    ContentStreamBlock,
    LegalBasisBlock,
    stream_plain_text,
)
from website.models.mixins import BreadcrumbsMixin, PinyinSlugMixin, PublicPageMixin, RouteTrailMixin

EXPLAINERS_PER_PAGE = 12


class ExplainerPageQuerySet(PageQuerySet):
    def published(self):
        """What a visitor may read: live and not behind a view restriction."""
        return self.live().public()

    def for_listing(self):
        """Newest first, with what a listing card shows loaded in the same query."""
        return (
            self.select_related("domain", "department", "cover_image", "content_type")
            .defer_streamfields()
            .order_by("-first_published_at", "-pk")
        )

    def of_kind(self, kind: str):
        model = EXPLAINER_KINDS.get(kind)
        return self.type(model) if model else self


ExplainerPageManager = PageManager.from_queryset(ExplainerPageQuerySet)


class ExplainerIndexPage(RouteTrailMixin, BreadcrumbsMixin, PublicPageMixin, PinyinSlugMixin, Page):
    """普法资料: lists the explainers below it, filtered by domain and kind."""

    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.CasePage", "website.QAPage", "website.GuidePage", "website.VideoPage"]
    max_count = 1
    template = "website/explainer_index_page.html"

    class Meta:
        verbose_name = "普法资料栏目"

    def find_child(self, slug):
        """The explainer with what its page shows (domain, department, cover image, a video's file and poster)
        in two queries: one for its type, one for its fields."""
        child = ExplainerPage.objects.child_of(self).filter(slug=slug).only("pk", "content_type").first()
        model = child.specific_class if child is not None else None
        if model is None:
            return None
        related = ("domain", "department", "cover_image", *model.shown_with_page)
        return model.objects.select_related(*related).filter(pk=child.pk).first()

    def get_context(self, request, *args, **kwargs):
        from website.models.taxonomy import Domain

        context = super().get_context(request, *args, **kwargs)
        domains = list(Domain.objects.all())
        domain = next((d for d in domains if d.slug == request.GET.get("domain", "")), None)
        kind = request.GET.get("kind", "") if request.GET.get("kind", "") in EXPLAINER_KINDS else ""
        explainers = ExplainerPage.objects.child_of(self).published().for_listing().of_kind(kind)
        if domain is not None:
            explainers = explainers.filter(domain=domain)
        page_obj = Paginator(explainers, EXPLAINERS_PER_PAGE).get_page(request.GET.get("page"))
        query = {key: value for key, value in (("domain", domain.slug if domain else ""), ("kind", kind)) if value}
        context.update(
            domains=domains,
            current_domain=domain,
            kinds=[(key, model._meta.verbose_name) for key, model in EXPLAINER_KINDS.items()],
            current_kind=kind,
            page_obj=page_obj,
            query_string="&".join(f"{key}={value}" for key, value in query.items()),
        )
        return context


class ExplainerPage(BreadcrumbsMixin, PublicPageMixin, PinyinSlugMixin, Page):
    """What every explainer carries: a domain, its audiences and the department responsible (谁执法谁普法)."""

    summary = models.TextField("摘要", max_length=500, blank=True, help_text="列表、搜索结果和微信分享中显示")
    domain = models.ForeignKey(
        "website.Domain", verbose_name="普法领域", on_delete=models.PROTECT, related_name="explainers", null=True
    )
    audiences = ParentalManyToManyField("website.Audience", verbose_name="普法对象", blank=True, related_name="+")
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name="责任处室",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="谁执法谁普法：负责这一普法内容的处室或单位",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="列表和微信分享中显示",
    )

    objects = ExplainerPageManager()

    explainer_panels = [
        MultiFieldPanel(
            [
                FieldPanel("summary"),
                FieldPanel("domain"),
                FieldPanel("audiences"),
                FieldPanel("department"),
                FieldPanel("cover_image"),
            ],
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
    template = "website/explainer_page.html"
    related_count = 4
    # Foreign keys of the page type that its page shows, loaded with it.
    shown_with_page: tuple[str, ...] = ()

    class Meta:
        verbose_name = "普法资料"

    @cached_property
    def kind_label(self) -> str:
        return self.specific_class._meta.verbose_name if self.specific_class else self._meta.verbose_name

    def search_text(self) -> str:
        """Plain text of the page for search snippets."""
        return self.summary

    def related_explainers(self):
        """The newest other explainers in the same domain."""
        # Live, and neither itself nor (as a sibling in the same section) its section restricted.
        related = (
            ExplainerPage.objects.live()
            .exclude(pk=self.pk)
            .exclude(view_restrictions__isnull=False)
            .sibling_of(self)
            .defer_streamfields()
        )
        if self.domain_id:
            related = related.filter(domain_id=self.domain_id)
        return related.order_by("-first_published_at")[: self.related_count]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_explainers"] = list(self.related_explainers())
        context["audience_names"] = [audience.name for audience in self.audiences.all()]
        return context


class CasePage(ExplainerPage):
    """以案释法: a case told as facts, outcome, legal basis, reasoning and lesson."""

    facts = RichTextField("案情", features=RICH_TEXT_FEATURES, blank=True)
    outcome = RichTextField("处理结果", features=RICH_TEXT_FEATURES, blank=True)
    legal_basis = StreamField(LegalBasisBlock(), verbose_name="法律依据", blank=True)
    reasoning = RichTextField("释法说理", features=RICH_TEXT_FEATURES, blank=True)
    lesson = RichTextField("启示", features=RICH_TEXT_FEATURES, blank=True)

    content_panels = (
        Page.content_panels
        + ExplainerPage.explainer_panels
        + [
            FieldPanel("facts"),
            FieldPanel("outcome"),
            FieldPanel("legal_basis"),
            FieldPanel("reasoning"),
            FieldPanel("lesson"),
        ]
    )
    search_fields = ExplainerPage.search_fields + [
        index.SearchField("facts"),
        index.SearchField("outcome"),
        index.SearchField("legal_basis"),
        index.SearchField("reasoning"),
        index.SearchField("lesson"),
    ]
    template = "website/case_page.html"

    class Meta:
        verbose_name = "以案释法"

    def search_text(self) -> str:
        return " ".join(
            _plain(value) for value in (self.summary, self.facts, self.outcome, self.reasoning, self.lesson)
        )


class QAPage(ExplainerPage):
    """问答: a question the public asks, answered."""

    question = models.TextField("问题", blank=True, help_text="群众提出的问题原文；留空则以标题为问题")
    answer = StreamField(ContentStreamBlock(), verbose_name="解答", blank=True)
    legal_basis = StreamField(LegalBasisBlock(), verbose_name="法律依据", blank=True)

    content_panels = (
        Page.content_panels
        + ExplainerPage.explainer_panels
        + [FieldPanel("question"), FieldPanel("answer"), FieldPanel("legal_basis")]
    )
    search_fields = ExplainerPage.search_fields + [
        index.SearchField("question"),
        index.SearchField("answer"),
        index.SearchField("legal_basis"),
    ]
    template = "website/qa_page.html"

    class Meta:
        verbose_name = "普法问答"

    def search_text(self) -> str:
        return " ".join([self.summary, self.question, *_stream_text(self, "answer")])


class GuidePage(ExplainerPage):
    """图解: an illustrated guide."""

    body = StreamField(ContentStreamBlock(), verbose_name="正文", blank=True)

    content_panels = Page.content_panels + ExplainerPage.explainer_panels + [FieldPanel("body")]
    search_fields = ExplainerPage.search_fields + [index.SearchField("body")]
    template = "website/guide_page.html"

    class Meta:
        verbose_name = "图解普法"

    def search_text(self) -> str:
        return " ".join([self.summary, *_stream_text(self, "body")])


class VideoPage(ExplainerPage):
    """视频普法: a video explainer with a transcript, served from the site's own media."""

    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="视频文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="上传到本站文档库的 mp4 或 webm 文件",
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="视频封面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = RichTextField("文字稿", features=RICH_TEXT_FEATURES, blank=True)
    legal_basis = StreamField(LegalBasisBlock(), verbose_name="法律依据", blank=True)

    content_panels = (
        Page.content_panels
        + ExplainerPage.explainer_panels
        + [
            FieldPanel("video"),
            FieldPanel("poster"),
            FieldPanel("transcript"),
            FieldPanel("legal_basis"),
        ]
    )
    search_fields = ExplainerPage.search_fields + [
        index.SearchField("transcript"),
        index.SearchField("legal_basis"),
    ]
    template = "website/video_page.html"
    shown_with_page = ("video", "poster")

    class Meta:
        verbose_name = "视频普法"

    def clean(self):
        super().clean()
        if self.video is not None and self.video.file_extension.lower() not in VIDEO_EXTENSIONS:
            raise ValidationError({"video": "请选择 mp4、webm 或 m4v 格式的视频文件"})

    def search_text(self) -> str:
        return " ".join((self.summary, _plain(self.transcript)))


# The kinds a visitor can filter by, keyed by the value in ?kind=.
EXPLAINER_KINDS = {"case": CasePage, "qa": QAPage, "guide": GuidePage, "video": VideoPage}


def _plain(html: str) -> str:
    return strip_tags(html or "")


def _stream_text(page, field_name: str) -> list[str]:
    return stream_plain_text(page._meta.get_field(field_name).stream_block, getattr(page, field_name).raw_data)
