"""The site search: Chinese words in titles and bodies, filtered by domain and kind, private pages kept private."""

import re
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.core.paginator import Paginator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from wagtail.models import Page, PageViewRestriction, get_page_models

from website.models import EXPLAINER_KINDS, Domain, ExplainerPage, HomePage, LawPage
from website.segmentation import MAX_QUERY_CHARS, clean_query, query_terms

RESULTS_PER_PAGE = 10
SNIPPET_CHARS = 110
SEARCH_KINDS = {"law": LawPage, **EXPLAINER_KINDS}


def staff_only_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if getattr(model, "staff_only", False)]


def readable_pages(user, queryset=None):
    """Live pages ``user`` may read: visitors get public pages only; signed-in staff also get study
    pages behind a login or group restriction (never password-protected ones, nor other groups')."""
    queryset = (queryset if queryset is not None else Page.objects.all()).live()
    if user is None or not user.is_authenticated:
        staff_only = staff_only_page_models()
        queryset = queryset.public()
        return queryset.not_type(*staff_only) if staff_only else queryset
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    user_groups = set(user.groups.values_list("pk", flat=True))
    hidden = [
        restriction.page
        for restriction in restrictions
        if restriction.restriction_type == PageViewRestriction.PASSWORD
        or (
            restriction.restriction_type == PageViewRestriction.GROUPS
            and not user.is_superuser
            and not user_groups & {group.pk for group in restriction.groups.all()}
        )
    ]
    for page in hidden:
        queryset = queryset.not_descendant_of(page, inclusive=True)
    return queryset


@dataclass
class SearchHit:
    title: SafeString
    url: str
    kind: str
    snippet: SafeString
    meta: str = ""


@dataclass
class SearchOutcome:
    query: str
    terms: list[str]
    domain: Domain | None
    kind: str
    page_obj: object = None
    hits: list[SearchHit] = field(default_factory=list)
    notice: str = ""

    def add_notice(self, text: str) -> None:
        self.notice = f"{self.notice} {text}".strip()

    @property
    def total(self) -> int:
        return self.page_obj.paginator.count if self.page_obj else 0


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with every occurrence of a term wrapped in <mark>; terms that follow one another
    or overlap (上网 and 服务 in 上网服务, 未成 and 成年人 in 未成年人) share one mark, so the highlight
    does not split the word."""
    if not terms:
        return escape(text)
    marked = [False] * len(text)
    for term in {term for term in terms if term}:
        # A lookahead finds overlapping occurrences too.
        for match in re.finditer(f"(?=({re.escape(term)}))", text, re.IGNORECASE):
            start, end = match.span(1)
            marked[start:end] = [True] * (end - start)
    parts = []
    for is_marked, run in groupby(zip(text, marked, strict=True), key=itemgetter(1)):
        piece = escape("".join(character for character, _ in run))
        parts.append(f"<mark>{piece}</mark>" if is_marked else piece)
    return mark_safe("".join(parts))  # nosec B308 B703: every piece of text is escaped above


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> SafeString:
    """A window of ``text`` around the first term found, highlighted."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    positions = [pos for term in terms if (pos := lowered.find(term.lower())) >= 0]
    start = max(0, min(positions) - width // 4) if positions else 0
    window = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(f"{prefix}{highlight(window, terms)}{suffix}")  # nosec B308 B703: highlight() escapes; prefix and suffix are constants


def _law_hit(law: LawPage, terms: list[str], request) -> SearchHit:
    """A law links to the first article that mentions a term, quoting it."""
    url = law.get_url(request)
    text = law.summary or ""
    parsed = law.parsed()
    if parsed is not None:
        for article in parsed.articles:
            lowered = article.text.lower()
            if any(term.lower() in lowered for term in terms):
                url = f"{url}#{article.anchor}"
                text = f"{article.label}　{article.text}"
                break
    meta = " · ".join(part for part in (law.level, law.issuing_body, law.status) if part)
    return SearchHit(highlight(law.title, terms), url, "法规", snippet(text, terms), meta)


def _hit(page, terms: list[str], request) -> SearchHit:
    if isinstance(page, LawPage):
        return _law_hit(page, terms, request)
    search_text = page.search_text() if hasattr(page, "search_text") else page.search_description
    kind = page._meta.verbose_name
    meta = ""
    if isinstance(page, ExplainerPage):
        meta = " · ".join(
            part
            for part in (
                page.domain.name if page.domain else "",
                localtime(page.first_published_at).strftime("%Y-%m-%d") if page.first_published_at else "",
            )
            if part
        )
    return SearchHit(highlight(page.title, terms), page.get_url(request), str(kind), snippet(search_text, terms), meta)


def site_search(*, request, query: str, domain_slug: str = "", kind: str = "", page_number="1") -> SearchOutcome:
    raw = query or ""
    query = clean_query(raw)
    terms = query_terms(query) if query else []
    domain = Domain.objects.filter(slug=domain_slug).first() if domain_slug else None
    kind = kind if kind in SEARCH_KINDS else ""
    outcome = SearchOutcome(query=query, terms=terms, domain=domain, kind=kind)
    if len(raw.strip()) > MAX_QUERY_CHARS:
        outcome.add_notice(f"搜索词过长，只按前 {MAX_QUERY_CHARS} 个字搜索。")
    if not query:
        return outcome
    if not terms:
        outcome.add_notice("请输入要搜索的字词。")
        return outcome

    if kind:
        pages = SEARCH_KINDS[kind].objects.all()
    elif domain is not None:
        pages = ExplainerPage.objects.all()
    else:
        pages = Page.objects.not_type(HomePage).filter(depth__gt=1)
    if domain is not None and kind == "law":
        pages = pages.none()
        outcome.add_notice("法规不按普法领域分类：在法规中搜索时，请把普法领域选为“全部”。")
    elif domain is not None:
        pages = pages.filter(domain=domain)
    pages = readable_pages(request.user, pages)
    page_obj = Paginator(pages.search(" ".join(terms), operator="and"), RESULTS_PER_PAGE).get_page(page_number)
    if not page_obj.paginator.count and len(terms) > 1:
        # A question typed as it is spoken ("网吧要办许可吗") rarely holds every word in one page: rather
        # than nothing, the pages holding some of its words (single characters such as 要 and 办 are
        # mostly particles there), those with the most and rarest first.
        words = [term for term in terms if len(term) > 1] or terms
        some = Paginator(pages.search(" ".join(words), operator="or"), RESULTS_PER_PAGE).get_page(page_number)
        if some.paginator.count:
            page_obj, terms = some, words
            outcome.terms = words
            outcome.add_notice("没有同时包含全部搜索词的内容，以下结果包含其中部分词语。")
    outcome.page_obj = page_obj
    ids = [page.pk for page in page_obj.object_list]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    _attach_domains(specific.values())
    outcome.hits = [_hit(specific[pk], terms, request) for pk in ids if pk in specific]
    return outcome


def _attach_domains(pages) -> None:
    """The domains the explainer hits show, from one query rather than one per hit."""
    explainers = [page for page in pages if isinstance(page, ExplainerPage) and page.domain_id]
    domains = Domain.objects.in_bulk({page.domain_id for page in explainers})
    for page in explainers:
        page.domain = domains.get(page.domain_id)
