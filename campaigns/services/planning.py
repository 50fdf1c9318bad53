"""Yearly plans: a draft campaign for every key date, led by the department whose list matches."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import lifecycle
from campaigns.models import (
    ApprovalRecord,
    AssigneeRule,
    Campaign,
    CampaignTemplate,
    Event,
    KeyDate,
    Milestone,
    ResponsibilityList,
)
from campaigns.occurrences import KeyDateOccurrence, key_date_occurrences
from campaigns.services.errors import CampaignError
from organisation.heads import heads
from organisation.validators import YEAR_MAX, YEAR_MIN, parse_year

# How strongly a responsibility list claims a key date: named outright, through a law, through a domain.
MATCH_KEY_DATE, MATCH_LAW, MATCH_DOMAIN = 3, 2, 1


@dataclass
class PlanResult:
    year: int
    created: list[Campaign] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    without_lead: list[str] = field(default_factory=list)
    lists_year: dict[int, int] = field(default_factory=dict)  # department id -> the year of the list used

    def summary(self) -> str:
        text = f"{self.year}年计划：新建 {len(self.created)} 项活动草稿"
        if self.existing:
            text += f"，已有 {len(self.existing)} 项未重复创建"
        if self.without_lead:
            text += f"，{len(self.without_lead)} 项未匹配到牵头处室（{'、'.join(self.without_lead)}）"
        return text + "。"

    def stale_lists_warning(self) -> str:
        """Said when some departments' leads were matched on an earlier year's responsibility list."""
        stale = sorted({listed for listed in self.lists_year.values() if listed < self.year})
        if not stale:
            return ""
        years = "、".join(map(str, stale))
        return f"部分处室尚无{self.year}年普法责任清单，按其{years}年清单匹配牵头处室，请及时更新清单。"


def _lists_for(year: int) -> list[ResponsibilityList]:
    """Each department's list for the year, or its most recent earlier one when this year's is not written yet."""
    latest: dict[int, ResponsibilityList] = {}
    candidates = (
        ResponsibilityList.objects.filter(year__lte=year, department__is_active=True)
        .select_related("department", "liaison")
        .prefetch_related("key_dates", "laws", "domains", "audiences")
        .order_by("department_id", "-year")
    )
    for item in candidates:
        latest.setdefault(item.department_id, item)
    return sorted(latest.values(), key=lambda item: (item.department.sort_order, item.department.name))


def match_lead(key_date, lists: list[ResponsibilityList]) -> tuple[ResponsibilityList | None, list[ResponsibilityList]]:
    """The list that leads this key date's campaign and the others that match as partners.

    A list naming the key date outright wins over one sharing a law with it, which wins over
    one sharing its domain; ties go to the department listed first (its sort order).
    """
    key_date_law_ids = {law.pk for law in key_date.laws.all()}
    scored = []
    for order, item in enumerate(lists):
        score = 0
        if any(kd.pk == key_date.pk for kd in item.key_dates.all()):
            score = MATCH_KEY_DATE
        elif key_date_law_ids & {law.pk for law in item.laws.all()}:
            score = MATCH_LAW
        elif key_date.domain_id and any(domain.pk == key_date.domain_id for domain in item.domains.all()):
            score = MATCH_DOMAIN
        if score:
            scored.append((-score, order, item))
    if not scored:
        return None, []
    scored.sort(key=lambda entry: entry[:2])
    return scored[0][2], [entry[2] for entry in scored[1:]]


def _heads_by_department() -> dict[int, object]:
    found = {}
    for user in heads().select_related("staff_profile").order_by("pk"):
        found.setdefault(user.staff_profile.department_id, user)
    return found


def _assignee(rule: str, *, coordinator, head):
    if rule == AssigneeRule.HEAD:
        return head or coordinator
    if rule == AssigneeRule.COORDINATOR:
        return coordinator or head
    return None


def _event_window(template: CampaignTemplate, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    starts_at = datetime.datetime.combine(day, template.event_start_time, tzinfo=tz)
    return starts_at, starts_at + datetime.timedelta(minutes=max(template.event_minutes, 15))


def _create_planned(occurrence: KeyDateOccurrence, *, lead, partners, template, heads, actor) -> Campaign:
    key_date = occurrence.key_date
    coordinator = lead.liaison if lead else None
    head = heads.get(lead.department_id) if lead else None
    campaign = Campaign.objects.create(
        year=occurrence.year,
        title=f"{occurrence.year}年{key_date.name}普法宣传活动",
        key_date=key_date,
        start_date=occurrence.start,
        end_date=occurrence.end,
        lead_department=lead.department if lead else None,
        coordinator=coordinator,
        template=template,
        planned=True,
        description=key_date.description,
        created_by=actor,
    )
    if partners:
        campaign.partner_departments.set([item.department for item in partners])
    if lead:
        campaign.audiences.set(lead.audiences.all())
        law_ids = {law.pk for law in key_date.laws.all()} or {law.pk for law in lead.laws.all()}
        campaign.laws.set(law_ids)
    if template is not None:
        Milestone.objects.bulk_create(
            Milestone(
                campaign=campaign,
                name=step.name,
                offset_days=step.offset_days,
                due_on=occurrence.start + datetime.timedelta(days=step.offset_days),
                assignee=_assignee(step.assignee_rule, coordinator=coordinator, head=head),
            )
            for step in template.milestones.all()
        )
        if template.event_kind:
            starts_at, ends_at = _event_window(template, occurrence.start)
            event = Event.objects.create(
                campaign=campaign,
                title=f"{key_date.name}主题宣传活动",
                kind=template.event_kind,
                starts_at=starts_at,
                ends_at=ends_at,
                place=template.event_place,
                description=key_date.description,
            )
            if coordinator:
                event.staff.add(coordinator)
    ApprovalRecord.objects.create(
        campaign=campaign,
        action=ApprovalRecord.Action.CREATE,
        to_status=campaign.status,
        actor=actor,
        comment="由年度计划生成",
    )
    return campaign


def plan_year(*, year: int, actor=None) -> PlanResult:
    """Create a draft campaign for every key-date occurrence of ``year`` that has none yet.

    Safe to run any number of times, even at once: the unique constraint on (key date, year)
    for planned campaigns refuses a second one, and that occurrence is reported as existing.
    """
    if parse_year(year) is None:
        raise CampaignError(f"年度应在 {YEAR_MIN} 至 {YEAR_MAX} 之间。")
    result = PlanResult(year=year)
    lists = _lists_for(year)
    result.lists_year = {item.department_id: item.year for item in lists}
    templates = {template.pk: template for template in CampaignTemplate.objects.prefetch_related("milestones")}
    default = next((template for template in templates.values() if template.is_default), None)
    heads = _heads_by_department()
    planned = set(Campaign.objects.filter(year=year, planned=True).values_list("key_date_id", flat=True))
    # Each key date's laws are read twice (matching a lead, then the campaign's laws): loaded once for all.
    occurrences = key_date_occurrences(year, KeyDate.objects.active().prefetch_related("laws"))
    for occurrence in occurrences:
        key_date = occurrence.key_date
        if key_date.pk in planned:
            result.existing.append(key_date.name)
            continue
        lead, partners = match_lead(key_date, lists)
        template = templates.get(key_date.template_id) or default
        try:
            with transaction.atomic():
                campaign = _create_planned(
                    occurrence, lead=lead, partners=partners, template=template, heads=heads, actor=actor
                )
        except IntegrityError:
            result.existing.append(key_date.name)  # another run created it a moment ago
            continue
        result.created.append(campaign)
        if lead is None:
            result.without_lead.append(key_date.name)
    return result


CAMPAIGN_FIELDS = (
    "title",
    "key_date",
    "start_date",
    "end_date",
    "lead_department",
    "coordinator",
    "description",
    "budget",
    "summary",
)
CAMPAIGN_M2M = ("partner_departments", "laws", "audiences")


@transaction.atomic
def campaign_create(*, actor, data: dict) -> Campaign:
    """A campaign planned by hand (not from a key date's rule)."""
    lifecycle.check_create(actor=actor)
    campaign = Campaign(created_by=actor, year=data["start_date"].year)
    for name in CAMPAIGN_FIELDS:
        if name in data:
            setattr(campaign, name, data[name])
    if campaign.start_date > campaign.end_date:
        raise CampaignError("结束日期不能早于开始日期。")
    campaign.save()
    for name in CAMPAIGN_M2M:
        if name in data:
            getattr(campaign, name).set(data[name])
    ApprovalRecord.objects.create(
        campaign=campaign, action=ApprovalRecord.Action.CREATE, to_status=campaign.status, actor=actor
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor, data: dict) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    lifecycle.check("edit", campaign=campaign, actor=actor)
    moved = "start_date" in data and data["start_date"] != campaign.start_date
    for name in CAMPAIGN_FIELDS:
        if name in data:
            setattr(campaign, name, data[name])
    if campaign.start_date > campaign.end_date:
        raise CampaignError("结束日期不能早于开始日期。")
    if moved:
        # Milestones placed relative to the key date follow it when the date moves.
        for milestone in campaign.milestones.filter(offset_days__isnull=False, done_at__isnull=True):
            milestone.due_on = campaign.start_date + datetime.timedelta(days=milestone.offset_days)
            milestone.sequence += 1
            milestone.save(update_fields=["due_on", "sequence"])
    if not campaign.planned:  # a planned campaign stays in its plan's year
        campaign.year = campaign.start_date.year
    campaign.save()
    for name in CAMPAIGN_M2M:
        if name in data:
            getattr(campaign, name).set(data[name])
    if campaign.is_approved:
        ApprovalRecord.objects.create(
            campaign=campaign,
            action=ApprovalRecord.Action.CHANGE,
            from_status=campaign.status,
            to_status=campaign.status,
            actor=actor,
            comment="修改活动方案",
        )
    return campaign
