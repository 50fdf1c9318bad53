"""Which listed laws were publicised this year, and by what.

Explainers and course pages that cite a law (a link to the law page, a quoted article) are
found through Wagtail's ReferenceIndex, so any app's pages count as soon as they reference a
law; campaigns count through their own law links. Other models that cite laws (the exam
question bank) are not publicity and do not count. Results are grouped by the referring model.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.models import Page, ReferenceIndex

from campaigns.models import Campaign, ResponsibilityList
from website.models import LawArticle, LawPage


@dataclass
class Source:
    title: str
    url: str


@dataclass
class SourceGroup:
    label: str  # 普法活动, 以案释法, 课程 …
    app_label: str
    model: str
    items: list[Source] = field(default_factory=list)


@dataclass
class LawCoverage:
    law: LawPage
    departments: list[str]
    groups: list[SourceGroup]

    @property
    def covered(self) -> bool:
        return any(group.items for group in self.groups)

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.groups)


def _in_year(page: Page, year: int) -> bool:
    if not page.live:
        return False
    dates = [
        value
        for value in (page.first_published_at, page.last_published_at, page.latest_revision_created_at)
        if value is not None
    ]
    if not dates:  # created live in code, never published through the editor: live now
        return year == timezone.localdate().year
    return any(timezone.localtime(value).year == year for value in dates)


def _referrers(law_ids: set[int], year: int) -> dict[int, dict[tuple[str, str], list[Source]]]:
    """law id -> (app label, model) -> sources, for every live object referencing the law or its articles."""
    law_ct = ReferenceIndex._get_base_content_type(LawPage)
    article_ct = ReferenceIndex._get_base_content_type(LawArticle)
    article_law = dict(LawArticle.objects.filter(law_id__in=law_ids).values_list("pk", "law_id"))
    references = ReferenceIndex.objects.filter(
        to_content_type=law_ct, to_object_id__in=[str(pk) for pk in law_ids]
    ) | ReferenceIndex.objects.filter(to_content_type=article_ct, to_object_id__in=[str(pk) for pk in article_law])
    by_object: dict[tuple[int, str], set[int]] = defaultdict(set)
    for content_type_id, object_id, to_ct, to_id in references.values_list(
        "content_type_id", "object_id", "to_content_type_id", "to_object_id"
    ):
        law_id = int(to_id) if to_ct == law_ct.pk else article_law.get(int(to_id))
        if law_id is not None:
            by_object[(content_type_id, object_id)].add(law_id)

    found: dict[int, dict[tuple[str, str], list[Source]]] = defaultdict(lambda: defaultdict(list))
    by_type: dict[int, list[str]] = defaultdict(list)
    for content_type_id, object_id in by_object:
        by_type[content_type_id].append(object_id)
    for content_type_id, object_ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        # Only pages are publicity (explainers, course lessons): a question in the exam bank citing a law
        # publicises nothing, and it has no year, so counting it would mark the law covered every year.
        if model is None or not issubclass(model, Page) or model is LawPage:
            continue
        for obj in model._default_manager.filter(pk__in=object_ids):
            if not _in_year(obj, year):
                continue
            source = Source(title=obj.title, url=obj.get_url() or "")
            for law_id in by_object[(content_type_id, str(obj.pk))]:
                found[law_id][(model._meta.app_label, model._meta.model_name)].append(source)
    return found


def law_coverage(year: int) -> list[LawCoverage]:
    """Every law on a responsibility list of ``year``, with what publicised it in that year."""
    lists = ResponsibilityList.objects.for_year(year).select_related("department").prefetch_related("laws")
    departments: dict[int, list[str]] = defaultdict(list)
    laws: dict[int, LawPage] = {}
    for item in lists:
        for law in item.laws.all():
            laws[law.pk] = law
            departments[law.pk].append(item.department.short_name or item.department.name)
    if not laws:
        return []
    campaign_sources: dict[int, list[Source]] = defaultdict(list)
    for campaign in (
        Campaign.objects.for_year(year).active().filter(laws__in=list(laws)).prefetch_related("laws").distinct()
    ):
        for law in campaign.laws.all():
            if law.pk in laws:
                campaign_sources[law.pk].append(Source(title=campaign.title, url=campaign.get_absolute_url()))
    referrers = _referrers(set(laws), year)
    result = []
    for law_id, law in sorted(laws.items(), key=lambda pair: pair[1].title):
        groups = [
            SourceGroup(label="普法活动", app_label="campaigns", model="campaign", items=campaign_sources[law_id])
        ]
        for (app_label, model_name), items in sorted(referrers.get(law_id, {}).items()):
            model = apps.get_model(app_label, model_name)
            groups.append(
                SourceGroup(
                    label=str(model._meta.verbose_name),
                    app_label=app_label,
                    model=model_name,
                    items=sorted(items, key=lambda source: source.title),
                )
            )
        result.append(LawCoverage(law=law, departments=departments[law_id], groups=groups))
    # Laws nobody publicised first: they are the ones to act on.
    return sorted(result, key=lambda item: (item.covered, item.law.title))
