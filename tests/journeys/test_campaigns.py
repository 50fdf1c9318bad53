"""demo-publicity asks for next year's plan, which the demo leaves to her (a second press makes nothing twice),
moves the 3.15 event of 执法队's draft and submits it; demo-head approves it from his notifications; the
department's calendar subscription shows the moved event turn from tentative to confirmed."""

import re
import urllib.request

import icalendar
from playwright.sync_api import expect

from django.utils import timezone

from tests.browser.conftest import assert_accessible, nav_link
from tests.clock import SUITE_YEAR

THIS_YEAR, NEXT_YEAR = SUITE_YEAR, SUITE_YEAR + 1  # the demo lives in the suite's year
CAMPAIGN = f"{NEXT_YEAR}年国际消费者权益日普法宣传活动"
EVENT_TITLE = "国际消费者权益日主题宣传活动"
EVENT = f"{EVENT_TITLE}（现场宣传）"
PLACE = "市民中心广场"
NEXT_YEARS_CAMPAIGN = re.compile(f"^{NEXT_YEAR}年.*普法宣传活动$")
PLAN_MADE = f"{NEXT_YEAR}年计划：新建 10 项活动草稿"
PLAN_EXISTS = f"{NEXT_YEAR}年计划：新建 0 项活动草稿，已有 10 项未重复创建。"
DEPARTMENT = "文化市场综合行政执法队"


def test_publicity_plans_next_year_the_head_approves_and_the_calendar_feed_confirms_it(journey):
    publicity = journey.window("demo-publicity")

    # In the admin she presses 生成年度计划 for next year: ten drafts; pressing again makes nothing twice.
    nav_link(publicity, "管理后台").click()
    _open_sidebar(publicity)
    menu = publicity.get_by_role("navigation", name="主菜单")
    menu.get_by_role("button", name="普法活动").click()
    menu.get_by_role("link", name="活动方案").click()
    publicity.get_by_role("link", name="生成年度计划").click()
    expect(publicity.get_by_role("heading", name="生成年度普法计划")).to_be_visible()
    assert_accessible(publicity)
    expect(publicity.get_by_label("年度")).to_have_value(str(NEXT_YEAR))
    publicity.get_by_role("button", name="生成", exact=True).click()
    publicity.wait_for_load_state()
    expect(publicity.get_by_text(PLAN_MADE)).to_be_visible()
    publicity.get_by_role("link", name="生成年度计划").click()
    expect(publicity.get_by_label("年度")).to_have_value(str(NEXT_YEAR))
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
    nav_link(publicity, "活动计划").click()
    expect(publicity.get_by_role("heading", name=f"{THIS_YEAR}年普法活动计划")).to_be_visible()
    assert_accessible(publicity)
    publicity.get_by_role("link", name=f"{NEXT_YEAR}年").click()
    expect(publicity.get_by_role("heading", name=f"{NEXT_YEAR}年普法活动计划")).to_be_visible()
    expect(publicity.get_by_role("button", name=f"生成{NEXT_YEAR}年计划")).to_have_count(0)
    key_date = publicity.get_by_role("listitem").filter(has=publicity.get_by_role("heading", name="国际消费者权益日"))
    assert "草稿" in key_date.inner_text() and DEPARTMENT in key_date.inner_text()
    assert_accessible(publicity)

    # She opens 执法队's 3.15 draft and moves its event to the afternoon on the civic centre square.
    key_date.get_by_role("link", name=CAMPAIGN).click()
    expect(publicity.get_by_role("heading", name=CAMPAIGN, level=1)).to_be_visible()
    assert_accessible(publicity)
    publicity.get_by_role("link", name=re.compile(f"^修改.*{EVENT_TITLE}")).click()
    publicity.get_by_label("开始时间").fill(f"{NEXT_YEAR}-03-15T14:00")
    publicity.get_by_label("结束时间").fill(f"{NEXT_YEAR}-03-15T16:30")
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
    nav_link(head, re.compile("^通知")).click()
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
    assert timezone.localtime(confirmed["DTSTART"].dt).isoformat() == f"{NEXT_YEAR}-03-15T14:00:00+08:00"
    assert str(confirmed["LOCATION"]) == PLACE

    publicity.get_by_role("navigation", name="活动计划").get_by_role("link", name="年度计划").click()
    publicity.get_by_role("link", name=f"{NEXT_YEAR}年").click()
    expect(publicity.get_by_role("heading", name=f"{NEXT_YEAR}年普法活动计划")).to_be_visible()
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
    # The moved event of next year's plan; this year's 3.15 event may be in the feed too (from January
    # until half a year after it), with the same summary.
    events = [
        item
        for item in calendar.walk("VEVENT")
        if str(item["SUMMARY"]) == summary and timezone.localtime(item["DTSTART"].dt).year == NEXT_YEAR
    ]
    assert len(events) == 1, [(str(item["SUMMARY"]), item["DTSTART"].dt) for item in calendar.walk("VEVENT")]
    return events[0]
