import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
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


def _parsed_or_none(text: str):
    try:
        return parse_law_text(text or "")
    except LawTextError:
        return None


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


class LawPage(RoutablePageMixin, BreadcrumbsMixin, PublicPageMixin, PinyinSlugMixin, Page):
    """A law, regulation or normative document with its full text.

    ``text`` is the text of the current version (pasted plain text with 第X章 / 第X节 / 第X条 headings).
    On publish it is saved as a ``LawVersion`` dated ``promulgated_on`` with its ``LawArticle`` rows: the
    same date corrects that version in place, a new date adds a version and keeps the old ones readable
    at ``<law url><YYYY-MM-DD>/``; questions and pages cite the article of the version they quoted.
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
    preview_modes = [("", "页面"), ("structure", "条文结构"), ("compare", "与现行版本对照")]

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
        return _parsed_or_none(self.text)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        shown = kwargs.get("version")
        versions = list(LawVersion.objects.listed().filter(law=self)) if self.pk else []
        for item in versions:
            item.law = self  # each version's address starts with the law's
        current = max(versions, key=lambda item: (item.published_at, item.pk)) if versions else None
        version = shown or current
        context.update(
            law=_parsed_or_none(shown.text) if shown else self.parsed(),
            law_text=shown.text if shown else self.text,  # shown as it is when it does not parse
            versions=versions,
            version=version,
            current_version=current,
            superseded=shown is not None and shown != current,
            # A draft's preview shows its own text: the notes belong to the published versions' articles.
            article_notes=version.article_notes() if version and not getattr(request, "is_preview", False) else {},
        )
        return context

    @path("<int:year>-<int:month>-<int:day>/", name="version")
    def version(self, request, year, month, day):
        """An earlier (or the current) version at its own stable address; 404 for a date with no version."""
        try:
            on = datetime.date(year, month, day)
        except ValueError:
            raise Http404 from None
        version = LawVersion.objects.filter(law=self, version_date=on).first()
        if version is None:
            raise Http404
        return self.render(request, version=version)

    def version_url(self, version, request=None) -> str:
        return f"{self.get_url(request)}{version.version_date:%Y-%m-%d}/"

    def serve_preview(self, request, mode_name):
        if mode_name == "compare":
            return self._serve_comparison(request)
        if mode_name == "structure":
            try:
                law, problems = parse_law_text(self.text or ""), []
            except LawTextError as error:
                law, problems = None, error.messages
            return TemplateResponse(
                request, "website/law_structure_preview.html", {"page": self, "law": law, "problems": problems}
            )
        return super().serve_preview(request, mode_name)

    def _serve_comparison(self, request):
        """The draft against the current version, article by article: what the editor reviews before publishing."""
        from website.versioning import version_compare

        law = self.parsed()
        comparison = version_compare(law=self, parsed=law) if law else None
        same_date = bool(comparison and comparison.current and comparison.current.version_date == self.promulgated_on)
        return TemplateResponse(
            request,
            "website/law_compare_preview.html",
            {"page": self, "comparison": comparison, "same_date": same_date, "parses": law is not None},
        )

    def search_text(self) -> str:
        return f"{self.summary} {self.text}"


class VersionKind(models.TextChoices):
    ENACTED = "公布", "公布"
    AMENDED = "修正", "修正"
    REVISED = "修订", "修订"


class LawVersionQuerySet(models.QuerySet):
    def listed(self):
        """Newest first, without the texts a version list never shows."""
        return self.defer("text").order_by("-version_date", "-pk")


class LawVersion(models.Model):
    """One published text of a law (公布, each 修正 or 修订), readable at ``<law url><version date>/``."""

    law = models.ForeignKey(LawPage, verbose_name="法规", on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField("版本类型", max_length=4, choices=VersionKind.choices, default=VersionKind.ENACTED)
    version_date = models.DateField("版本日期", null=True, blank=True, help_text="公布、修正或修订的日期")
    effective_on = models.DateField("施行日期", null=True, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    text = models.TextField("全文")
    published_at = models.DateTimeField("发布时间")

    objects = LawVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "法规版本"
        verbose_name_plural = "法规版本"
        ordering = ["law", "-version_date"]
        constraints = [models.UniqueConstraint(fields=["law", "version_date"], name="one_version_per_date")]

    def __str__(self):
        return f"《{self.law.title}》{self.label}"

    @property
    def label(self) -> str:
        if self.version_date is None:
            return self.get_kind_display()
        return f"{self.version_date.year}年{self.get_kind_display()}"

    def get_url(self, request=None) -> str:
        return self.law.version_url(self, request) if self.version_date else self.law.get_url(request)

    def article_notes(self) -> dict[str, str]:
        """What the law page says under each article of this version that changed: anchor → note."""
        rows = self.articles.exclude(change__in=["", ArticleChange.SAME]).select_related("previous")
        return {row.anchor: row.change_note for row in rows}


class ArticleChange(models.TextChoices):
    """How an article differs from its predecessor in the previous version."""

    SAME = "same", "未变"
    RENUMBERED = "renumbered", "条号变动"
    CHANGED = "changed", "修改"
    NEW = "new", "新增"


class ArticleStanding(models.TextChoices):
    """Where an article stands against the law's current version; the last three flag what cites it."""

    CURRENT = "current", "现行"
    UNCHANGED = "unchanged", "内容未变"
    RENUMBERED = "renumbered", "条号已变"
    AMENDED = "amended", "已修订"
    REPEALED = "repealed", "已删除"


FLAGGED_STANDINGS = (ArticleStanding.RENUMBERED, ArticleStanding.AMENDED, ArticleStanding.REPEALED)


class LawArticleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def superseded(self):
        """Articles a newer version renumbered, changed or dropped: whatever cites them needs a look."""
        return self.filter(standing__in=FLAGGED_STANDINGS)


class LawArticleManager(models.Manager.from_queryset(LawArticleQuerySet)):
    """Articles come with their law and version (without their full texts): every quote and link shows them."""

    def get_queryset(self):
        return super().get_queryset().select_related("law", "version").defer("law__text", "version__text")


class LawArticle(models.Model):
    """One numbered article (条) of one version of a law, addressable as ``<law url>#第十条``
    (an earlier version's: ``<law url><version date>/#第十条``)."""

    law = models.ForeignKey(LawPage, verbose_name="法规", on_delete=models.CASCADE, related_name="articles")
    version = models.ForeignKey(
        LawVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="articles", null=True
    )
    number = models.PositiveIntegerField("条号")
    label = models.CharField("条标", max_length=20, help_text="如“第十条”")
    chapter = models.CharField("章", max_length=200, blank=True)
    section = models.CharField("节", max_length=200, blank=True)
    text = models.TextField("条文")
    sort_order = models.PositiveIntegerField("顺序", default=0)
    is_current = models.BooleanField(
        "现行条文", default=True, help_text="修订后不再出现在全文中的条文保留记录，引用它的题目和课程仍可找到"
    )
    previous = models.ForeignKey(
        "self", verbose_name="上一版本的条文", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change = models.CharField("与上一版本相比", max_length=10, choices=ArticleChange.choices, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name="现行版本的对应条文", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    standing = models.CharField(
        "对照现行版本", max_length=10, choices=ArticleStanding.choices, default=ArticleStanding.CURRENT
    )
    standing_since = models.DateField("变动版本日期", null=True, blank=True)

    objects = LawArticleManager()

    class Meta:
        verbose_name = "法条"
        verbose_name_plural = "法条"
        ordering = ["law", "sort_order", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="one_article_per_version_number")]

    def __str__(self):
        if self.is_current or self.version is None:
            return f"《{self.law.title}》{self.label}"
        return f"《{self.law.title}》（{self.version.label}）{self.label}"

    @property
    def anchor(self) -> str:
        return self.label

    @property
    def change_note(self) -> str:
        """``本条于 2024 年修订``, ``原第八条`` … for an article that differs from its predecessor."""
        year = self.version.version_date.year if self.version and self.version.version_date else None
        when = f" {year} 年" if year else "新版本中"
        if self.change == ArticleChange.NEW:
            return f"本条于{when}新增"
        moved = f"原{self.previous.label}" if self.previous and self.previous.number != self.number else ""
        if self.change == ArticleChange.CHANGED:
            return "，".join(filter(None, [moved, f"本条于{when}{self.version.get_kind_display()}"]))
        return moved

    def get_url(self, request=None) -> str:
        if self.is_current or self.version is None:
            return f"{self.law.get_url(request)}#{self.anchor}"
        return f"{self.version.get_url(request)}#{self.anchor}"
