"""The operations `make bench` measures, and what each needs (signed-in sessions, ids, attempts).

An operation is a dict: ``name``, ``label``, ``kind`` and what to send.

- ``wrk``: one request (``path``, ``method``, ``headers``, ``body``) repeated at the fixed concurrency;
- ``python``: ``streams()`` returns one list of requests per concurrent client, each list sent in
  order (state that changes with every request: a new attempt per start, the next revision per
  save); ``concurrency: 1`` measures one request at a time;
- ``inprocess``: ``call(index)`` run in this process (a management command).

``setup(op)`` runs in this process just before an operation is measured and may fill in its
path and headers from what earlier operations left (the attempt that exam start created).
"""

import datetime
import io
from importlib import import_module
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.utils import timezone

# Exam attempts the exam start operation makes (one person each); autosave and submit reuse them.
EXAM_SITTERS = {"quick": 8, "full": 48}
AUTOSAVES_PER_CLIENT = {"quick": 4, "full": 25}
SEARCH_QUERY = "网吧 未成年人"
# What people type into the search box: topics, two-word queries, a law's name, questions as spoken.
SEARCH_MIX = [
    "网吧 未成年人",
    "著作权",
    "导游",
    "文物保护 行政处罚",
    "旅行社经营许可",
    "娱乐场所营业时间",
    "民宿怎么办理",
    "非物质文化遗产",
]
# A visitor whose browser still sends an expired session cookie: the page cache never serves them.
STALE_SESSION = {"Cookie": f"{settings.SESSION_COOKIE_NAME}=bench-expired-session"}


def session_for(username: str) -> dict:
    """Cookie and CSRF headers of a signed-in session for ``username``.

    Signs in the way the site does (``django.contrib.auth.login`` through the test client, so the
    configured backend and the ``user_logged_in`` receivers set the session up), then checks that the
    session really carries the person: a benchmark of signed-in pages must not measure the login redirect.
    """
    from django.contrib.auth import get_user
    from django.test import Client, RequestFactory

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if get_user(request).pk != user.pk:
        raise RuntimeError(f"the benchmark session of {username} is not signed in")
    secret = _get_new_csrf_string()
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={secret}",
        "X-CSRFToken": _mask_cipher_secret(secret),
        "Referer": "http://127.0.0.1/",
    }


def bench_exam():
    from bench.data import BENCH_EXAM_TITLE
    from learning.exams.models import Exam

    return Exam.objects.get(title=BENCH_EXAM_TITLE)


def reset_state() -> None:
    """Undo what an earlier run's operations wrote, so every run starts from the same data.

    The benchmark exam loses its attempts, results, certificates and the hours its passes
    awarded, and opens again from yesterday; the plans ``plan_year`` made for later years go.
    """
    from campaigns.models import Campaign
    from learning.exams.models import Attempt, Certificate, ExamResult
    from learning.exams.services.awards import award_key
    from learning.models import LearningRecord

    exam = bench_exam()
    Certificate.objects.filter(exam=exam).delete()
    ExamResult.objects.filter(exam=exam).delete()
    LearningRecord.objects.filter(award_key=award_key(exam)).delete()
    Attempt.objects.filter(exam=exam).delete()
    now = timezone.now()
    exam.opens_at, exam.closes_at = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
    exam.save(update_fields=["opens_at", "closes_at"])
    Campaign.objects.filter(year__gt=timezone.localdate().year, planned=True).delete()


def prepare(scale: str) -> dict:
    from bench.data import LONG_LAW_SLUG
    from campaigns.models import CalendarFeed
    from website.models import ExplainerPage, LawPage

    reset_state()
    sitters = [f"bench{number:05d}" for number in range(100, 100 + EXAM_SITTERS[scale])]
    explainers = ExplainerPage.objects.filter(slug__startswith="bench-").order_by("path")
    return {
        "scale": scale,
        "staff": session_for("bench00001"),
        "oversight": session_for("bench-oversight"),
        "head": session_for("bench-head"),
        "sitters": [(username, session_for(username)) for username in sitters],
        "exam": bench_exam(),
        # An explainer from the middle of the section, and the 300-article law.
        "explainer_url": explainers[explainers.count() // 2].url,
        "law_url": LawPage.objects.get(slug=LONG_LAW_SLUG).url,
        "feed_url": "/campaigns/feeds/{}.ics".format(
            CalendarFeed.objects.active().filter(department__isnull=False).values_list("token", flat=True).first()
        ),
    }


def operations(fixtures: dict) -> list[dict]:
    return [
        {"name": "floor", "label": "framework floor (trivial view)", "kind": "wrk", "path": "/bench/floor/"},
        {"name": "home", "label": "public home page", "kind": "wrk", "path": "/"},
        *public_operations(fixtures),
        {
            "name": "my_start",
            "label": "我的学习 start page (signed in)",
            "kind": "wrk",
            "path": "/",
            "headers": fixtures["staff"],
        },
        *exam_operations(fixtures),
        {
            "name": "my_record",
            "label": "/me/record/ (own learning record)",
            "kind": "wrk",
            "path": "/me/record/",
            "headers": fixtures["staff"],
        },
        {
            "name": "calendar_feed",
            "label": "calendar feed .ics (a department's)",
            "kind": "wrk",
            "path": fixtures["feed_url"],
        },
        *oversight_operations(fixtures),
        {
            "name": "plan_year",
            "label": "plan_year (management command, in-process)",
            "kind": "inprocess",
            "call": _plan_year,
            "teardown": _unplan_year,
            "repeat": 3,
        },
    ]


def public_operations(fixtures: dict) -> list[dict]:
    return [
        {
            "name": "explainer_cached",
            "label": "explainer page, visitor (page cache)",
            "kind": "wrk",
            "path": fixtures["explainer_url"],
        },
        {
            "name": "explainer",
            "label": "explainer page, uncached",
            "kind": "wrk",
            "path": fixtures["explainer_url"],
            "headers": STALE_SESSION,
        },
        {
            "name": "search",
            "label": f"search “{SEARCH_QUERY}”",
            "kind": "wrk",
            "path": f"/search/?q={quote(SEARCH_QUERY)}",
        },
        {
            "name": "search_mix",
            "label": f"search, a mix of {len(SEARCH_MIX)} Chinese queries",
            "kind": "wrk",
            "paths": [f"/search/?q={quote(query)}" for query in SEARCH_MIX],
        },
        {
            "name": "search_stock",
            "label": "search floor: the same mix, bakerydemo's view, Wagtail's stock backend",
            "kind": "wrk",
            "paths": [f"/bench/stock-search/?q={quote(query)}" for query in SEARCH_MIX],
        },
        {
            "name": "law_cached",
            "label": "law page, 300 articles, visitor (page cache)",
            "kind": "wrk",
            "path": fixtures["law_url"],
        },
        {
            "name": "law",
            "label": "law page, 300 articles, uncached",
            "kind": "wrk",
            "path": fixtures["law_url"],
            "headers": STALE_SESSION,
        },
    ]


def _search_sql(query: str) -> tuple[str, tuple]:
    """The SQL and parameters of the page of results the site's search asks the database for, as a visitor."""
    from django.contrib.auth.models import AnonymousUser

    from wagtail.models import Page

    from website.models import HomePage
    from website.search import readable_pages
    from website.segmentation import query_terms

    pages = readable_pages(AnonymousUser(), Page.objects.not_type(HomePage).filter(depth__gt=1))
    results = pages.search(" ".join(query_terms(query)), operator="and")[:10]
    return results.get_queryset().query.sql_with_params()


def search_sql(query: str) -> str:
    """The SQL of the site's search for ``query`` (parameters as placeholders)."""
    return _search_sql(query)[0]


def explain_search(query: str = SEARCH_QUERY) -> dict:
    """``EXPLAIN ANALYZE`` of the page of results the site's search asks the database for (PostgreSQL)."""
    from django.db import connection

    sql, params = _search_sql(query)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"query": query, "plan": plan}


def exam_operations(fixtures: dict) -> list[dict]:
    """Sitting the 100-question exam: start (a new attempt each), a question page, autosave, submit."""
    exam = fixtures["exam"]
    sitters = fixtures["sitters"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def start_streams():
        requests = [
            {"method": "POST", "path": f"/exams/{exam.pk}/start/", "headers": headers} for _, headers in sitters
        ]
        return _deal(requests)

    def question_page(op):
        attempt = _attempts(exam, sitters[:1])[0]
        op.update(path=f"/exams/attempts/{attempt.pk}/", headers=sitters[0][1])

    def autosave_streams():
        streams = []
        count = AUTOSAVES_PER_CLIENT[fixtures["scale"]]
        for attempt, (_, headers) in zip(_attempts(exam, sitters[:8]), sitters[:8], strict=True):
            item = attempt.items.filter(snapshot__qtype="single").order_by("position").first()
            streams.append(
                [
                    {
                        "method": "POST",
                        "path": f"/exams/attempts/{attempt.pk}/save/",
                        "headers": {**headers, **form, "Accept": "application/json"},
                        "body": f"items={item.pk}&q{item.pk}={'AB'[n % 2]}&rev{item.pk}={item.revision + n}",
                    }
                    for n in range(count)
                ]
            )
        return streams

    def submit_streams():
        attempts = _attempts(exam, sitters)
        _answer(attempts)
        return _deal(
            [
                {"method": "POST", "path": f"/exams/attempts/{attempt.pk}/submit/", "headers": headers}
                for attempt, (_, headers) in zip(attempts, sitters, strict=True)
            ]
        )

    return [
        {
            "name": "exam_start",
            "label": "exam start (draws 100 of the bank's questions)",
            "kind": "python",
            "streams": start_streams,
            "expect_location": "/exams/attempts/",
        },
        {
            "name": "exam_question",
            "label": "exam question page",
            "kind": "wrk",
            "setup": question_page,
        },
        {
            "name": "exam_autosave",
            "label": "answer autosave",
            "kind": "python",
            "streams": autosave_streams,
        },
        {
            "name": "exam_submit",
            "label": "exam submit (100 questions graded)",
            "kind": "python",
            "streams": submit_streams,
            "expect_location": "/result/",
        },
    ]


def _deal(requests: list[dict], clients: int = 8) -> list[list[dict]]:
    return [requests[index::clients] for index in range(clients) if requests[index::clients]]


def _attempts(exam, sitters) -> list:
    """The open attempts of these people at the exam, in the people's order."""
    from learning.exams.models import Attempt

    by_user = {
        attempt.user.username: attempt for attempt in Attempt.objects.open().filter(exam=exam).select_related("user")
    }
    missing = [username for username, _ in sitters if username not in by_user]
    if missing:
        raise RuntimeError(f"no open attempt of {', '.join(missing)}: did exam start fail?")
    return [by_user[username] for username, _ in sitters]


def _answer(attempts) -> None:
    """Fill in nine answers in ten right (as saved by autosave), so every submit grades a full paper and passes."""
    from learning.exams.models import AttemptItem

    items = list(AttemptItem.objects.filter(attempt__in=attempts))
    for item in items:
        key = item.snapshot["key"]
        right = item.position % 10 != 0
        if item.snapshot["qtype"] == "fill":
            item.response = [accepted[0] if right else "不知道" for accepted in key]
        elif item.snapshot["qtype"] == "essay":
            item.response = "答案"
        elif item.snapshot["qtype"] == "true_false":
            item.response = key if right else [not key[0]]
        else:
            wrong = [index for index in range(len(item.snapshot["options"])) if index not in key][:1]
            item.response = key if right else wrong
        item.revision += 1
    AttemptItem.objects.bulk_update(items, ["response", "revision"], batch_size=500)


def oversight_operations(fixtures: dict) -> list[dict]:
    """The committee's dashboard (every person and record of the year), a head's, and the year's downloads.

    Measured one request at a time: the targets (dashboard under 1 s, export under 10 s) are about
    how long one person waits, not about queueing behind seven others on two workers.
    """
    year = timezone.localdate().year
    return [
        {
            "name": "oversight_dashboard",
            "label": "法治督查 dashboard, whole bureau",
            "kind": "python",
            "concurrency": 1,
            "repeat": 10,
            "path": f"/oversight/?year={year}",
            "headers": fixtures["oversight"],
        },
        {
            "name": "oversight_dashboard_head",
            "label": "法治督查 dashboard, one department, head",
            "kind": "python",
            "concurrency": 1,
            "repeat": 10,
            "path": f"/oversight/?year={year}",
            "headers": fixtures["head"],
        },
        {
            "name": "oversight_people_behind",
            "label": "法治督查 people behind, drill-down",
            "kind": "python",
            "concurrency": 1,
            "repeat": 10,
            "path": f"/oversight/people/?year={year}&status=%E8%90%BD%E5%90%8E",
            "headers": fixtures["oversight"],
        },
        {
            "name": "oversight_figures_cold",
            "label": "法治督查 figures after a new learning record (in-process, ledger summed afresh)",
            "kind": "inprocess",
            "call": _cold_figures,
            "repeat": 3,
        },
        {
            "name": "oversight_export",
            "label": "year export .xlsx, whole bureau",
            "kind": "python",
            "concurrency": 1,
            "path": f"/oversight/export.xlsx?year={year}",
            "headers": fixtures["oversight"],
            "repeat": 3,
        },
        {
            "name": "oversight_report",
            "label": "annual report .docx",
            "kind": "python",
            "concurrency": 1,
            "path": f"/oversight/report.docx?year={year}",
            "headers": fixtures["oversight"],
            "repeat": 3,
        },
    ]


def _cold_figures(index: int) -> None:
    from oversight import ledger
    from oversight.figures import year_figures

    year = timezone.localdate().year
    ledger.forget(year)
    year_figures(year=year)


def _plan_year(index: int) -> None:
    """Next year's plan: a draft campaign per key date with its milestones and event."""
    from django.core.management import call_command

    call_command("plan_year", str(timezone.localdate().year + 1), stdout=io.StringIO())


def _unplan_year(index: int) -> None:
    from campaigns.models import Campaign

    Campaign.objects.filter(year=timezone.localdate().year + 1, planned=True).delete()
