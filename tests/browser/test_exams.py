"""Staff sit an exam on a phone: answers autosave, a reload loses nothing, they hand in and see the result."""

import re
import time

from playwright.sync_api import expect

from learning.exams.models import Attempt
from tests.browser.conftest import assert_accessible, login
from tests.factories import DepartmentFactory, staff
from tests.learning.exam_helpers import make_exam, make_question

PASSWORD = "test-pass-2026"


def _paper():
    return [
        make_question(
            "single", stem="国家宪法日是每年的（　　）。", options=["12月4日", "3月15日", "4月26日", "5月19日"], key=[0]
        ),
        make_question(
            "single",
            stem="旅游者有权知悉其购买的旅游产品和服务的（　　）。",
            options=["真实情况", "成本价格", "利润"],
            key=[0],
        ),
        make_question(
            "multiple",
            stem="下列属于娱乐场所的有（　　）。",
            options=["歌舞娱乐场所", "游艺娱乐场所", "公共图书馆"],
            key=[0, 1],
        ),
        make_question("true_false", stem="网吧可以接纳未成年人。", key=[False]),
        make_question("fill", stem="著作权又称____。", key=[["版权"]]),
    ]


ANSWERS = {
    "国家宪法日": ["12月4日"],
    "旅游者有权知悉": ["真实情况"],
    "下列属于娱乐场所": ["歌舞娱乐场所", "游艺娱乐场所"],
    "网吧可以接纳": ["错误"],
}


def _answer_current(page):
    stem = page.locator(".question__stem").inner_text()
    if "著作权" in stem:
        page.get_by_label("第 1 空").fill("版权")
        page.get_by_label("第 1 空").blur()
        return
    for prefix, choices in ANSWERS.items():
        if stem.startswith(prefix):
            for choice in choices:
                page.locator("label.choice", has_text=re.compile(rf"^\s*[A-H.]*\s*{choice}\s*$")).click()
            return
    raise AssertionError(f"unexpected question {stem}")


def _wait_saved(page):
    expect(page.locator("#save-status")).to_contain_text("已自动保存", timeout=15_000)


def _wait_until(page, expression, *, timeout=15):
    """Poll ``expression`` in the page until it is true. The site's Content-Security-Policy forbids
    eval, which Playwright's wait_for_function uses; evaluate goes through the DevTools protocol."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(100)


def test_staff_sits_an_exam_on_a_phone_reloads_loses_nothing_and_sees_the_result(live_server, phone):
    person = staff("demo-staff", real_name="王晓红", department=DepartmentFactory(name="公共服务处"))
    exam = make_exam(
        _paper(),
        title="12·4国家宪法日学法测试",
        time_limit_minutes=20,
        shuffle_questions=True,
        shuffle_options=True,
        review_policy="immediately",
    )
    login(phone, live_server.url, "demo-staff", PASSWORD)
    phone.goto(f"{live_server.url}/exams/")
    assert_accessible(phone)
    phone.get_by_role("link", name=exam.title).click()
    assert_accessible(phone)
    phone.get_by_role("button", name="开始考试").click()
    phone.wait_for_url(re.compile(r"/exams/attempts/\d+/$"))
    assert re.search(r"\d\d:\d\d", phone.locator("#countdown").inner_text())
    assert_accessible(phone)

    # Answer the first two questions; each answer saves itself.
    for _ in range(2):
        _answer_current(phone)
        _wait_saved(phone)
        phone.get_by_role("button", name="下一题").click()
        phone.wait_for_load_state()

    # A reload in the middle (or a dropped connection, or a closed tab) loses nothing.
    phone.reload()
    phone.goto(phone.url.split("?")[0] + "?view=all")
    expect(phone.locator(".question-nav a.is-answered")).to_have_count(2)
    assert_accessible(phone)
    attempt = Attempt.objects.get(user=person)
    assert attempt.items.exclude(response=None).count() == 2

    # Carry on, one question a screen, then hand in.
    for position in range(3, 6):
        phone.goto(phone.url.split("?")[0] + f"?q={position}")
        _answer_current(phone)
        _wait_saved(phone)
    phone.get_by_role("button", name="交卷").click()
    phone.wait_for_load_state()
    expect(phone.get_by_role("heading", name="确认交卷")).to_be_visible()
    assert "已答 5 题" in phone.locator("main").inner_text()
    assert_accessible(phone)
    phone.get_by_role("button", name="确认交卷").click()
    phone.wait_for_load_state()

    assert phone.locator(".result-score").inner_text().startswith("10")
    expect(phone.get_by_text("合格", exact=True)).to_be_visible()
    expect(phone.get_by_text("正确答案").first).to_be_visible()
    expect(phone.get_by_role("link", name="查看合格证书")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="查看合格证书").click()
    expect(phone.get_by_role("img", name="证书验证二维码")).to_be_visible()
    assert_accessible(phone)


def _saved_responses(person) -> dict[str, object]:
    attempt = Attempt.objects.get(user=person)
    return {item.snapshot["stem"]: item.response for item in attempt.items.exclude(response=None)}


def test_answers_given_offline_are_kept_through_a_closed_tab_and_saved_when_the_paper_opens_again(live_server, phone):
    person = staff("demo-staff", real_name="王晓红")
    exam = make_exam(_paper(), title="断网测试", time_limit_minutes=20)
    login(phone, live_server.url, "demo-staff", PASSWORD)
    phone.goto(f"{live_server.url}/exams/{exam.pk}/")
    phone.get_by_role("button", name="开始考试").click()
    phone.wait_for_url(re.compile(r"/exams/attempts/\d+/$"))
    paper_url = phone.url
    phone.goto(paper_url + "?view=all")
    network = phone.context

    # The connection drops; the answer waits on the phone and goes in when the connection is back.
    network.set_offline(True)
    phone.get_by_role("group", name=re.compile("国家宪法日")).get_by_role("radio", name=re.compile("12月4日")).check()
    expect(phone.locator("#save-status")).to_contain_text("网络中断", timeout=15_000)
    assert _saved_responses(person) == {}
    network.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_saved(phone)
    assert _saved_responses(person) == {"国家宪法日是每年的（　　）。": [0]}

    # Offline again: two more answers, one still being typed, and then the tab is closed.
    network.set_offline(True)
    phone.get_by_role("group", name=re.compile("网吧可以接纳")).get_by_role("radio", name="错误").check()
    phone.get_by_label("第 1 空").press_sequentially("版权")
    expect(phone.locator("#save-status")).to_contain_text("网络中断", timeout=15_000)
    phone.close()
    assert len(_saved_responses(person)) == 1

    # Back online, she opens the paper again (one question a screen): what was kept is saved.
    network.set_offline(False)
    page = network.new_page()
    page.goto(paper_url)
    expect(page.locator(".question-nav a.is-answered")).to_have_count(3, timeout=15_000)
    _wait_saved(page)
    _wait_until(page, "!localStorage.length")
    assert _saved_responses(person) == {
        "国家宪法日是每年的（　　）。": [0],
        "网吧可以接纳未成年人。": [False],
        "著作权又称____。": ["版权"],
    }
    page.reload()
    expect(page.locator(".question-nav a.is-answered")).to_have_count(3)
    assert_accessible(page)


def test_a_question_with_photos_shows_them_on_a_phone_and_stays_accessible(live_server, phone):
    from learning.exams.models import Question
    from learning.exams.services.importing import question_import
    from tests.learning.test_question_pictures import png, quiz, relic_question

    staff("demo-staff", real_name="王晓红")
    pictures = [png("blue", (300, 200)), png("green", (300, 200)), png("olive", (300, 200))]
    assert question_import(fileobj=quiz(relic_question(option_pictures=pictures)), filename="relic.xml").ok
    exam = make_exam(list(Question.objects.all()), title="文物知识测试")
    login(phone, live_server.url, "demo-staff", PASSWORD)
    phone.goto(f"{live_server.url}/exams/{exam.pk}/")
    phone.get_by_role("button", name="开始考试").click()
    phone.wait_for_url(re.compile(r"/exams/attempts/\d+/$"))
    expect(phone.get_by_role("img", name="一件文物")).to_be_visible()
    expect(phone.locator("img.question__picture")).to_have_count(4)
    loaded = (
        "Array.from(document.querySelectorAll('img.question__picture')).every(i => i.complete && i.naturalWidth > 0)"
    )
    _wait_until(phone, loaded)
    width = phone.evaluate("document.querySelector('img.question__picture').getBoundingClientRect().right")
    assert width <= phone.viewport_size["width"]  # the photo fits the phone's screen
    assert_accessible(phone)
    phone.locator("label.choice", has_text="鼎").click()
    _wait_saved(phone)
