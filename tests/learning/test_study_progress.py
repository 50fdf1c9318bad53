"""Lesson heartbeats, completion, lesson quizzes and the once-only course credit."""

import datetime
from decimal import Decimal

import pytest

from django.db import connection
from django.test import Client
from django.urls import reverse

from learning.models import LearningRecord, LessonProgress, LessonQuizAttempt
from learning.study.progress import (
    HEARTBEAT_SECONDS,
    HEARTBEAT_SLACK,
    QUIZ_RETRY_SECONDS,
    ProgressRefused,
    lesson_complete,
    lesson_heartbeat,
    lesson_open,
    lesson_quiz_submit,
    lesson_view_token,
)
from tests.clock import at
from tests.learning.study_helpers import make_course, study_lesson
from tests.learning.test_exam_concurrency import run_together

T0 = at(11, 27, 17)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(T0)]
CAP = HEARTBEAT_SECONDS + HEARTBEAT_SLACK


@pytest.fixture
def person(world):
    return world.user("staff")


@pytest.fixture
def lesson():
    course = make_course(lessons=2, min_minutes=5, length_minutes=10, assign_everyone=True)
    return course.lessons().first()


def beat(user, lesson, token, seq, at, kind="beat"):
    return lesson_heartbeat(user=user, lesson=lesson, token=token, seq=seq, kind=kind, now=at)


def seconds(user, lesson):
    return LessonProgress.objects.get(user=user, lesson=lesson).seconds


def test_time_between_beats_is_credited_from_the_servers_clock(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 1, T0, kind="start")
    for n in range(1, 11):
        beat(person, lesson, token, n + 1, T0 + datetime.timedelta(seconds=30 * n))
    assert seconds(person, lesson) == 300


def test_a_burst_of_forged_beats_credits_only_the_real_elapsed_time(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 1, T0, kind="start")
    for n in range(2, 202):  # 200 beats, the last 4.02 s after the start
        beat(person, lesson, token, n, T0 + datetime.timedelta(milliseconds=20 * n))
    assert seconds(person, lesson) == Decimal("4.020")


def test_one_beat_after_a_long_silence_credits_at_most_one_interval(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 1, T0, kind="start")
    result = beat(person, lesson, token, 2, T0 + datetime.timedelta(minutes=9))
    assert result.credited == CAP
    assert seconds(person, lesson) == CAP


def test_parallel_tabs_share_one_clock_and_never_count_double(person, lesson):
    tab_a = lesson_view_token(user=person, lesson=lesson, now=T0)
    tab_b = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, tab_a, 1, T0, kind="start")
    beat(person, lesson, tab_b, 1, T0 + datetime.timedelta(seconds=1), kind="start")
    # Both tabs beat every 30 s for four minutes, offset by 15 s.
    for n in range(1, 9):
        at = T0 + datetime.timedelta(seconds=30 * n)
        beat(person, lesson, tab_a, n + 1, at)
        beat(person, lesson, tab_b, n + 1, at + datetime.timedelta(seconds=15))
    elapsed = 30 * 8 + 15
    assert seconds(person, lesson) <= elapsed
    assert LessonProgress.objects.filter(user=person, lesson=lesson).count() == 1


def test_parallel_tabs_on_different_lessons_never_count_more_than_the_real_time(person, lesson):
    """A person reads one lesson at a time: two lessons beating at once share the real elapsed time."""
    other = lesson.get_next_siblings().specific().first()
    tab_a = lesson_view_token(user=person, lesson=lesson, now=T0)
    tab_b = lesson_view_token(user=person, lesson=other, now=T0)
    beat(person, lesson, tab_a, 1, T0, kind="start")
    beat(person, other, tab_b, 1, T0 + datetime.timedelta(seconds=1), kind="start")
    for n in range(1, 9):
        at = T0 + datetime.timedelta(seconds=30 * n)
        beat(person, lesson, tab_a, n + 1, at)
        beat(person, other, tab_b, n + 1, at + datetime.timedelta(seconds=15))
    elapsed = 30 * 8 + 15
    assert 0 < seconds(person, lesson) + seconds(person, other) <= elapsed


def test_a_forged_burst_on_every_lesson_of_a_course_credits_the_real_time_once(person):
    course = make_course(lessons=6, min_minutes=5, length_minutes=10, assign_everyone=True)
    lessons = list(course.lessons())
    tokens = [lesson_view_token(user=person, lesson=item, now=T0) for item in lessons]
    for item, token in zip(lessons, tokens, strict=True):
        beat(person, item, token, 1, T0, kind="start")
    for n in range(1, 11):  # five minutes, every lesson beating every 30 s
        for item, token in zip(lessons, tokens, strict=True):
            beat(person, item, token, n + 1, T0 + datetime.timedelta(seconds=30 * n))
    assert sum(seconds(person, item) for item in lessons) <= 300
    assert sum(1 for item in lessons if seconds(person, item) >= item.min_seconds) <= 1


def test_a_replayed_beat_is_ignored(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 1, T0, kind="start")
    beat(person, lesson, token, 2, T0 + datetime.timedelta(seconds=30))
    replay = beat(person, lesson, token, 2, T0 + datetime.timedelta(seconds=60))
    assert replay.ignored == "replayed" and replay.credited == 0
    assert seconds(person, lesson) == 30


def test_an_out_of_order_beat_is_ignored(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 5, T0, kind="start")
    late = beat(person, lesson, token, 3, T0 + datetime.timedelta(seconds=30))
    assert late.ignored == "replayed"
    assert seconds(person, lesson) == 0


def test_credited_time_never_exceeds_the_lesson_length(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 1, T0, kind="start")
    for n in range(1, 61):  # half an hour of honest beats on a ten-minute lesson
        beat(person, lesson, token, n + 1, T0 + datetime.timedelta(seconds=30 * n))
    assert seconds(person, lesson) == lesson.length_seconds == 600


def test_hidden_time_is_not_counted(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 1, T0, kind="start")
    beat(person, lesson, token, 2, T0 + datetime.timedelta(seconds=30))
    beat(person, lesson, token, 3, T0 + datetime.timedelta(seconds=40), kind="pause")
    beat(person, lesson, token, 4, T0 + datetime.timedelta(minutes=20), kind="start")
    beat(person, lesson, token, 5, T0 + datetime.timedelta(minutes=20, seconds=30))
    assert seconds(person, lesson) == 30 + 10 + 30


@pytest.mark.parametrize("case", ["tampered", "other_person", "other_lesson", "expired"])
def test_a_forged_token_is_refused(case, person, lesson, world):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    now = T0
    if case == "tampered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif case == "other_person":
        token = lesson_view_token(user=world.user("other_staff"), lesson=lesson, now=T0)
    elif case == "other_lesson":
        token = lesson_view_token(user=person, lesson=lesson.get_next_siblings().first(), now=T0)
    else:
        now = T0 + datetime.timedelta(hours=9)
    with pytest.raises(ProgressRefused):
        beat(person, lesson, token, 1, now)
    assert not LessonProgress.objects.filter(user=person, lesson=lesson, seconds__gt=0).exists()


def test_the_heartbeat_endpoint_needs_a_csrf_token(person, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    url = reverse("study:lesson_heartbeat", args=[lesson.pk])
    assert client.post(url, {"token": token, "seq": 1}).status_code == 403


def test_the_heartbeat_endpoint_reports_progress_and_rejects_bad_input(client, person, lesson, clock):
    client.force_login(person)
    url = reverse("study:lesson_heartbeat", args=[lesson.pk])
    clock.move_to(T0, tick=False)
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    assert client.post(url, {"token": token, "seq": 1, "kind": "start"}).json()["seconds"] == 0
    clock.shift(seconds=30)
    data = client.post(url, {"token": token, "seq": 2, "scroll": 400}).json()
    assert data == {
        "seconds": 30,
        "credited": 30,
        "min_seconds": 300,
        "length_seconds": 600,
        "can_complete": False,
        "completed": False,
        "ignored": "",
    }
    assert client.post(url, {"token": token, "seq": "x"}).status_code == 400
    assert client.post(url, {"token": "forged", "seq": 3}).json()["error"]
    assert LessonProgress.objects.get(user=person, lesson=lesson).scroll == 400


# Completion ---------------------------------------------------------------------------------


def read_for(user, lesson, minutes, start=T0):
    token = lesson_view_token(user=user, lesson=lesson, now=start)
    beat(user, lesson, token, 1, start, kind="start")
    for n in range(1, minutes * 2 + 1):
        beat(user, lesson, token, n + 1, start + datetime.timedelta(seconds=30 * n))
    return token


def test_a_lesson_cannot_be_completed_before_its_minimum_time(person, lesson):
    token = read_for(person, lesson, 2)
    with pytest.raises(ProgressRefused, match="阅读时间未满 5 分钟"):
        lesson_complete(user=person, lesson=lesson, token=token, now=T0 + datetime.timedelta(minutes=2))
    assert LessonProgress.objects.get(user=person, lesson=lesson).completed_at is None


def pass_quiz(user, lesson, at=T0):
    block_id = lesson.quiz_questions()[0][0]
    return lesson_quiz_submit(user=user, lesson=lesson, answers={block_id: [0]}, now=at)


def test_a_lesson_completes_after_its_minimum_visible_time_and_a_passed_quiz(person, lesson):
    token = read_for(person, lesson, 5)
    five = T0 + datetime.timedelta(minutes=5)
    with pytest.raises(ProgressRefused, match="请先通过本课时的随堂测验"):
        lesson_complete(user=person, lesson=lesson, token=token, now=five)
    pass_quiz(person, lesson, at=five)
    assert LessonProgress.objects.get(user=person, lesson=lesson).completed_by == "quiz"


def test_a_lesson_without_a_quiz_completes_after_its_minimum_visible_time(person):
    lesson = make_course(lessons=1, quiz=False, assign_everyone=True).lessons().first()
    token = read_for(person, lesson, 5)
    result = lesson_complete(user=person, lesson=lesson, token=token, now=T0 + datetime.timedelta(minutes=5))
    assert result.newly_completed and result.progress.completed_by == "time"


def test_a_passed_quiz_does_not_complete_a_lesson_before_its_minimum_time(person, lesson):
    result = pass_quiz(person, lesson)
    assert result.attempt.passed and result.completion is None
    progress = LessonProgress.objects.get(user=person, lesson=lesson)
    assert progress.quiz_passed_at == T0 and progress.completed_at is None
    token = read_for(person, lesson, 5, start=T0 + datetime.timedelta(seconds=1))
    completion = lesson_complete(user=person, lesson=lesson, token=token, now=T0 + datetime.timedelta(minutes=6))
    assert completion.newly_completed and completion.progress.seconds >= lesson.min_seconds


def test_heartbeats_keep_fractional_seconds(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    beat(person, lesson, token, 1, T0, kind="start")
    for n in range(1, 35):  # a beat every 0.9 s for 30.6 s
        beat(person, lesson, token, n + 1, T0 + datetime.timedelta(milliseconds=900 * n))
    assert seconds(person, lesson) == Decimal("30.600")


def test_without_javascript_a_lesson_completes_once_the_page_was_open_for_the_minimum_time(person, lesson):
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    pass_quiz(person, lesson)  # the quiz is a plain form
    with pytest.raises(ProgressRefused):
        lesson_complete(user=person, lesson=lesson, token=token, now=T0 + datetime.timedelta(minutes=4))
    result = lesson_complete(user=person, lesson=lesson, token=token, now=T0 + datetime.timedelta(minutes=5))
    assert result.newly_completed
    assert result.progress.seconds == 0  # no visible time was reported, so none is claimed


def test_without_javascript_two_lessons_open_at_once_do_not_both_complete_in_the_minimum_time(person, lesson):
    other = lesson.get_next_siblings().specific().first()
    first = lesson_view_token(user=person, lesson=lesson, now=T0)
    second = lesson_view_token(user=person, lesson=other, now=T0)
    lesson_open(user=person, lesson=lesson, now=T0)
    lesson_open(user=person, lesson=other, now=T0)
    pass_quiz(person, lesson)
    pass_quiz(person, other)
    five = T0 + datetime.timedelta(minutes=5)
    assert lesson_complete(user=person, lesson=lesson, token=first, now=five).newly_completed
    with pytest.raises(ProgressRefused, match="阅读时间未满 5 分钟"):
        lesson_complete(user=person, lesson=other, token=second, now=five)
    assert lesson_complete(user=person, lesson=other, token=second, now=T0 + datetime.timedelta(minutes=10))


def test_reading_one_lesson_after_another_counts_each_in_full(person, lesson):
    other = lesson.get_next_siblings().specific().first()
    read_for(person, lesson, 5)
    pass_quiz(person, lesson, at=T0 + datetime.timedelta(minutes=5))
    later = T0 + datetime.timedelta(minutes=5, seconds=2)
    read_for(person, other, 5, start=later)
    assert seconds(person, lesson) == seconds(person, other) == 300


def test_passing_the_quiz_after_the_minimum_time_completes_the_lesson(person, lesson):
    read_for(person, lesson, 5)
    result = pass_quiz(person, lesson, at=T0 + datetime.timedelta(minutes=5))
    assert result.attempt.passed and result.completion.progress.completed_by == "quiz"


def test_failing_the_quiz_leaves_the_lesson_open(person, lesson):
    block_id = lesson.quiz_questions()[0][0]
    result = lesson_quiz_submit(user=person, lesson=lesson, answers={block_id: [1]}, now=T0)
    assert not result.attempt.passed and result.completion is None
    assert not LessonProgress.objects.filter(user=person, lesson=lesson, completed_at__isnull=False).exists()


def test_one_quiz_try_is_graded_a_minute_so_guessing_cannot_replace_reading(person, lesson):
    block_id = lesson.quiz_questions()[0][0]
    read_for(person, lesson, 5, start=T0 - datetime.timedelta(minutes=5, seconds=1))
    lesson_quiz_submit(user=person, lesson=lesson, answers={block_id: [1]}, now=T0)
    soon = T0 + datetime.timedelta(seconds=QUIZ_RETRY_SECONDS - 20)
    with pytest.raises(ProgressRefused, match="20 秒后可再次提交测验"):
        lesson_quiz_submit(user=person, lesson=lesson, answers={block_id: [0]}, now=soon)
    assert LessonQuizAttempt.objects.filter(user=person, lesson=lesson).count() == 1
    later = T0 + datetime.timedelta(seconds=QUIZ_RETRY_SECONDS)
    assert lesson_quiz_submit(user=person, lesson=lesson, answers={block_id: [0]}, now=later).completion
    # Once the lesson is done, the quiz is practice: no waiting.
    lesson_quiz_submit(user=person, lesson=lesson, answers={block_id: [1]}, now=later)
    assert lesson_quiz_submit(user=person, lesson=lesson, answers={block_id: [0]}, now=later).attempt.passed


def test_the_quiz_answer_key_is_not_sent_before_submitting(client, person, lesson):
    client.force_login(person)
    html = client.get(lesson.url).content.decode()
    assert "宪法是国家的什么法" in html
    assert "正确答案" not in html and "correct" not in html.lower().replace("incorrect", "")
    assert "解析" not in html


def test_quiz_feedback_shows_the_answers_only_once_the_quiz_is_passed(client, person, lesson, clock):
    block_id = lesson.quiz_questions()[0][0]
    url = reverse("study:lesson_quiz", args=[lesson.pk])
    clock.move_to(T0, tick=False)
    client.force_login(person)
    failed = client.get(client.post(url, {f"q-{block_id}": "1"}).url.split("#")[0]).content.decode()
    assert "回答错误" in failed and "通过测验后显示正确答案与解析" in failed
    assert "正确答案" not in failed.replace("显示正确答案", "") and "宪法是国家的根本法。" not in failed
    clock.shift(seconds=QUIZ_RETRY_SECONDS)
    passed = client.get(client.post(url, {f"q-{block_id}": "0"}).url.split("#")[0]).content.decode()
    # An earlier failed attempt shows its key once the lesson is done.
    earlier = LessonQuizAttempt.objects.filter(user=person, passed=False).get()
    again = client.get(f"{lesson.url}?quiz={earlier.pk}").content.decode()
    assert "回答正确" in passed and "正确答案" in passed and "宪法是国家的根本法。" in passed
    assert "回答错误" in again and '<span class="tag">正确答案</span>' in again


# Course credit ------------------------------------------------------------------------------


def test_the_course_credit_is_awarded_when_the_last_lesson_completes(person):
    course = make_course(lessons=2, credit_hours=Decimal("3"), assign_everyone=True)
    first, second = course.lessons()
    assert study_lesson(person, first, now=T0).completion.course_record is None
    completion = study_lesson(person, second, now=T0).completion
    assert completion.course_newly_credited
    record = LearningRecord.objects.get(user=person)
    assert (record.award_key, record.hours, record.source) == (f"course:{course.pk}", Decimal("3.00"), "self_study")


def test_completing_again_never_awards_the_course_twice(client, person):
    course = make_course(lessons=1, assign_everyone=True)
    lesson = course.lessons().first()
    client.force_login(person)
    block_id = lesson.quiz_questions()[0][0]
    url = reverse("study:lesson_quiz", args=[lesson.pk])
    client.post(url, {f"q-{block_id}": "0"})
    client.post(url, {f"q-{block_id}": "0"})
    token = lesson_view_token(user=person, lesson=lesson, now=T0)
    lesson_complete(user=person, lesson=lesson, token=token, now=T0 + datetime.timedelta(hours=1))
    assert LearningRecord.objects.filter(user=person, award_key=f"course:{course.pk}").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_completions_award_the_course_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    person = world.user("staff")
    course = make_course(lessons=1, assign_everyone=True)
    lesson = course.lessons().first()
    pass_quiz(person, lesson)
    token = read_for(person, lesson, 5)
    done = T0 + datetime.timedelta(minutes=5)
    _, errors = run_together(lambda index: lesson_complete(user=person, lesson=lesson, token=token, now=done), count=2)
    assert not errors
    assert LearningRecord.objects.filter(user=person, award_key=f"course:{course.pk}").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_lessons_beating_at_the_same_moment_share_the_time(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    person = world.user("staff")
    course = make_course(lessons=2, assign_everyone=True)
    lessons = list(course.lessons())
    tokens = [lesson_view_token(user=person, lesson=item, now=T0) for item in lessons]
    for item, token in zip(lessons, tokens, strict=True):
        beat(person, item, token, 1, T0, kind="start")
    _, errors = run_together(
        lambda index: beat(person, lessons[index], tokens[index], 2, T0 + datetime.timedelta(seconds=30)), count=2
    )
    assert not errors
    assert sum(seconds(person, item) for item in lessons) <= 30


def test_the_course_page_offers_to_continue_where_the_person_stopped(client, person, clock):
    course = make_course(lessons=3, assign_everyone=True)
    first, second, third = course.lessons()
    study_lesson(person, first, now=T0)
    client.force_login(person)
    client.get(third.url)
    html = client.get(course.url).content.decode()
    assert f'href="{third.url}">继续学习' in html
    token = lesson_view_token(user=person, lesson=third, now=T0)
    clock.move_to(T0, tick=False)
    lesson_heartbeat(user=person, lesson=third, token=token, seq=1, kind="start", scroll=750, now=T0)
    assert 'data-scroll="750"' in client.get(third.url).content.decode()
