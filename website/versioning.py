"""Publishing a law's text as a version, and where each earlier article stands against the current one.

A published text dated like an existing version corrects that version in place (its article rows are
updated by number, so whatever cites them keeps pointing at the same rows). A new date adds a version:
its articles are new rows, each linked to its predecessor (``articles_compare``), and every earlier
article learns its ``standing`` against the new current version. Citations never move by themselves:
what cites a renumbered, amended or repealed article is flagged until someone confirms or re-points it.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count

from wagtail.models import Page, ReferenceIndex

from website.lawcompare import ArticlePair, articles_compare, version_kind
from website.lawtext import ParsedLaw, parse_law_text
from website.models import ArticleChange, ArticleStanding, LawArticle, LawPage, LawVersion

STEP_STANDING = {
    ArticleChange.SAME: ArticleStanding.UNCHANGED,
    ArticleChange.RENUMBERED: ArticleStanding.RENUMBERED,
    ArticleChange.CHANGED: ArticleStanding.AMENDED,
}
SEVERITY = [ArticleStanding.UNCHANGED, ArticleStanding.RENUMBERED, ArticleStanding.AMENDED, ArticleStanding.REPEALED]
ARTICLE_FIELDS = ("label", "chapter", "section", "text", "sort_order", "is_current")


@dataclass(frozen=True)
class VersionPublished:
    version: LawVersion
    created: bool
    flagged: int  # earlier articles whose standing the new version made renumbered, amended or repealed


def current_version(law: LawPage) -> LawVersion | None:
    """The version published last: its articles are the current ones."""
    return LawVersion.objects.filter(law=law).order_by("-published_at", "-pk").first()


def _article_values(parsed: ParsedLaw) -> list[tuple[int, dict]]:
    return [
        (
            article.number,
            {
                "label": article.label,
                "chapter": article.chapter,
                "section": article.section,
                "text": article.text,
                "sort_order": order,
                "is_current": True,
            },
        )
        for order, article in enumerate(parsed.articles, start=1)
    ]


@transaction.atomic
def law_version_publish(*, law: LawPage, now: datetime.datetime) -> VersionPublished:
    """Record the law's published text as its version dated ``promulgated_on`` (called on every publish)."""
    LawPage.objects.select_for_update().filter(pk=law.pk).first()  # one publish of a law at a time
    parsed = parse_law_text(law.text)
    fields = {
        "kind": version_kind(parsed.preamble),
        "effective_on": law.effective_on,
        "document_number": law.document_number,
        "text": law.text,
        "published_at": now,
    }
    version = LawVersion.objects.filter(law=law, version_date=law.promulgated_on).first()
    if version is not None:
        for name, value in fields.items():
            setattr(version, name, value)
        version.save()
        _sync_in_place(version=version, parsed=parsed)
        return VersionPublished(version=version, created=False, flagged=0)
    previous = current_version(law)
    version = LawVersion.objects.create(law=law, version_date=law.promulgated_on, **fields)
    flagged = _add_articles(version=version, previous=previous, parsed=parsed)
    return VersionPublished(version=version, created=True, flagged=flagged)


def _sync_in_place(*, version: LawVersion, parsed: ParsedLaw) -> None:
    """A corrected text of the same version: rows updated by number; an article gone from it is repealed."""
    # of=("self",): the manager joins the (nullable) version; PostgreSQL cannot lock the nullable side of an outer join.
    existing = {row.number: row for row in LawArticle.objects.filter(version=version).select_for_update(of=("self",))}
    created, updated = [], []
    for number, values in _article_values(parsed):
        row = existing.pop(number, None)
        if row is None:
            created.append(LawArticle(law=version.law, version=version, number=number, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            updated.append(row)
    LawArticle.objects.bulk_create(created)
    LawArticle.objects.bulk_update(updated, ARTICLE_FIELDS)
    LawArticle.objects.filter(pk__in=[row.pk for row in existing.values() if row.is_current]).update(
        is_current=False, standing=ArticleStanding.REPEALED, standing_since=version.version_date
    )


def _add_articles(*, version: LawVersion, previous: LawVersion | None, parsed: ParsedLaw) -> int:
    old = list(LawArticle.objects.filter(version=previous, is_current=True)) if previous else []
    pairs = articles_compare(old, list(parsed.articles)) if old else []
    by_number = {pair.new.number: pair for pair in pairs if pair.new is not None}
    rows = []
    for number, values in _article_values(parsed):
        pair = by_number.get(number)
        rows.append(
            LawArticle(
                law=version.law,
                version=version,
                number=number,
                previous=pair.old if pair else None,
                change=pair.change if pair else "",
                **values,
            )
        )
    LawArticle.objects.bulk_create(rows)
    if not old:
        return 0
    new_rows = {row.number: row for row in rows}
    return _supersede(old=old, pairs=pairs, new_rows=new_rows, since=version.version_date)


def _supersede(*, old: list[LawArticle], pairs: list[ArticlePair], new_rows: dict, since) -> int:
    """The previous version's articles, and every earlier article that led to them, against the new version."""
    step = {}
    for pair in pairs:
        if pair.old is None:
            continue
        successor = new_rows[pair.new.number] if pair.new is not None else None
        standing = STEP_STANDING.get(pair.change, ArticleStanding.REPEALED)
        step[pair.old.pk] = (successor, standing)
    changed = []
    for row in old:
        successor, standing = step[row.pk]
        row.is_current, row.successor, row.standing = False, successor, standing
        row.standing_since = since if standing != ArticleStanding.UNCHANGED else None
        changed.append(row)
    earlier = LawArticle.objects.filter(successor__in=[row.pk for row in old]).select_for_update(of=("self",))
    for row in earlier:
        successor, standing = step[row.successor_id]
        row.successor = successor
        if standing != ArticleStanding.UNCHANGED:
            row.standing = max(row.standing, standing, key=SEVERITY.index)
            row.standing_since = since
        changed.append(row)
    LawArticle.objects.bulk_update(changed, ("is_current", "successor", "standing", "standing_since"))
    return sum(1 for row in changed if row.standing != ArticleStanding.UNCHANGED)


@dataclass(frozen=True)
class VersionComparison:
    """What publishing ``text`` would do to the law's current version, article by article, for the editor."""

    current: LawVersion | None
    pairs: list[ArticlePair]
    citing_questions: dict[int, int]  # old article pk → questions citing it

    def count(self, change: str) -> int:
        return sum(1 for pair in self.pairs if pair.change == change)

    @property
    def counts(self) -> list[tuple[str, int]]:
        labels = {"same": "未变", "renumbered": "条号变动", "changed": "修改", "new": "新增", "repealed": "删除"}
        return [(label, self.count(change)) for change, label in labels.items()]

    @property
    def changes(self) -> list[ArticlePair]:
        """The pairs an editor must look at: all but the unchanged."""
        return [pair for pair in self.pairs if pair.change != "same"]


def version_compare(*, law: LawPage, parsed: ParsedLaw) -> VersionComparison:
    """Compare a new text with the law's current version (nothing to compare for a law never published)."""
    current = current_version(law) if law.pk else None
    if current is None:
        return VersionComparison(current=None, pairs=[], citing_questions={})
    old = list(LawArticle.objects.filter(version=current, is_current=True).annotate(citing=Count("questions")))
    return VersionComparison(
        current=current,
        pairs=articles_compare(old, list(parsed.articles)),
        citing_questions={row.pk: row.citing for row in old},
    )


@dataclass(frozen=True)
class CitingPage:
    page: Page
    articles: list[LawArticle]  # the superseded articles it quotes


def pages_citing_superseded() -> list[CitingPage]:
    """Pages (explainers, lessons) quoting an article a newer version renumbered, amended or repealed,
    from Wagtail's reference index: they are flagged until their editor quotes the current article."""
    superseded = {str(row.pk): row for row in LawArticle.objects.superseded()}
    if not superseded:
        return []
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ReferenceIndex._get_base_content_type(LawArticle),
        to_object_id__in=list(superseded),
    ).values_list("object_id", "to_object_id")
    by_page: dict[int, list[LawArticle]] = {}
    for object_id, to_object_id in references:
        articles = by_page.setdefault(int(object_id), [])
        if superseded[to_object_id] not in articles:
            articles.append(superseded[to_object_id])
    pages = Page.objects.filter(pk__in=by_page).specific().order_by("title")
    return [CitingPage(page=page, articles=by_page[page.pk]) for page in pages]
