"""A visitor on a phone finds the 12.4 online quiz among the public events, takes it, and reads the result."""

from playwright.sync_api import expect

from campaigns.models import EventOutcome, QuizParticipant
from tests.browser.conftest import assert_accessible
from tests.campaigns.quiz_helpers import SECRET_EXPLANATION, bank, make_quiz


def test_a_visitor_takes_the_quiz_on_a_phone_and_sees_the_result(live_server, phone, settings):
    settings.QUIZ_MIN_FILL_SECONDS = 1
    bank()
    quiz = make_quiz(count=5)
    base = live_server.url
    page = phone

    page.goto(f"{base}/events/")
    page.get_by_role("link", name="宪法知识线上竞答", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="知识竞答")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="参加知识竞答").click()
    page.wait_for_load_state()
    expect(page.get_by_text("共 5 题")).to_be_visible()
    assert SECRET_EXPLANATION not in page.content()
    trap = page.locator("#id_website")  # the honeypot: off screen and out of the tab order
    box = trap.bounding_box()
    assert box["x"] + box["width"] <= 0 and trap.get_attribute("tabindex") == "-1"
    assert_accessible(page)

    page.get_by_label("姓名").fill("王晓红")
    page.get_by_label("手机号码").fill("138 0013 8000")
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(5)
    for index in range(5):
        questions.nth(index).locator("input").first.check()
    page.wait_for_timeout(1100)  # people take longer than the minimum fill time
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", name="答案与解析")).to_be_visible()
    expect(page.get_by_text("王晓红 · 138****8000")).to_be_visible()
    expect(page.get_by_text("正确答案").first).to_be_visible()
    assert SECRET_EXPLANATION in page.content()
    assert_accessible(page)

    # Taking it again the same day with the same phone number is politely refused.
    page.goto(f"{base}/events/{quiz.event_id}/quiz/")
    page.get_by_label("姓名").fill("王晓红")
    page.get_by_label("手机号码").fill("13800138000")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_load_state()
    expect(page.get_by_text("该手机号今天已参加过本次竞答，请明天再来。")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="返回活动页面").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="参加知识竞答")).to_be_visible()

    assert QuizParticipant.objects.count() == 1
    assert EventOutcome.objects.get(event_id=quiz.event_id).online_reach == 1
