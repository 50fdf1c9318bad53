import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Milestone
from campaigns.services import plan_year
from tests.campaigns.helpers import (
    campaign,
    event,
    holiday_package_last_year,
    key_date,
    responsibility,
    standard_template,
)
from tests.clock import SUITE_YEAR, at, on
from tests.factories import staff

# The rows here sit in December and feeds show the last half year: read them from late November.
pytestmark = [pytest.mark.django_db, pytest.mark.clock(at(11, 27))]

YEAR = SUITE_YEAR
NEXT_YEAR = YEAR + 1


def weekday_name(day: datetime.date) -> str:
    return "星期" + "一二三四五六日"[day.weekday()]


@pytest.fixture
def busy_year(world):
    """Twelve campaigns, each with three events and two milestones: enough rows that an N+1 would show."""
    people = [staff(f"p{n}", department=world.a) for n in range(3)]
    for n in range(12):
        plan = campaign(
            lead=world.a if n % 2 else world.b,
            title=f"活动{n}",
            start=on(12, 1 + n),
            key_date=key_date(f"节点{n}", month=12, day=1 + n),
            coordinator=people[0],
            status="approved",
        )
        plan.partner_departments.add(world.b)
        for m in range(3):
            event(plan, title=f"场次{n}-{m}", starts_at=at(12, 1 + n, 9 + 3 * m), place=f"地点{m}", staff=people)
        Milestone.objects.create(campaign=plan, name="方案报批", due_on=on(11, 1 + n), assignee=people[1])
        Milestone.objects.create(campaign=plan, name="总结报送", due_on=on(12, 8 + n))
    return world


@pytest.mark.parametrize(
    ("name", "kwargs", "query", "limit"),
    [
        ("campaigns:home", {}, f"year={YEAR}", 18),
        ("campaigns:month", {"year": YEAR, "month": 12}, "", 20),
        ("campaigns:agenda", {}, f"from={YEAR}-11-01", 17),
        ("campaigns:departments", {}, f"year={YEAR}", 11),
        ("campaigns:responsibilities", {}, f"year={YEAR}", 14),
        ("campaigns:public_events", {}, "", 12),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(
    client, busy_year, django_assert_max_num_queries, name, kwargs, query, limit
):
    client.force_login(busy_year.users["publicity"])
    url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200


def test_detail_pages_take_a_fixed_number_of_queries(client, busy_year, django_assert_max_num_queries):
    client.force_login(busy_year.users["publicity"])
    plan = Campaign.objects.get(title="活动3")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("campaigns:campaign", kwargs={"pk": plan.pk})).status_code == 200
    with django_assert_max_num_queries(16):
        assert (
            client.get(reverse("campaigns:department", kwargs={"pk": busy_year.a.pk}) + f"?year={YEAR}").status_code
            == 200
        )
    with django_assert_max_num_queries(16):
        assert client.get(reverse("campaigns:report", kwargs={"pk": plan.pk})).status_code == 200


def test_the_feed_takes_a_fixed_number_of_queries(client, busy_year, django_assert_max_num_queries):
    from campaigns.services import feed_create

    feed = feed_create(owner=busy_year.users["publicity"], department=busy_year.b)
    with django_assert_max_num_queries(6):
        body = client.get(reverse("campaigns:feed", kwargs={"token": feed.token})).content
    assert body.count(b"BEGIN:VEVENT") == 36 + 24


def test_the_year_page_shows_every_key_date_with_its_campaigns_and_the_month_view_marks_holidays(client, world):
    # 2026's official arrangement as chinese_calendar carries it (a fixed fact); the pages are handed the year.
    known = 2026
    standard_template()
    ip_day = key_date("世界知识产权日")
    responsibility(world.a, known, key_dates=[ip_day])
    key_date("国庆宣传", month=10, day=2)
    plan_year(year=known)
    client.force_login(world.users["head"])
    body = client.get(reverse("campaigns:home") + f"?year={known}").content.decode()
    assert "世界知识产权日" in body and f"{known}年世界知识产权日普法宣传活动" in body
    assert f"生成{known}年计划" not in body  # heads follow the plan; they do not generate it
    month = client.get(reverse("campaigns:month", kwargs={"year": known, "month": 10})).content.decode()
    assert "法定节假日（国庆节）" in month
    assert "调休上班日（国庆节）" in month  # 10 October 2026, a Saturday worked


def test_the_plan_button_generates_the_year_once(client, world):
    unpublished = holiday_package_last_year() + 1  # nobody has published this year's holiday arrangement
    standard_template()
    key_date("世界知识产权日")
    client.force_login(world.users["publicity"])
    page = client.get(reverse("campaigns:home") + f"?year={unpublished}").content.decode()
    assert f"生成{unpublished}年计划" in page
    assert f"{unpublished}年法定节假日和调休安排尚未公布" in page
    response = client.post(reverse("campaigns:plan_year"), {"year": unpublished}, follow=True)
    assert f"{unpublished}年计划：新建 1 项活动草稿" in response.content.decode()
    client.post(reverse("campaigns:plan_year"), {"year": unpublished})
    assert Campaign.objects.filter(year=unpublished).count() == 1
    assert (
        f"生成{unpublished}年计划"
        not in client.get(reverse("campaigns:home") + f"?year={unpublished}").content.decode()
    )


def test_the_admin_button_generates_the_plan(client, world):
    standard_template()
    key_date("世界知识产权日")
    client.force_login(world.users["publicity"])
    index = client.get(reverse("campaign_admin:index")).content.decode()
    assert "生成年度计划" in index
    response = client.post(reverse("campaigns_plan_year_admin"), {"year": NEXT_YEAR})
    assert response.status_code == 302
    assert Campaign.objects.filter(year=NEXT_YEAR, planned=True).count() == 1


def test_the_public_sees_only_approved_upcoming_public_events(client, world):
    approved = campaign(lead=world.a, status="approved", title="宪法日")
    soon = event(
        approved,
        title="宪法进广场",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        description="答题赢宪法读本",
    )
    event(approved, title="内部培训", starts_at=timezone.now() + datetime.timedelta(days=2), is_public=False)
    event(approved, title="已结束", starts_at=timezone.now() - datetime.timedelta(days=2))
    event(approved, title="取消了", starts_at=timezone.now() + datetime.timedelta(days=3), status="cancelled")
    draft = campaign(lead=world.a, title="草稿")
    hidden = event(draft, title="草稿活动", starts_at=timezone.now() + datetime.timedelta(days=2))
    body = client.get(reverse("campaigns:public_events")).content.decode()
    assert "宪法进广场" in body
    for title in ("内部培训", "已结束", "取消了", "草稿活动"):
        assert title not in body
    detail = client.get(reverse("campaigns:public_event", kwargs={"pk": soon.pk})).content.decode()
    assert "答题赢宪法读本" in detail and "市民广场" in detail
    assert client.get(reverse("campaigns:public_event", kwargs={"pk": hidden.pk})).status_code == 404
    home = client.get("/").content.decode()
    assert "近期普法活动" in home and "宪法进广场" in home
    assert 'href="/events/"' in home  # the public nav item 普法活动


def test_my_start_page_lists_my_deadlines_and_events(client, world):
    enforcer = world.users["enforcer"]
    plan = campaign(lead=world.a, status="approved")
    Milestone.objects.create(
        campaign=plan, name="物料制作", due_on=timezone.localdate() + datetime.timedelta(days=3), assignee=enforcer
    )
    event(plan, title="进网吧", starts_at=timezone.now() + datetime.timedelta(days=1), staff=[enforcer])
    client.force_login(enforcer)
    body = client.get("/").content.decode()
    assert "我的普法任务" in body and "物料制作" in body and "进网吧" in body


def test_the_nav_shows_the_plan_and_the_year_page_lists_campaigns_awaiting_me(client, world):
    submitted = campaign(lead=world.a, status="submitted", title="待批的宪法周活动")
    event(submitted)
    client.force_login(world.users["head"])
    body = client.get(reverse("campaigns:home") + f"?year={YEAR}").content.decode()
    assert 'href="/campaigns/"' in body and "活动计划" in body
    assert "待我审批" in body and "待批的宪法周活动" in body
    client.force_login(world.users["staff"])
    assert "活动计划" not in client.get("/").content.decode()


def test_the_home_panel_forgets_an_event_as_soon_as_it_is_cancelled(client, world, django_capture_on_commit_callbacks):
    from campaigns.services import event_cancel

    approved = campaign(lead=world.a, status="approved")
    soon = event(approved, title="宪法进广场", starts_at=timezone.now() + datetime.timedelta(days=2))
    assert "宪法进广场" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=soon, actor=world.users["publicity"], reason="暴雨预警")
    assert "宪法进广场" not in client.get("/").content.decode()


def test_visitors_cached_events_page_is_cleared_when_an_event_moves(client, world, django_capture_on_commit_callbacks):
    from campaigns.services import event_update

    approved = campaign(lead=world.a, status="approved")
    soon = event(approved, title="宪法进广场", starts_at=timezone.now() + datetime.timedelta(days=2))
    assert "市民广场" in client.get("/events/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=soon, actor=world.users["publicity"], data={"place": "市图书馆报告厅"})
    body = client.get("/events/").content.decode()
    assert "市图书馆报告厅" in body and "市民广场" not in body


def _departments_publicising(world, start: int, count: int) -> None:
    """``count`` more departments, each with a list for the year naming its own law, a campaign publicising that law
    (one event with a reported outcome) and a published explainer citing it."""
    from wagtail.models import Page

    from campaigns.models import EventOutcome
    from tests.campaigns.helpers import responsibility
    from tests.factories import DepartmentFactory
    from website.models import Audience, CasePage, Domain, ExplainerIndexPage, LawIndexPage, LawPage

    home = Page.objects.get(depth=2)
    laws = LawIndexPage.objects.first() or home.add_child(instance=LawIndexPage(title="法规库", slug="laws"))
    explainers = ExplainerIndexPage.objects.first() or home.add_child(
        instance=ExplainerIndexPage(title="普法资料", slug="explainers")
    )
    domain, _ = Domain.objects.get_or_create(name="文化市场", defaults={"slug": "market"})
    audience, _ = Audience.objects.get_or_create(name="经营单位")
    for n in range(start, start + count):
        department = DepartmentFactory(name=f"执法{n}处")
        law = laws.add_child(
            instance=LawPage(
                title=f"条例{n}", slug=f"law-{n}", issuing_body="省人大常委会", level="地方性法规", text="第一条　……"
            )
        )
        listed = responsibility(
            department,
            YEAR,
            key_dates=[key_date(f"宣传日{n}", month=3, day=1 + n)],
            laws=[law],
            liaison=staff(f"liaison{n}", department=department),
            duties="开展宣传\n组织培训",
        )
        listed.audiences.add(audience)
        plan = campaign(lead=department, title=f"条例{n}宣传", start=on(3, 1 + n), status="approved")
        plan.laws.add(law)
        EventOutcome.objects.create(
            event=event(plan, starts_at=at(3, 1 + n, 9), place=f"广场{n}"), participants=10, summary="顺利开展"
        )
        explainers.add_child(
            instance=CasePage(
                title=f"条例{n}案例",
                slug=f"case-{n}",
                domain=domain,
                reasoning=f'<p>依据<a linktype="page" id="{law.pk}">条例{n}</a>……</p>',
            )
        ).save_revision().publish()


@pytest.mark.parametrize(
    ("name", "kwargs", "query"),
    [
        ("campaigns:responsibilities", {}, f"year={YEAR}"),
        ("campaigns:coverage", {"year": YEAR}, ""),
        ("campaigns:rollup", {"year": YEAR}, ""),
        ("campaigns:departments", {}, f"year={YEAR}"),
    ],
)
def test_department_pages_take_as_many_queries_for_six_departments_as_for_two(client, world, name, kwargs, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["oversight"])
    url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")

    def queries() -> int:
        assert client.get(url).status_code == 200  # warms the site's caches (root paths, content types)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    _departments_publicising(world, 1, 2)
    two = queries()
    _departments_publicising(world, 3, 4)
    body = client.get(url).content.decode()
    assert "条例6" in body or "执法6处" in body  # the rows were added and shown
    assert queries() == two


def test_visitors_see_the_year_of_next_years_events_and_the_last_day_of_a_long_one(client, world):
    approved = campaign(lead=world.a, status="approved", title="遗产日活动")
    soon = event(approved, title="宪法进广场", starts_at=at(12, 4, 9))
    exhibition = event(approved, title="文物保护法主题展", starts_at=at(6, 12, 9, year=NEXT_YEAR), hours=7 * 24 + 8)
    opening = f"{NEXT_YEAR}年6月12日 {weekday_name(on(6, 12, year=NEXT_YEAR))} 09:00</time>–6月19日 17:00"
    listing = client.get(reverse("campaigns:public_events")).content.decode()
    assert "12月4日<span>" in listing and f"{NEXT_YEAR}年6月12日<span>" in listing
    detail = client.get(reverse("campaigns:public_event", kwargs={"pk": exhibition.pk})).content.decode()
    assert opening in detail
    same_day = client.get(reverse("campaigns:public_event", kwargs={"pk": soon.pk})).content.decode()
    assert f"{YEAR}年12月4日 {weekday_name(on(12, 4))} 09:00</time>–11:00" in same_day
    client.force_login(world.users["publicity"])
    team = client.get(reverse("campaigns:campaign", kwargs={"pk": approved.pk})).content.decode()
    assert opening in team
    client.logout()
    home = client.get("/").content.decode()
    assert "12月4日 09:00" in home and f"{NEXT_YEAR}年6月12日 09:00" in home
