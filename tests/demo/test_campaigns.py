"""seed_demo's campaigns: the key dates, the departments' lists, this year's plan walked through up to today
and reported, the month's campaign around today, and next year left for the plan button; all created once
however often the demo runs."""

import datetime
import io

import pytest

from django.core.management import call_command
from django.utils import timezone

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
from demo import campaigns as campaigns_demo

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (KeyDate, ResponsibilityList, Campaign, Milestone, Event, ApprovalRecord, EventOutcome)
    )


def test_the_demo_plans_this_year_leaves_next_year_to_the_button_and_runs_once(clock):
    """One test, as seed_demo takes most of a minute: it runs twice and everything below is checked on the result."""
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first  # a second run adds nothing anywhere
    _key_dates_and_the_enforcing_departments_lists(clock.year)
    _this_years_plan_is_done_and_reported_up_to_today(clock.year, clock.today)
    _the_months_campaign_has_public_events_in_the_next_four_weeks(clock.now)
    _next_year_is_unplanned_and_the_plan_button_drafts_it_once(clock.year + 1)


def _key_dates_and_the_enforcing_departments_lists(year):
    assert set(KeyDate.objects.values_list("name", flat=True)) == {row[0] for row in campaigns_demo.KEY_DATES}
    listed = set(ResponsibilityList.objects.filter(year=year).values_list("department__name", flat=True))
    assert listed == {row[0] for row in campaigns_demo.LISTS}
    enforcement = ResponsibilityList.objects.get(year=year, department__name="文化市场综合行政执法队")
    assert enforcement.laws.filter(title="中华人民共和国著作权法").exists()


def _this_years_plan_is_done_and_reported_up_to_today(year, today):
    this_year = Campaign.objects.filter(year=year, planned=True)
    assert this_year.count() == len(key_date_occurrences(year))
    done = this_year.filter(end_date__lt=today)
    assert set(done.values_list("status", flat=True)) <= {CampaignStatus.APPROVED}
    assert not done.filter(summary="").exists()
    assert EventOutcome.objects.filter(event__campaign__in=done).count() >= done.count()
    ahead = this_year.filter(start_date__gt=today)
    assert set(ahead.exclude(key_date__name="宪法宣传周").values_list("status", flat=True)) <= {CampaignStatus.APPROVED}
    # 宪法宣传周, while still ahead, waits for demo-head, who heads 执法队.
    assert set(ahead.filter(key_date__name="宪法宣传周").values_list("status", flat=True)) <= {CampaignStatus.SUBMITTED}
    assert not Milestone.objects.filter(campaign__in=this_year, due_on__lt=today, done_at__isnull=True).exclude(
        campaign__status=CampaignStatus.SUBMITTED
    )


def _the_months_campaign_has_public_events_in_the_next_four_weeks(now):
    soon = Event.objects.upcoming_public(now).filter(starts_at__gt=now, starts_at__lt=now + datetime.timedelta(weeks=4))
    assert {event.title for event in soon} >= {row[0] for row in campaigns_demo.MONTH_EVENTS}
    month = Campaign.objects.get(
        title=campaigns_demo.MONTH_TITLE.format(year=now.year, month=timezone.localdate(now).month)
    )
    assert month.status == CampaignStatus.APPROVED and not month.planned


def _next_year_is_unplanned_and_the_plan_button_drafts_it_once(next_year):
    assert not Campaign.objects.filter(year=next_year, planned=True).exists()
    occurrences = {occurrence.name: occurrence for occurrence in key_date_occurrences(next_year)}
    assert len(occurrences) == len(campaigns_demo.KEY_DATES) == 10  # every demo key date began long ago

    result = plan_year(year=next_year)  # the plan button, pressed on the seeded demo
    assert sorted(campaign.key_date.name for campaign in result.created) == sorted(occurrences)
    drafts = list(
        Campaign.objects.filter(year=next_year)
        .select_related("key_date", "lead_department")
        .prefetch_related("milestones", "events")
    )
    assert sorted(campaign.key_date.name for campaign in drafts) == sorted(occurrences)
    steps = [(name, offset) for name, offset, _rule in campaigns_demo.MILESTONES]
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

    again = plan_year(year=next_year)  # pressed a second time
    assert again.created == [] and sorted(again.existing) == sorted(occurrences)
    assert again.summary() == f"{next_year}年计划：新建 0 项活动草稿，已有 10 项未重复创建。"
    assert Campaign.objects.filter(year=next_year).count() == 10
