"""Planning a year from the key dates and the departments' lists.

``plan_year`` is handed its year and reads no clock, so these tests plan 2026 and 2027 by name: what they check
are calendar facts of those years (文化和自然遗产日 2026 is Saturday 13 June). The commands' help follows the clock.
"""

import datetime
import io

import pytest

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Event, KeyDateOverride, Milestone
from campaigns.services import match_lead, plan_year
from organisation import roles
from tests.campaigns.helpers import key_date, responsibility, standard_template
from tests.clock import SUITE_YEAR, at
from tests.factories import DepartmentFactory, staff
from website.models import Domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    """Two departments with lists: 执法队 names 4.26 outright; 文博处 claims heritage day by domain."""
    enforcement = DepartmentFactory(name="文化市场综合行政执法队", sort_order=10, is_law_enforcement=True)
    heritage = DepartmentFactory(name="文物与博物馆处", sort_order=20)
    office = DepartmentFactory(name="办公室", sort_order=5)
    domain = Domain.objects.create(name="文物保护", slug="wenwu")
    liaison = staff("liaison", department=enforcement, real_name="李联络")
    head = staff("head", department=enforcement, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD), real_name="陈队长")
    ip_day = key_date("世界知识产权日", month=4, day=26, first_year=2001)
    heritage_day = key_date(
        "文化和自然遗产日", kind="nth_weekday", month=6, day=None, weekday=5, nth=2, first_year=2006, domain=domain
    )
    civil_code = key_date("民法典宣传月", kind="period", month=5, day=1, length_days=0, first_year=2021)
    standard_template()
    responsibility(enforcement, 2026, key_dates=[ip_day], liaison=liaison)
    responsibility(heritage, 2026, domains=[domain])
    return {
        "enforcement": enforcement,
        "heritage": heritage,
        "office": office,
        "liaison": liaison,
        "head": head,
        "ip_day": ip_day,
        "heritage_day": heritage_day,
        "civil_code": civil_code,
    }


def test_plan_year_creates_a_draft_campaign_for_every_key_date(bureau):
    result = plan_year(year=2026)
    assert len(result.created) == 3
    campaigns = {c.key_date.name: c for c in Campaign.objects.filter(year=2026)}
    assert set(campaigns) == {"世界知识产权日", "文化和自然遗产日", "民法典宣传月"}
    assert all(c.status == "draft" and c.planned for c in campaigns.values())
    heritage = campaigns["文化和自然遗产日"]
    assert (heritage.start_date, heritage.end_date) == (datetime.date(2026, 6, 13), datetime.date(2026, 6, 13))
    civil = campaigns["民法典宣传月"]
    assert (civil.start_date, civil.end_date) == (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    assert heritage.title == "2026年文化和自然遗产日普法宣传活动"


def test_the_lead_is_the_department_whose_list_matches(bureau):
    plan_year(year=2026)
    leads = dict(Campaign.objects.filter(year=2026).values_list("key_date__name", "lead_department__name"))
    assert leads == {
        "世界知识产权日": "文化市场综合行政执法队",  # named in its list
        "文化和自然遗产日": "文物与博物馆处",  # by domain
        "民法典宣传月": None,  # nobody's list covers it
    }


def test_a_list_naming_the_key_date_beats_one_sharing_its_domain_which_becomes_a_partner(bureau):
    from campaigns.models import ResponsibilityList

    domain = bureau["heritage_day"].domain
    enforcement_list = ResponsibilityList.objects.get(department=bureau["enforcement"])
    enforcement_list.domains.add(domain)
    heritage_list = ResponsibilityList.objects.get(department=bureau["heritage"])
    heritage_list.key_dates.add(bureau["heritage_day"])
    lead, partners = match_lead(bureau["heritage_day"], [enforcement_list, heritage_list])
    assert lead == heritage_list
    assert partners == [enforcement_list]
    plan_year(year=2026)
    campaign = Campaign.objects.get(key_date=bureau["heritage_day"])
    assert campaign.lead_department == bureau["heritage"]
    assert list(campaign.partner_departments.all()) == [bureau["enforcement"]]


def test_milestones_are_placed_relative_to_the_key_date_with_assignees(bureau):
    plan_year(year=2026)
    campaign = Campaign.objects.get(key_date=bureau["ip_day"], year=2026)
    milestones = [(m.name, m.offset_days, m.due_on, m.assignee) for m in campaign.milestones.order_by("due_on")]
    liaison, head = bureau["liaison"], bureau["head"]
    assert milestones == [
        ("方案报批", -30, datetime.date(2026, 3, 27), liaison),
        ("物料制作", -14, datetime.date(2026, 4, 12), liaison),
        ("预告发布", -7, datetime.date(2026, 4, 19), liaison),
        ("活动实施", 0, datetime.date(2026, 4, 26), head),
        ("总结报送", 7, datetime.date(2026, 5, 3), liaison),
    ]
    assert campaign.coordinator == liaison


def test_the_template_event_is_placed_on_the_key_date(bureau):
    plan_year(year=2026)
    event = Event.objects.get(campaign__key_date=bureau["heritage_day"])
    assert timezone.localtime(event.starts_at).isoformat() == "2026-06-13T09:00:00+08:00"
    assert timezone.localtime(event.ends_at).isoformat() == "2026-06-13T11:00:00+08:00"
    assert event.kind == "street"


def test_running_plan_year_twice_adds_nothing(bureau):
    first = plan_year(year=2026)
    second = plan_year(year=2026)
    assert len(first.created) == 3
    assert second.created == []
    assert sorted(second.existing) == sorted(["世界知识产权日", "文化和自然遗产日", "民法典宣传月"])
    assert Campaign.objects.count() == 3
    assert Milestone.objects.count() == 15
    assert Event.objects.count() == 3


def test_the_database_refuses_a_second_planned_campaign_for_one_key_date_and_year(bureau):
    plan_year(year=2026)
    existing = Campaign.objects.get(key_date=bureau["ip_day"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(
            year=2026,
            title="重复",
            key_date=bureau["ip_day"],
            start_date=existing.start_date,
            end_date=existing.end_date,
            planned=True,
        )
    # Campaigns planned by hand for the same key date are allowed.
    Campaign.objects.create(
        year=2026, title="另一项", key_date=bureau["ip_day"], start_date=existing.start_date, end_date=existing.end_date
    )


def test_a_year_without_lists_uses_each_departments_latest_list(bureau):
    result = plan_year(year=2027)
    assert result.lists_year == {bureau["enforcement"].pk: 2026, bureau["heritage"].pk: 2026}
    campaign = Campaign.objects.get(key_date=bureau["ip_day"], year=2027)
    assert campaign.lead_department == bureau["enforcement"]
    assert campaign.start_date == datetime.date(2027, 4, 26)


def test_overrides_move_the_planned_dates(bureau):
    KeyDateOverride.objects.create(
        key_date=bureau["ip_day"], year=2026, start=datetime.date(2026, 4, 24), end=datetime.date(2026, 4, 24)
    )
    plan_year(year=2026)
    campaign = Campaign.objects.get(key_date=bureau["ip_day"])
    assert campaign.start_date == datetime.date(2026, 4, 24)
    assert campaign.milestones.get(name="方案报批").due_on == datetime.date(2026, 3, 25)


def test_plan_year_command_reports_what_it_did(bureau):
    out = io.StringIO()
    call_command("plan_year", "2026", stdout=out)
    assert "2026年计划：新建 3 项活动草稿" in out.getvalue()
    out = io.StringIO()
    call_command("plan_year", "2026", stdout=out)
    assert "新建 0 项活动草稿，已有 3 项未重复创建" in out.getvalue()
    assert "责任清单" not in out.getvalue()  # 2026's lists were there


def stale_lists_warning(year: int) -> str:
    return f"部分处室尚无{year}年普法责任清单，按其2026年清单匹配牵头处室，请及时更新清单。"


def test_planning_a_year_on_last_years_lists_says_so_everywhere(bureau, client):
    out = io.StringIO()
    call_command("plan_year", "2027", stdout=out)
    assert stale_lists_warning(2027) in out.getvalue()
    client.force_login(staff("planner", department=bureau["office"], role_names=(roles.STAFF, roles.PUBLICITY)))
    for url, year in ((reverse("campaigns:plan_year"), 2028), (reverse("campaigns_plan_year_admin"), 2029)):
        assert stale_lists_warning(year) in client.post(url, {"year": year}, follow=True).content.decode()


def test_key_dates_before_their_first_year_are_not_planned(bureau):
    plan_year(year=2020)
    assert not Campaign.objects.filter(key_date=bureau["civil_code"]).exists()
    assert Campaign.objects.filter(year=2020).count() == 2


def test_the_commands_help_names_next_year_to_plan_and_this_year_to_list(clock):
    from campaigns.management.commands import key_dates as key_dates_command
    from campaigns.management.commands import plan_year as plan_year_command

    def helps() -> tuple[str, str]:
        return (
            plan_year_command.Command().create_parser("manage.py", "plan_year").format_help(),
            key_dates_command.Command().create_parser("manage.py", "key_dates").format_help(),
        )

    for year in (SUITE_YEAR, SUITE_YEAR + 3):
        clock.move_to(at(12, 31, 23, 30, year=year))
        plan_help, list_help = helps()
        assert f"年度，如 {year + 1}（明年）" in plan_help
        assert f"年度，如 {year}（今年）" in list_help


def test_the_admin_plan_form_offers_next_year(client, bureau, clock):
    clock.move_to(at(1, 2, year=SUITE_YEAR + 1))
    client.force_login(staff("planner", department=bureau["office"], role_names=(roles.STAFF, roles.PUBLICITY)))
    page = client.get(reverse("campaigns_plan_year_admin")).content.decode()
    assert f'value="{SUITE_YEAR + 2}"' in page
