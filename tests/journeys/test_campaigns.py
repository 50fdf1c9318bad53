"""demo-publicity plans 2027 and submits 执法队's 3.15 campaign; demo-head approves it from his notifications; the
department's calendar subscription turns the event from tentative to confirmed."""

import re
import urllib.request

import icalendar
from playwright.sync_api import expect

from django.utils import timezone

from tests.browser.conftest import assert_accessible

CAMPAIGN = "2027年国际消费者权益日普法宣传活动"
EVENT = "国际消费者权益日主题宣传活动（现场宣传）"
DEPARTMENT = "文化市场综合行政执法队"


def test_publicity_plans_next_year_the_head_approves_and_the_calendar_feed_confirms_it(journey):
    publicity = journey.window("demo-publicity")
    publicity.get_by_role("navigation", name="主导航").get_by_role("link", name="活动计划").click()
    expect(publicity.get_by_role("heading", name="2026年普法活动计划")).to_be_visible()
    assert_accessible(publicity)

    publicity.get_by_role("link", name="2027年").click()
    expect(publicity.get_by_role("heading", name="2027年普法活动计划")).to_be_visible()
    assert_accessible(publicity)
    publicity.get_by_role("button", name="生成2027年计划").click()
    publicity.wait_for_load_state()
    expect(publicity.get_by_text("2027年计划：新建 10 项活动草稿")).to_be_visible()
    expect(publicity.get_by_role("button", name="生成2027年计划")).to_have_count(0)  # made once, offered no more
    key_date = publicity.get_by_role("listitem").filter(has=publicity.get_by_role("heading", name="国际消费者权益日"))
    assert "草稿" in key_date.inner_text() and DEPARTMENT in key_date.inner_text()
    assert_accessible(publicity)

    key_date.get_by_role("link", name=CAMPAIGN).click()
    expect(publicity.get_by_role("heading", name=CAMPAIGN, level=1)).to_be_visible()
    assert_accessible(publicity)
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
    assert timezone.localtime(confirmed["DTSTART"].dt).isoformat() == "2027-03-15T09:00:00+08:00"

    publicity.get_by_role("navigation", name="活动计划").get_by_role("link", name="年度计划").click()
    publicity.get_by_role("link", name="2027年").click()
    expect(publicity.get_by_role("heading", name="2027年普法活动计划")).to_be_visible()
    expect(publicity.get_by_role("listitem").filter(has=publicity.get_by_role("link", name=CAMPAIGN))).to_contain_text(
        "已批准"
    )


def _feed_event(url: str, summary: str):
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the live test server, as a calendar app would
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    events = [item for item in calendar.walk("VEVENT") if str(item["SUMMARY"]) == summary]
    assert len(events) == 1, [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")]
    return events[0]
