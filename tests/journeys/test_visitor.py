"""A member of the public searches in Chinese, reads a case and the law it rests on, and finds an event to go to."""

import datetime
import re
from urllib.parse import unquote

from playwright.sync_api import expect

from demo import campaigns as campaigns_demo
from tests.browser.conftest import assert_accessible, nav_link
from tests.clock import SUITE_TODAY

# The demo's month campaign: its first event two days after the suite's day, and its open quiz.
EVENT, _kind, DAYS, HOUR, _hours, PLACE, _capacity = campaigns_demo.MONTH_EVENTS[0]
EVENT_DAY = SUITE_TODAY + datetime.timedelta(days=DAYS)
WEEKDAYS = "一二三四五六日"
CASE = "未经许可擅自经营网吧被取缔：一起无证上网服务经营案"
LAW = "互联网上网服务营业场所管理条例"


def test_a_visitor_searches_reads_a_case_and_its_law_and_finds_an_upcoming_event(journey):
    page = journey.window()
    page.goto("/")
    assert_accessible(page)

    # "上网服务" is not a word of the case's title: jieba finds it in 互联网上网服务营业场所 in the body.
    page.get_by_role("searchbox").first.fill("上网服务")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("status").filter(has_text="上网服务")).to_be_visible()
    results = page.get_by_role("main").get_by_role("list").first
    expect(results.get_by_role("link", name=CASE)).to_be_visible()
    expect(results.locator("mark", has_text="上网服务").first).to_be_visible()  # one highlight, not 上网 + 服务
    assert_accessible(page)

    results.get_by_role("link", name=CASE).click()
    expect(page.get_by_role("heading", name=CASE, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="释法说理")).to_be_visible()
    assert_accessible(page)

    # The legal basis quotes the article and links to it in the law library.
    page.get_by_role("link", name=f"《{LAW}》第七条").click()
    page.wait_for_url(re.compile(r"/laws/"))
    assert unquote(page.url).endswith("#第七条")
    expect(page.get_by_role("heading", name=LAW, level=1)).to_be_visible()
    article = page.locator('[id="第七条"]')
    expect(article).to_be_visible()
    assert "实行许可制度" in article.inner_text()
    assert article.evaluate("node => node.getBoundingClientRect().top < window.innerHeight")
    assert_accessible(page)

    # Back to the header: what is on next? An event in two days, and a quiz open now.
    nav_link(page, "普法活动").click()
    expect(page.get_by_role("heading", name="普法活动", level=1)).to_be_visible()
    quiz = page.get_by_role("article").filter(has=page.get_by_role("heading", name=campaigns_demo.QUIZ_TITLE))
    expect(quiz.get_by_role("link", name=re.compile("^参加知识竞答"))).to_be_visible()
    event = page.get_by_role("article").filter(has=page.get_by_role("heading", name=EVENT))
    label = f"{EVENT_DAY.month}月{EVENT_DAY.day}日"
    if EVENT_DAY.year != SUITE_TODAY.year:
        label = f"{EVENT_DAY.year}年{label}"
    assert event.locator("time").inner_text().startswith(label)
    assert_accessible(page)

    event.get_by_role("link", name=EVENT).click()
    expect(page.get_by_role("heading", name=EVENT, level=1)).to_be_visible()
    weekday = WEEKDAYS[EVENT_DAY.weekday()]
    when = f"{EVENT_DAY.year}年{EVENT_DAY.month}月{EVENT_DAY.day}日 星期{weekday} {HOUR:02d}:00"
    expect(page.get_by_text(when)).to_be_visible()
    expect(page.get_by_text(PLACE)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
