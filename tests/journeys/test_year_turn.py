"""New Year's Eve to 2 January, in the browser: the server's clock moves from 23:50 on 31 December of
the suite's year to 10:00 on 2 January of the next (Asia/Shanghai) while the committee, a member of
staff and the publicity team use the site. Last year's report stays reachable, the new year's target
shows, copying last year's targets and lists works once, and ``/events/`` is not empty.

Its own small bureau, built with the factories (the demo has its own story and its own tests).
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from campaigns.models import ResponsibilityList
from organisation import roles
from oversight.models import Measure, StudyTarget
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, chromium, login
from tests.campaigns.helpers import campaign, event, responsibility
from tests.clock import SUITE_YEAR, at
from tests.factories import PASSWORD, DepartmentFactory, UserFactory
from tests.oversight import helpers as h

NEXT = SUITE_YEAR + 1
NEW_YEARS_EVE = at(12, 31, 23, 50)
SECOND_OF_JANUARY = at(1, 2, 10, 0, year=NEXT)


@pytest.fixture
def bureau(db):
    enforcement = DepartmentFactory(name="执法队", is_law_enforcement=True)
    public = DepartmentFactory(name="公共服务处")
    people = {
        "committee": UserFactory(username="committee", roles=[roles.OVERSIGHT]),
        "colleague": UserFactory(username="colleague", roles=[roles.OVERSIGHT]),
        "publicity": h.person("publicity", department=public, role_names=(roles.STAFF, roles.PUBLICITY)),
        "staff": h.person("staff", department=enforcement, real_name="张三", joined_on=datetime.date(2015, 1, 1)),
    }
    h.target("everyone", year=SUITE_YEAR, required_hours=Decimal("40"), include_assigned_courses=False)
    h.target("enforcement", year=SUITE_YEAR, required_hours=Decimal("60"), include_assigned_courses=False)
    h.letter(enforcement, ("学时达标", Measure.HOURS_MET_RATE, 100, 100), year=SUITE_YEAR)
    h.credit(people["staff"], 30, on=at(10, 8).date())
    responsibility(enforcement, SUITE_YEAR, duties="执法普法")
    responsibility(public, SUITE_YEAR, duties="旅游法宣传")
    # A campaign of the new year, approved in December, with a public event on 5 January.
    plan = campaign(lead=public, status="approved", start=datetime.date(NEXT, 1, 5), title="新年文明旅游宣传")
    event(plan, title="文明旅游进景区", is_public=True)
    return people


def window(browser, live_server, username, viewport):
    phone = viewport is PHONE
    context = browser.new_context(
        viewport=viewport,
        is_mobile=phone,
        has_touch=phone,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
    )
    from django.utils import timezone

    context.clock.install(time=timezone.now())
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, username, PASSWORD)
    return page


@pytest.mark.clock(NEW_YEARS_EVE)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_from_new_years_eve_to_the_second_of_january(live_server, bureau, clock, viewport):
    # Before midnight: the staff member's start page shows this year's target, the committee works on this year.
    with chromium() as browser:
        staff = window(browser, live_server, "staff", viewport)
        expect(staff.get_by_role("heading", name=f"{SUITE_YEAR} 年度学法目标")).to_be_visible()
        committee = window(browser, live_server, "committee", viewport)
        committee.goto("/oversight/")
        expect(committee.get_by_role("heading", name=f"{SUITE_YEAR} 年度学法情况")).to_be_visible()

        clock.move_to(SECOND_OF_JANUARY)  # the server's clock; pages take the server's time
        for page, username in ((staff, "staff"), (committee, "committee")):
            page.context.clock.set_system_time(SECOND_OF_JANUARY)
            login(page, live_server.url, username, PASSWORD)  # a day and a half later the session has expired

        # 我的学习 shows the new year's target once it is set; the committee still opens on last year.
        committee.goto("/oversight/")
        expect(committee.get_by_role("heading", name=f"{SUITE_YEAR} 年度学法情况")).to_be_visible()
        expect(committee.get_by_role("link", name=f"查看 {NEXT} 年度 →")).to_be_visible()
        assert_accessible(committee)
        committee.get_by_role("link", name="预览年度报告").click()
        expect(committee.get_by_role("heading", level=1)).to_contain_text(str(SUITE_YEAR))
        committee.goto("/oversight/")
        committee.get_by_role("link", name=f"查看 {NEXT} 年度 →").click()
        expect(committee.get_by_role("heading", name=f"{NEXT} 年度学法情况")).to_be_visible()
        # A colleague has the same dashboard open in another office.
        colleague = window(browser, live_server, "colleague", viewport)
        colleague.goto(f"/oversight/?year={NEXT}")
        committee.get_by_role("button", name="复制上一年度目标").click()
        expect(
            committee.get_by_text(f"已从 {SUITE_YEAR} 年度复制 2 条学法目标、1 份责任书到 {NEXT} 年度")
        ).to_be_visible()
        committee.goto(f"/oversight/?year={NEXT}")
        expect(committee.get_by_role("heading", name=f"{NEXT} 年度学法情况")).to_be_visible()
        expect(committee.get_by_role("button", name="复制上一年度目标")).to_have_count(0)
        colleague.get_by_role("button", name="复制上一年度目标").click()  # the stale page's button: nothing new
        expect(colleague.get_by_text("未重复创建")).to_be_visible()

        staff.goto("/")
        expect(staff.get_by_role("heading", name=f"{NEXT} 年度学法目标")).to_be_visible()
        expect(staff.locator(".target-panel__hours")).to_have_text("0 / 40 学时")
        assert_accessible(staff)

        publicity = window(browser, live_server, "publicity", viewport)
        publicity.goto(f"/campaigns/?year={NEXT}")
        publicity.get_by_role("button", name="复制上一年度责任清单").click()
        expect(publicity.get_by_text(f"已从{SUITE_YEAR}年复制 2 份普法责任清单到{NEXT}年")).to_be_visible()
        expect(publicity.get_by_role("button", name="复制上一年度责任清单")).to_have_count(0)
        assert_accessible(publicity)
        publicity.goto("/events/")
        expect(publicity.get_by_role("link", name="文明旅游进景区")).to_be_visible()

    assert StudyTarget.objects.filter(year=NEXT).count() == 2
    assert ResponsibilityList.objects.filter(year=NEXT).count() == 2
