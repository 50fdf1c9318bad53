"""demo-staff finishes the 宪法学习 course by reading time, sits the open 学法测试 with a reload half-way, and
finds both on the learning record."""

import re

from playwright.sync_api import expect

from demo import exams as exams_demo
from demo.exam_questions import BANK
from learning.exams.answers import BLANK_MARK, parse_key, question_type_from_word
from learning.study.progress import HEARTBEAT_SECONDS
from tests.browser.conftest import assert_accessible, nav_link
from tests.clock import SUITE_TODAY

COURSE = "宪法学习"
LESSON = "公民的文化权利"
EXAM = exams_demo.OPEN_EXAM


def test_staff_complete_a_lesson_sit_an_exam_across_a_reload_and_see_both_on_the_record(journey):
    page = journey.window("demo-staff")
    expect(page.get_by_role("heading", name="我的学习", level=1)).to_be_visible()
    courses = page.get_by_role("region", name="我的课程")
    expect(courses.get_by_text("已完成 1/2 课时")).to_be_visible()

    # The course: lesson 1 is done, lesson 2 waits.
    courses.get_by_role("link", name=COURSE).click()
    expect(page.get_by_role("heading", name=COURSE, level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"继续学习：{LESSON}").click()
    expect(page.get_by_role("heading", name=LESSON, level=1)).to_be_visible()
    expect(page.get_by_text("至少学习 5 分钟并通过随堂测验")).to_be_visible()
    done = page.get_by_role("button", name="完成阅读")
    expect(done).to_be_hidden()
    assert_accessible(page)

    # She reads for five minutes. The page beats every 30 s while visible and the server credits the time
    # by its own clock: both clocks move on together, one beat at a time.
    progress = page.get_by_role("region", name="学习进度")
    for _ in range(5 * 60 // HEARTBEAT_SECONDS):
        journey.site.advance(HEARTBEAT_SECONDS)
        with page.expect_response(lambda r: "/heartbeat/" in r.url) as beat:
            page.clock.fast_forward(HEARTBEAT_SECONDS * 1000)
        assert beat.value.ok
    assert beat.value.json()["seconds"] >= 300
    expect(progress.get_by_text("已学习 5 分钟")).to_be_visible()
    expect(done).to_be_hidden()  # the lesson has a quiz: reading time alone does not complete it

    # With the time credited, passing the quiz completes the lesson, and with it the course.
    for choice in ("科学研究", "文学艺术创作", "其他文化活动"):
        page.get_by_label(choice).check()
    page.get_by_role("button", name="提交测验").click()
    page.wait_for_load_state()
    expect(page.get_by_text("恭喜！课程全部完成，已计入 2 学时")).to_be_visible()
    assert_accessible(page)

    # The open test: ten questions, one a screen, shuffled for her.
    nav_link(page, "考试").click()
    expect(page.get_by_role("heading", name="我的考试")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=EXAM).click()
    expect(page.get_by_role("heading", name=EXAM, level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_url(re.compile(r"/exams/attempts/\d+/$"))
    expect(page.get_by_role("timer")).to_be_visible()
    assert_accessible(page)
    answered = []
    for _ in range(5):
        answered.append(_answer(page))
        with page.expect_navigation():
            page.get_by_role("button", name="下一题").click()

    # Her phone reloads the page (or she closes it and comes back): the five answers are there.
    page.reload()
    navigation = page.get_by_role("navigation", name="题目导航")
    for position in range(1, 6):
        assert "is-answered" in navigation.get_by_role("link", name=f"第 {position} 题").get_attribute("class")
    navigation.get_by_role("link", name="第 3 题").click()
    page.wait_for_url(re.compile(r"\?q=3$"))
    assert _stem(page) == answered[2]
    assert _checked_or_filled(page)
    assert_accessible(page)

    for position in range(6, 11):
        navigation.get_by_role("link", name=f"第 {position} 题").click()
        page.wait_for_url(re.compile(rf"\?q={position}$"))
        _answer(page)
    page.get_by_role("button", name="交卷").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="确认交卷")).to_be_visible()
    assert "已答 10 题" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="确认交卷").click()
    expect(page.locator(".result-score")).to_have_text(re.compile(r"^100"))
    expect(page.get_by_text("合格", exact=True)).to_be_visible()
    assert_accessible(page)

    # The record has both: the course's 2 hours (自学 4 → 6), the test's 1 hour (考试 4 → 5), 34 → 37 in all.
    nav_link(page, "学习档案").click()
    expect(page.get_by_role("heading", name="我的学习档案")).to_be_visible()
    hours = page.get_by_role("region", name="学时汇总").get_by_role("row").nth(1)
    assert [cell.strip() for cell in hours.get_by_role("cell").all_inner_texts()] == ["6", "2", "24", "5", "37"]
    courses = page.get_by_role("region", name="必修课程")
    assert (
        courses.get_by_role("row")
        .filter(has_text=COURSE)
        .get_by_role("cell")
        .last.inner_text()
        .startswith(f"已完成（{SUITE_TODAY.month}月{SUITE_TODAY.day}日）")
    )
    exams = page.get_by_role("region", name="考试成绩")
    row = exams.get_by_role("row").filter(has_text=EXAM)
    assert row.get_by_role("cell").nth(1).inner_text() == "100 / 100"
    assert row.get_by_role("cell").nth(2).inner_text() == "合格"
    ledger = page.get_by_role("region", name="学时明细")
    expect(ledger.get_by_role("row").filter(has_text=f"课程：{COURSE}")).to_be_visible()
    assert_accessible(page)


def _plain(stem: str) -> str:
    return re.sub(r"\s", "", BLANK_MARK.sub("", stem))


KEYS = {
    _plain(stem): (
        question_type_from_word(word),
        options,
        parse_key(question_type_from_word(word), answer, len(options)),
    )
    for _, word, stem, options, answer, *_ in BANK
}


def _stem(page) -> str:
    return page.get_by_role("group", name=re.compile(r"^第 \d+ 题")).locator(".question__stem").inner_text()


def _answer(page) -> str:
    """Answer the question on screen rightly, as someone who studied the bank would, and wait for the autosave."""
    question = page.get_by_role("group", name=re.compile(r"^第 \d+ 题"))
    stem = _stem(page)
    qtype, options, key = KEYS[_plain(stem)]
    if qtype in ("single", "multiple"):
        for index in key:
            question.get_by_role(
                "radio" if qtype == "single" else "checkbox", name=re.compile(rf"^[A-H]\. {re.escape(options[index])}$")
            ).check()
    elif qtype == "true_false":
        question.get_by_role("radio", name="正确" if key[0] else "错误").check()
    else:
        for number, accepted in enumerate(key, start=1):
            question.get_by_label(f"第 {number} 空").fill(accepted[0])
    expect(page.locator("#save-status")).to_contain_text("已自动保存", timeout=15_000)
    return stem


def _checked_or_filled(page) -> bool:
    question = page.get_by_role("group", name=re.compile(r"^第 \d+ 题"))
    return question.evaluate(
        "box => [...box.querySelectorAll('input')].some(i => i.type === 'text' ? i.value.trim() : i.checked)"
    )
