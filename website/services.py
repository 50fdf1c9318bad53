"""Writes for the public site."""

from dataclasses import dataclass

from django.db import transaction

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
