import datetime

import pytest

from django.urls import reverse

from campaigns.models import HolidayYear, KeyDate
from campaigns.occurrences import key_date_occurrences
from campaigns.workdays import DayKind, WorkdayCalendar
from tests.clock import SUITE_YEAR, nth_weekday, on

pytestmark = pytest.mark.django_db

NEXT_YEAR = SUITE_YEAR + 1


def formset(prefix, rows, **extra):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def test_publicity_enters_next_years_holiday_arrangement_in_the_admin(client, world):
    client.force_login(world.users["publicity"])
    assert client.get(reverse("holidays:add")).status_code == 200
    worked_sunday = nth_weekday(NEXT_YEAR, 9, 6, -1)  # the last Sunday of September
    data = {
        "year": str(NEXT_YEAR),
        "source": f"国务院办公厅关于{NEXT_YEAR}年部分节假日安排的通知",
        "notes": "",
        **formset(
            "periods",
            [
                {"name": "国庆节", "kind": "holiday", "start": f"{NEXT_YEAR}-10-01", "end": f"{NEXT_YEAR}-10-07"},
                {
                    "name": "国庆节",
                    "kind": "workday",
                    "start": worked_sunday.isoformat(),
                    "end": worked_sunday.isoformat(),
                },
            ],
        ),
    }
    response = client.post(reverse("holidays:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = HolidayYear.objects.get(year=NEXT_YEAR)
    assert year.periods.count() == 2
    calendar = WorkdayCalendar.load([NEXT_YEAR])
    assert calendar.day(on(10, 5, year=NEXT_YEAR)).kind == DayKind.HOLIDAY
    assert calendar.day(worked_sunday).kind == DayKind.WORKING_WEEKEND


def test_a_period_ending_before_it_starts_is_refused(client, world):
    client.force_login(world.users["publicity"])
    data = {
        "year": str(NEXT_YEAR),
        "source": "通知",
        **formset(
            "periods", [{"name": "春节", "kind": "holiday", "start": f"{NEXT_YEAR}-02-10", "end": f"{NEXT_YEAR}-02-01"}]
        ),
    }
    response = client.post(reverse("holidays:add"), data)
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not HolidayYear.objects.exists()


def test_an_admin_adds_a_key_date_with_an_official_override(client, world):
    client.force_login(world.users["publicity"])
    data = {
        "name": "宪法宣传周",
        "kind": "period",
        "month": "12",
        "day": "4",
        "offset_days": "-3",
        "length_days": "7",
        "first_year": "2018",
        "description": "",
        "sort_order": "0",
        "is_active": "on",
        **formset(
            "overrides",
            [{"year": "2022", "start": "2022-12-04", "end": "2022-12-10", "source": "全国普法办通知"}],
        ),
    }
    response = client.post(reverse("key_dates:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    key_date = KeyDate.objects.get(name="宪法宣传周")
    assert key_date.rule_text == "每年自12月4日前3天起，为期7天（2018年起）"
    spans = {year: key_date_occurrences(year)[0] for year in (2022, 2023)}
    assert (spans[2022].start, spans[2022].end) == (datetime.date(2022, 12, 4), datetime.date(2022, 12, 10))
    assert (spans[2023].start, spans[2023].end) == (datetime.date(2023, 12, 1), datetime.date(2023, 12, 7))


def test_an_nth_weekday_key_date_without_its_weekday_is_refused(client, world):
    client.force_login(world.users["publicity"])
    data = {
        "name": "错误节点",
        "kind": "nth_weekday",
        "month": "6",
        "offset_days": "0",
        "length_days": "1",
        "sort_order": "0",
        **formset("overrides", []),
    }
    response = client.post(reverse("key_dates:add"), data)
    assert response.status_code == 200
    assert "请选择星期几" in response.content.decode()
    assert not KeyDate.objects.exists()


def _campaign_form(world, **fields):
    return {
        "title": "后台新建的普法活动",
        "start_date": f"{NEXT_YEAR}-03-01",
        "end_date": f"{NEXT_YEAR}-03-02",
        "lead_department": str(world.a.pk),
        "coordinator": "",
        "description": "",
        "budget": "",
        "summary": "",
        **fields,
    }


def test_a_campaign_created_in_the_admin_gets_its_year_and_an_audit_record(client, world):
    from campaigns.models import Campaign

    client.force_login(world.users["publicity"])
    response = client.post(reverse("campaign_admin:add"), _campaign_form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(title="后台新建的普法活动")
    assert (campaign.year, campaign.status, campaign.lead_department) == (NEXT_YEAR, "draft", world.a)
    assert list(campaign.approval_records.values_list("action", "actor")) == [("create", world.users["publicity"].pk)]


def test_moving_a_campaign_in_the_admin_moves_its_milestones(client, world):
    from campaigns.models import Milestone
    from tests.campaigns.helpers import campaign

    start = on(3, 15, year=NEXT_YEAR)
    plan = campaign(lead=world.a, start=start)
    milestone = Milestone.objects.create(
        campaign=plan, name="方案报批", offset_days=-30, due_on=start - datetime.timedelta(days=30)
    )
    client.force_login(world.users["publicity"])
    moved = start + datetime.timedelta(days=5)
    data = _campaign_form(world, title=plan.title, start_date=moved.isoformat(), end_date=moved.isoformat())
    response = client.post(reverse("campaign_admin:edit", args=[plan.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    milestone.refresh_from_db()
    assert (milestone.due_on, milestone.sequence) == (moved - datetime.timedelta(days=30), 1)
    # Saving again without moving it leaves the milestones (and what calendars show) as they are.
    client.post(reverse("campaign_admin:edit", args=[plan.pk]), data)
    milestone.refresh_from_db()
    assert milestone.sequence == 1


def test_a_campaign_under_approval_cannot_be_changed_in_the_admin(client, world):
    from campaigns.models import Campaign
    from tests.campaigns.helpers import campaign

    start = on(3, 15, year=NEXT_YEAR)
    plan = campaign(lead=world.a, status="submitted", title="待审批的活动", start=start)
    client.force_login(world.users["publicity"])
    data = _campaign_form(world, title="审批中偷偷改名", start_date=f"{NEXT_YEAR}-04-01", end_date=f"{NEXT_YEAR}-04-01")
    response = client.post(reverse("campaign_admin:edit", args=[plan.pk]), data)
    assert response.status_code == 200
    assert "活动正在审批中" in response.content.decode()
    plan = Campaign.objects.get(pk=plan.pk)
    assert (plan.title, plan.start_date, plan.status) == ("待审批的活动", start, "submitted")
