"""A new publicity officer finds next year unplanned in the demo and plans it with the button, moves an event in
next year's plan and submits; the department head approves; the department's calendar subscription shows the
confirmed event at its new time."""

import re
import urllib.request

import icalendar
from playwright.sync_api import expect

from django.utils import timezone

from campaigns.workdays import package_knows
from demo import campaigns as campaigns_demo
from demo import organisation as organisation_demo
from demo.day import DemoDay
from tests.browser.conftest import assert_accessible, login

PASSWORD = organisation_demo.DEMO_PASSWORD


class _Quiet:
    def write(self, *_):
        pass


def test_publicity_plans_next_year_and_the_head_approves_into_the_calendar(live_server, phone):
    day = DemoDay.seeding()
    organisation_demo.seed(_Quiet(), day=day)
    campaigns_demo.seed(_Quiet(), day=day)
    base = live_server.url
    page = phone
    this_year, next_year = day.year, day.year + 1

    # The demo walks through this year's plan ...
    login(page, base, "demo-publicity", PASSWORD)
    page.goto(f"{base}/campaigns/?year={this_year}")
    expect(page.get_by_role("heading", name=f"{this_year}年普法活动计划")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(f"^{this_year}年.*普法宣传活动$"))).to_have_count(10)
    expect(page.get_by_role("button", name=f"生成{this_year}年计划")).to_have_count(0)

    # ... and leaves next year to her: she generates it from its year page.
    page.get_by_role("link", name=f"{next_year}年").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=f"{next_year}年普法活动计划")).to_be_visible()
    unpublished = page.get_by_text(f"{next_year}年法定节假日和调休安排尚未公布")
    expect(unpublished).to_have_count(0 if package_knows(next_year) else 1)
    expect(page.get_by_role("link", name=re.compile(f"^{next_year}年.*普法宣传活动$"))).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name=f"生成{next_year}年计划").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"{next_year}年计划：新建 10 项活动草稿")).to_be_visible()
    expect(page.get_by_role("button", name=f"生成{next_year}年计划")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(f"^{next_year}年.*普法宣传活动$"))).to_have_count(10)
    assert_accessible(page)

    # She opens the 4.26 draft (led by 执法队) and moves its main event to the afternoon at the theatre.
    page.get_by_role("link", name=f"{next_year}年世界知识产权日普法宣传活动").click()
    page.wait_for_load_state()
    expect(page.get_by_text("文化市场综合行政执法队").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^修改.*世界知识产权日主题宣传活动")).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("开始时间").fill(f"{next_year}-04-26T14:00")
    page.get_by_label("结束时间").fill(f"{next_year}-04-26T16:30")
    page.get_by_label("地点").fill("市大剧院")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已保存“世界知识产权日主题宣传活动”")).to_be_visible()
    expect(page.get_by_text("14:00–16:30 · 市大剧院")).to_be_visible()
    campaign_url = page.url

    # ... and submits it for approval.
    page.get_by_role("button", name="提交审批").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已提交审批。")).to_be_visible()
    expect(page.get_by_text("待审批").first).to_be_visible()

    # She subscribes to 执法队's calendar ("订阅日历" from /campaigns/).
    page.goto(f"{base}/campaigns/")
    page.get_by_role("link", name="订阅日历").first.click()
    page.wait_for_load_state()
    page.get_by_label("处室日历").select_option(label="文化市场综合行政执法队")
    page.get_by_role("button", name="生成处室日历链接").click()
    page.wait_for_load_state()
    assert_accessible(page)
    feed_url = page.get_by_label("订阅链接（https）").input_value()
    webcal = page.get_by_role("link", name="在日历应用中打开").get_attribute("href")
    assert webcal.startswith("webcal://") and webcal.endswith(".ics")
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()

    # demo-head, who heads 执法队, approves it.
    login(page, base, "demo-head", PASSWORD)
    page.goto(campaign_url)
    expect(page.get_by_role("heading", name="审批", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("审批意见（可选）").fill("同意，注意剧场安全。")
    page.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("已批准。")).to_be_visible()
    assert_accessible(page)

    # The calendar client fetches the subscription: the event is there, confirmed, at its new time.
    with urllib.request.urlopen(feed_url) as response:  # noqa: S310 - the live test server
        body = response.read()
    assert response.headers["Content-Type"].startswith("text/calendar")
    (moved,) = [  # this year's campaign has an event of the same name, on its 26 April
        item
        for item in icalendar.Calendar.from_ical(body).walk("VEVENT")
        if str(item["SUMMARY"]) == "世界知识产权日主题宣传活动（现场宣传）" and item["DTSTART"].dt.year == next_year
    ]
    start = moved["DTSTART"].dt
    assert (timezone.localtime(start).isoformat(), str(moved["LOCATION"])) == (
        f"{next_year}-04-26T14:00:00+08:00",
        "市大剧院",
    )
    assert str(moved["STATUS"]) == "CONFIRMED"
    assert int(moved["SEQUENCE"]) >= 2  # moved once, confirmed once
