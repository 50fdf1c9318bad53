"""A script posting every combination of a lesson quiz's answers at once, over HTTP to gunicorn (several
workers and threads) on the test's database: exactly one try is graded, and no lesson completes without
its reading time. Runs on SQLite (a file copy of the test database) and on PostgreSQL."""

import itertools
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest

from django.conf import settings
from django.test import Client
from django.urls import reverse

from learning.models import LearningRecord, LessonProgress, LessonQuizAttempt
from tests.clock import WALL
from tests.factories import staff
from tests.learning.study_helpers import make_course, quiz_block
from tests.live import ProcessDatabase, gunicorn

# The server is another process on the machine's clock; this test keeps to that clock too.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(WALL)]

BURST = 27  # every combination of three two-choice answers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener(cookies: dict):
    opener = urllib.request.build_opener(_NoRedirect)
    opener.addheaders = [("Cookie", "; ".join(f"{name}={value}" for name, value in cookies.items()))]
    return opener


def _status(opener, url, data=None) -> tuple[int, dict]:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=60) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:  # 302 (not followed) and errors alike
        return error.code, dict(error.headers)


def test_a_burst_of_every_answer_combination_gets_one_graded_try_and_no_completion(tmp_path):
    person = staff("burst")
    course = make_course(lessons=1, min_minutes=5, assign_everyone=True, quiz=False)
    lesson = course.lessons().first().specific
    lesson.body = [("paragraph", "<p>第一条 正文。</p>")] + [quiz_block(question=f"第{n}题") for n in range(3)]
    lesson.save_revision().publish()
    block_ids = [block_id for block_id, _ in lesson.quiz_questions()]
    combinations = list(itertools.product([["0"], ["1"], ["0", "1"]], repeat=len(block_ids)))
    assert [["0"]] * len(block_ids) in [list(c) for c in combinations]  # the right answers are in the burst
    browser = Client()
    browser.force_login(person)
    cookies = {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}

    database = ProcessDatabase(tmp_path)
    with gunicorn(database, tmp_path, workers=4, threads=8) as base:
        status, headers = _status(_opener(cookies), base + lesson.url)
        assert status == 200
        csrf = SimpleCookie(headers["Set-Cookie"])[settings.CSRF_COOKIE_NAME].value
        cookies[settings.CSRF_COOKIE_NAME] = csrf
        url = base + reverse("study:lesson_quiz", args=[lesson.pk])
        barrier = threading.Barrier(BURST)
        statuses = [None] * BURST

        def post(index):
            opener = _opener(cookies)
            data = {"csrfmiddlewaretoken": csrf}
            data.update({f"q-{block_id}": combinations[index][n] for n, block_id in enumerate(block_ids)})
            barrier.wait()
            statuses[index] = _status(opener, url, data)[0]

        threads = [threading.Thread(target=post, args=(index,)) for index in range(BURST)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert statuses == [302] * BURST
    assert LessonQuizAttempt.objects.filter(user=person, lesson=lesson).count() == 1
    progress = LessonProgress.objects.get(user=person, lesson=lesson)
    assert progress.completed_at is None and progress.seconds == 0
    assert not LearningRecord.objects.filter(user=person).exists()
