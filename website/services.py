"""Writes for the public site."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction

from wagtail.models import Site

from website.cache import page_cache_clear
from website.lawtext import parse_law_text
from website.models import LawArticle, LawPage


@dataclass(frozen=True)
class ArticleSyncResult:
    created: int
    updated: int
    retired: int
    unchanged: int


@transaction.atomic
def law_articles_sync(*, law: LawPage) -> ArticleSyncResult:
    """Bring the law's LawArticle rows in line with its published text, matching by article number.

    Rows are updated in place, so questions, lessons and quotes that point at an article keep
    pointing at the same row; an article missing from the new text is kept but marked not current.
    """
    parsed = parse_law_text(law.text)
    existing = {article.number: article for article in LawArticle.objects.filter(law=law).select_for_update()}
    created, updated, unchanged = [], [], 0
    fields = ("label", "chapter", "section", "text", "sort_order", "is_current")
    for order, parsed_article in enumerate(parsed.articles, start=1):
        values = {
            "label": parsed_article.label,
            "chapter": parsed_article.chapter,
            "section": parsed_article.section,
            "text": parsed_article.text,
            "sort_order": order,
            "is_current": True,
        }
        row = existing.pop(parsed_article.number, None)
        if row is None:
            created.append(LawArticle(law=law, number=parsed_article.number, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            updated.append(row)
        else:
            unchanged += 1
    LawArticle.objects.bulk_create(created)
    LawArticle.objects.bulk_update(updated, fields)
    retired = LawArticle.objects.filter(pk__in=[row.pk for row in existing.values() if row.is_current]).update(
        is_current=False
    )
    return ArticleSyncResult(created=len(created), updated=len(updated), retired=retired, unchanged=unchanged)


def site_address_sync(*, base_url: str) -> bool:
    """Give the default Wagtail site the public address (``SITE_URL``); True when it changed.

    Wagtail builds full page URLs from its site record, not from the request: ``sitemap.xml`` and
    each page's canonical link and ``og:url`` (what WeChat shares) would otherwise name the
    placeholder ``http://localhost`` the first migration wrote.
    """
    parts = urlsplit(base_url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if Site.objects.filter(hostname=parts.hostname, port=port).exclude(is_default_site=True).exists():
        return False  # another site record already answers to that address
    changed = (
        Site.objects.filter(is_default_site=True)
        .exclude(hostname=parts.hostname, port=port)
        .update(hostname=parts.hostname, port=port)
    )
    if changed:
        Site.clear_site_root_paths_cache()
        page_cache_clear()
    return bool(changed)
