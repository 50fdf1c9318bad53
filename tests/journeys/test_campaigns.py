"""demo-publicity asks for 2027's plan, which the demo has drafted already (nothing is made twice), moves the 3.15
event of 执法队's draft and submits it; demo-head approves it from his notifications; the department's calendar
subscription shows the moved event turn from tentative to confirmed."""

import re
import urllib.request

import icalendar
from playwright.sync_api import expect

from django.utils import timezone

from tests.browser.conftest import assert_accessible

CAMPAIGN = "2027年国际消费者权益日普法宣传活动"
EVENT_TITLE = "国际消费者权益日主题宣传活动"
EVENT = f"{EVENT_TITLE}（现场宣传）"
PLACE = "市民中心广场"
NEXT_YEARS_CAMPAIGN = re.compile("^2027年.*普法宣传活动$")
PLAN_EXISTS = "2027年计划：新建 0 项活动草稿，已有 10 项未重复创建。"
DEPARTMENT = "文化市场综合行政执法队"


def test_publicity_plans_next_year_the_head_approves_and_the_calendar_feed_confirms_it(journey):
    publicity = journey.window("demo-publicity")

    # In the admin she presses 生成年度计划 for 2027: the plan is there already and nothing is made twice.
    publicity.get_by_role("navigation", name="主导航").get_by_role("link", name="管理后台").click()
    _open_sidebar(publicity)
    menu = publicity.get_by_role("navigation", name="主菜单")
    menu.get_by_role("button", name="普法活动").click()
    menu.get_by_role("link", name="活动方案").click()
    publicity.get_by_role("link", name="生成年度计划").click()
    expect(publicity.get_by_role("heading", name="生成年度普法计划")).to_be_visible()
    assert_accessible(publicity)
    expect(publicity.get_by_label("年度")).to_have_value("2027")
    publicity.get_by_role("button", name="生成", exact=True).click()
    publicity.wait_for_load_state()
    expect(publicity.get_by_text(PLAN_EXISTS, exact=True)).to_be_visible()
    drafts = publicity.get_by_role("row").filter(has=publicity.get_by_role("link", name=NEXT_YEARS_CAMPAIGN))
    expect(drafts).to_have_count(10)
    for row in drafts.all():
        expect(row).to_contain_text("草稿")
    assert_accessible(publicity)

    # The team's year page shows the same drafts, and offers no plan button for a year already planned.
    publicity.goto("/")
    publicity.get_by_role("navigation", name="主导航").get_by_role("link", name="活动计划").click()
    expect(publicity.get_by_role("heading", name="2026年普法活动计划")).to_be_visible()
    assert_accessible(publicity)
    publicity.get_by_role("link", name="2027年").click()
    expect(publicity.get_by_role("heading", name="2027年普法活动计划")).to_be_visible()
    expect(publicity.get_by_role("button", name="生成2027年计划")).to_have_count(0)
    key_date = publicity.get_by_role("listitem").filter(has=publicity.get_by_role("heading", name="国际消费者权益日"))
    assert "草稿" in key_date.inner_text() and DEPARTMENT in key_date.inner_text()
    assert_accessible(publicity)

    # She opens 执法队's 3.15 draft and moves its event to the afternoon on the civic centre square.
    key_date.get_by_role("link", name=CAMPAIGN).click()
    expect(publicity.get_by_role("heading", name=CAMPAIGN, level=1)).to_be_visible()
    assert_accessible(publicity)
    publicity.get_by_role("link", name=re.compile(f"^修改.*{EVENT_TITLE}")).click()
    publicity.get_by_label("开始时间").fill("2027-03-15T14:00")
    publicity.get_by_label("结束时间").fill("2027-03-15T16:30")
    publicity.get_by_label("地点").fill(PLACE)
    assert_accessible(publicity)
    publicity.get_by_role("button", name="保存").click()
    publicity.wait_for_load_state()
    expect(publicity.get_by_text(f"已保存“{EVENT_TITLE}”")).to_be_visible()
    expect(publicity.get_by_text(f"14:00–16:30 · {PLACE}")).to_be_visible()
    publicity.get_by_role("button", name="提交审批").click()
    publicity.wait_for_load_state()
    expect(publicity.get_by_text("已提交审批。")).to_be_visible()

    # She subscribes to 执法队's calendar: the plan's event is there, not confirmed yet.
    publicity.get_by_role("navigation", name="活动计划").get_by_role("link", name="订阅日历").click()
    publicity.get_by_label("处室日历").select_option(label=DEPARTMENT)
    publicity.get_by_role("button", name="生成处室日历链接").click()
    publicity.wait_for_load_state()
    expect(publicity.get_by_text("订阅链接已生成")).to_be_visible()
    assert_accessible(publicity)
    feed = publicity.get_by_role("region", name=f"{DEPARTMENT}日历")
    feed_url = feed.get_by_label("订阅链接（https）").input_value()
    assert feed.get_by_role("link", name="在日历应用中打开").get_attribute("href") == re.sub(
        r"^https?://", "webcal://", feed_url
    )
    tentative = _feed_event(feed_url, EVENT)
    assert str(tentative["STATUS"]) == "TENTATIVE"

    # demo-head, who heads 执法队, finds it among his notifications and approves it.
    head = journey.window("demo-head")
    head.get_by_role("navigation", name="主导航").get_by_role("link", name=re.compile("^通知")).click()
    expect(head.get_by_role("heading", name="通知", level=1)).to_be_visible()
    assert_accessible(head)
    head.get_by_role("link", name=f"待审批：{CAMPAIGN}").click()
    expect(head.get_by_role("heading", name=CAMPAIGN, level=1)).to_be_visible()
    approval = head.get_by_role("region", name="审批")
    assert_accessible(head)
    approval.get_by_label("审批意见（可选）").fill("同意。请提前联系市场监管部门联合设点。")
    approval.get_by_role("button", name="批准", exact=True).click()
    head.wait_for_load_state()
    expect(head.get_by_text("已批准。")).to_be_visible()
    expect(head.get_by_text("同意。请提前联系市场监管部门联合设点。")).to_be_visible()
    assert_accessible(head)

    # Her calendar app fetches the feed again: the same event (same UID), now confirmed, one revision later.
    confirmed = _feed_event(feed_url, EVENT)
    assert str(confirmed["UID"]) == str(tentative["UID"])
    assert str(confirmed["STATUS"]) == "CONFIRMED"
    assert int(confirmed["SEQUENCE"]) > int(tentative["SEQUENCE"])
    assert timezone.localtime(confirmed["DTSTART"].dt).isoformat() == "2027-03-15T14:00:00+08:00"
    assert str(confirmed["LOCATION"]) == PLACE

    publicity.get_by_role("navigation", name="活动计划").get_by_role("link", name="年度计划").click()
    publicity.get_by_role("link", name="2027年").click()
    expect(publicity.get_by_role("heading", name="2027年普法活动计划")).to_be_visible()
    expect(publicity.get_by_role("listitem").filter(has=publicity.get_by_role("link", name=CAMPAIGN))).to_contain_text(
        "已批准"
    )


def _open_sidebar(page):
    toggle = page.get_by_role("button", name="切换侧边栏")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def _feed_event(url: str, summary: str):
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the live test server, as a calendar app would
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    events = [item for item in calendar.walk("VEVENT") if str(item["SUMMARY"]) == summary]
    assert len(events) == 1, [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")]
    return events[0]
