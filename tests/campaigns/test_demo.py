"""seed_demo's campaigns: the key dates, the departments' lists, 2026's plan walked through and reported, and
2027's draft plan (what the plan button makes), all created once however often the demo runs."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.core.management import call_command

from campaigns import demo
from campaigns.models import (
    ApprovalRecord,
    Campaign,
    CampaignStatus,
    Event,
    EventOutcome,
    KeyDate,
    Milestone,
    ResponsibilityList,
)
from campaigns.occurrences import key_date_occurrences
from campaigns.services import plan_year

pytestmark = pytest.mark.django_db

SEEDED_AT = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # as the journeys seed it
NEXT_YEAR = demo.YEAR + 1


def counts():
    return tuple(
        model.objects.count()
        for model in (KeyDate, ResponsibilityList, Campaign, Milestone, Event, ApprovalRecord, EventOutcome)
    )


def test_the_demo_plans_this_year_drafts_next_year_and_runs_once():
    """One test, as seed_demo takes most of a minute: it runs twice and everything below is checked on the result."""
    with time_machine.travel(SEEDED_AT, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        first = counts()
        call_command("seed_demo", stdout=io.StringIO())
        assert counts() == first  # a second run adds nothing anywhere
    _key_dates_and_the_enforcing_departments_lists()
    _this_years_plan_has_campaigns_done_and_reported()
    _next_years_draft_plan_is_what_the_plan_button_makes_and_is_made_once()


def _key_dates_and_the_enforcing_departments_lists():
    assert set(KeyDate.objects.values_list("name", flat=True)) == {row[0] for row in demo.KEY_DATES}
    listed = set(ResponsibilityList.objects.filter(year=demo.YEAR).values_list("department__name", flat=True))
    assert listed == {row[0] for row in demo.LISTS}
    enforcement = ResponsibilityList.objects.get(year=demo.YEAR, department__name="文化市场综合行政执法队")
    assert enforcement.laws.filter(title="中华人民共和国著作权法").exists()


def _this_years_plan_has_campaigns_done_and_reported():
    this_year = Campaign.objects.filter(year=demo.YEAR, planned=True)
    assert this_year.count() == len(key_date_occurrences(demo.YEAR))
    done = this_year.filter(status=CampaignStatus.APPROVED, end_date__lt=SEEDED_AT.date()).exclude(summary="")
    assert done.count() >= 5
    assert EventOutcome.objects.filter(event__campaign__in=done).count() >= done.count()
    assert this_year.filter(status=CampaignStatus.SUBMITTED, key_date__name="宪法宣传周").exists()


def _next_years_draft_plan_is_what_the_plan_button_makes_and_is_made_once():
    occurrences = {occurrence.name: occurrence for occurrence in key_date_occurrences(NEXT_YEAR)}
    assert len(occurrences) == len(demo.KEY_DATES) == 10  # every demo key date began before 2027
    drafts = list(
        Campaign.objects.filter(year=NEXT_YEAR)
        .select_related("key_date", "lead_department")
        .prefetch_related("milestones", "events")
    )
    assert sorted(campaign.key_date.name for campaign in drafts) == sorted(occurrences)
    steps = [(name, offset) for name, offset, _rule in demo.MILESTONES]
    for campaign in drafts:
        occurrence = occurrences[campaign.key_date.name]
        assert campaign.planned and campaign.status == CampaignStatus.DRAFT, campaign.title
        assert (campaign.start_date, campaign.end_date) == (occurrence.start, occurrence.end)
        milestones = sorted(campaign.milestones.all(), key=lambda milestone: milestone.offset_days)
        assert [(m.name, m.offset_days) for m in milestones] == steps, campaign.title
        assert all(m.due_on == occurrence.start + datetime.timedelta(days=m.offset_days) for m in milestones)
        assert all(m.done_at is None and m.assignee_id for m in milestones), campaign.title
        assert len(campaign.events.all()) == 1, campaign.title
    leads = {campaign.key_date.name: campaign.lead_department.name for campaign in drafts}
    assert leads["国际消费者权益日"] == leads["世界知识产权日"] == "文化市场综合行政执法队"
    assert leads["国际博物馆日"] == "文物与博物馆处"

    result = plan_year(year=NEXT_YEAR)  # the plan button, pressed on the seeded demo
    assert result.created == [] and sorted(result.existing) == sorted(occurrences)
    assert result.summary() == "2027年计划：新建 0 项活动草稿，已有 10 项未重复创建。"
    assert Campaign.objects.filter(year=NEXT_YEAR).count() == 10
