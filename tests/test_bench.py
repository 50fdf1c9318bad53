"""The benchmark's own bookkeeping: the query comparison between data sets, the tables it writes, the
PostgreSQL database it picks, and the search floor and index it relies on.

`make bench QUICK=1` in CI runs the real thing; these check, without a server, that an operation
issuing more SQL queries on the full data set is named and fails the full run's check.
"""

from http.cookies import SimpleCookie

import pytest

from django.conf import settings
from django.db import connection

from bench.operations import search_sql, session_for
from bench.run import compare_queries, markdown, percentile, postgres_url, query_counts, side_by_side
from tests.factories import staff
from tests.website.conftest import make_case
from website.models import Domain, ExplainerIndexPage


def result(name, queries, **extra):
    return {
        "name": name,
        "label": name,
        "kind": "wrk",
        "concurrency": 8,
        "median_ms": 1.0,
        "p95_ms": 2.0,
        "throughput_rps": 100.0,
        "queries": queries,
        "queries_min": queries,
        "cpu_ms_per_request": 1.0,
        "errors": 0,
        **extra,
    }


def report(results, *, scale="full", grown=(), compared_with="results-quick.json", **extra):
    return {
        "scale": scale,
        "sizes": {"staff": 5000},
        "when": "2026-11-27 12:00:00 +0800",
        "machine": {"cpus": 2, "python": "3.11.7", "platform": "Linux", "load_average": 1.0},
        "server": "gunicorn",
        "client": "wrk",
        "concurrency": 8,
        "seconds_per_operation": 10,
        "database": "sqlite",
        "compared_with": compared_with,
        "queries_grow": list(grown),
        "results": results,
        **extra,
    }


def test_an_operation_with_more_queries_on_the_full_data_set_is_named():
    full = [result("search", 15), result("record", 40), result("feed", 4)]
    quick = {"results": [result("search", 15), result("record", 38), result("feed", 5)]}
    assert compare_queries(full, quick, scale="full") == ["record (38 → 40)"]
    assert (full[1]["queries_quick"], full[1]["queries_full"]) == (38, 40)


def test_a_quick_run_compares_with_the_full_results_the_other_way_round():
    quick = [result("search", 15), result("record", 38)]
    full = {"results": [result("search", 15), result("record", 40)]}
    assert compare_queries(quick, full, scale="quick") == ["record (38 → 40)"]
    assert compare_queries(quick, None, scale="quick") == []


def test_the_table_marks_growth_and_says_when_there_is_none():
    rows = [
        result("search", 15, queries_quick=15, queries_full=15),
        result("record", 40, queries_quick=38, queries_full=40),
    ]
    text = markdown(report(rows, grown=["record (38 → 40)"]))
    assert "| search | 8 | 1.0 | 2.0 | 100.0 | 15 | 15 → 15 = |" in text
    assert "38 → 40 ▲" in text
    assert "**More SQL queries on the full data set than on the quick one:** record (38 → 40)." in text
    same = markdown(report([result("search", 15, queries_quick=15, queries_full=15)]))
    assert "No operation issues more SQL queries on the full data set than on the quick one" in same


def test_p95_is_the_nearest_rank():
    assert percentile([float(n) for n in range(1, 21)], 95) == 19.0
    assert percentile([5.0], 95) == 5.0


def test_the_query_count_is_the_usual_one_with_its_range():
    assert query_counts([12, 9, 9, 9]) == {"queries": 9, "queries_min": 9, "queries_max": 12}
    assert query_counts([26, 27]) == {"queries": 27, "queries_min": 26, "queries_max": 27}


@pytest.mark.django_db
def test_the_benchmark_signs_people_in_the_way_the_site_does(client):
    """A signed-in operation measured as the login redirect measures nothing (CI's bench once did)."""
    person = staff("bench-signed-in")
    headers = session_for("bench-signed-in")
    cookie = SimpleCookie(headers["Cookie"])

    client.cookies[settings.SESSION_COOKIE_NAME] = cookie[settings.SESSION_COOKIE_NAME].value
    response = client.get("/me/record/")

    assert response.status_code == 200
    assert response.wsgi_request.user == person


def test_the_side_by_side_table_compares_each_operation_and_flags_postgresql_beyond_one_and_a_half():
    sqlite = report(
        [
            result("floor", 0, throughput_vs_floor=1.0),
            result("search", 12, median_ms=10.0, throughput_vs_floor=20.0),
            result("export", 32, median_ms=100.0, kind="python", concurrency=1, cpu_vs_floor=400.0),
            result("search_mix", 12, throughput_rps=60.0),
            result("search_stock", 9, throughput_rps=20.0),
        ],
        vendor="sqlite",
    )
    postgres = report(
        [
            result("floor", 0, throughput_vs_floor=1.0),
            result("search", 12, median_ms=8.0, throughput_vs_floor=16.0),
            result("export", 31, median_ms=160.0, kind="python", concurrency=1, cpu_vs_floor=500.0),
            result("search_mix", 12, throughput_rps=50.0),
            result("search_stock", 9, throughput_rps=40.0),
        ],
        vendor="postgresql",
        database="PostgreSQL 15.20, pgbench_pufa_full",
        explain_search={"query": "网吧 未成年人", "plan": "Bitmap Index Scan on website_indexentry_title_body_gin"},
    )

    text = side_by_side([sqlite, postgres])

    assert "| search | 10.0 | 8.0 | 0.80 | 12 / 12 | 20.0 | 16.0 |" in text
    assert "| export | 100.0 | 160.0 | 1.60 ⚠ | 32 / 31 | 400 (CPU) | 500 (CPU) |" in text
    assert "**Slower on PostgreSQL than 1.5× SQLite (median):** export (1.60×). Load average" in text
    assert "| sqlite | 60.0 | 20.0 | 3.0 | yes |" in text
    assert "| PostgreSQL 15.20, pgbench_pufa_full | 50.0 | 40.0 | 1.2 | **no** |" in text
    assert "Bitmap Index Scan on website_indexentry_title_body_gin" in text
    assert "## sqlite: benchmark (full data set)" in text


def test_without_postgresql_the_report_says_it_measured_sqlite_only():
    text = side_by_side([report([result("floor", 0)], vendor="sqlite")])
    assert "Measured on sqlite only (PostgreSQL was not reachable)." in text


def test_postgresql_runs_in_a_database_of_its_own_on_the_configured_server_never_the_named_one(monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://site:secret@db.example:5433/pufa")
    assert postgres_url("quick") == "postgres://site:secret@db.example:5433/pgbench_pufa_quick"
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://bench@127.0.0.1:5432/anything")
    assert postgres_url("full") == "postgres://bench@127.0.0.1:5432/pgbench_pufa_full"


@pytest.fixture
def case():
    """A published case whose title holds 网吧 (未经许可擅自经营网吧被取缔)."""
    domain = Domain.objects.get_or_create(slug="wenhua-shichang-zhifa", defaults={"name": "文化市场执法"})[0]
    return make_case(ExplainerIndexPage.objects.get(), None, domain)


@pytest.mark.django_db
def test_the_search_floor_is_the_stock_backend_over_the_same_index(client, settings, case):
    """bakerydemo's view with Wagtail's stock backend: an unsegmented query finds a word the index holds."""
    settings.ROOT_URLCONF = "bench.urls"
    response = client.get("/bench/stock-search/", {"q": "网吧"})
    assert response.status_code == 200
    assert "未经许可擅自经营网吧被取缔" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_the_search_on_postgresql_filters_on_the_expression_its_gin_index_covers(case):
    """The site's search filters on ``title || body``, which the migration indexes with GIN, and a lookup of that
    expression can use the index (on a handful of rows the planner rightly prefers a scan: hence enable_seqscan;
    bench/results.md shows the plan on the full data set)."""
    table = "wagtailsearch_indexentry"
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'website_indexentry_title_body_gin'")
        assert "USING gin (((title || body)))" in cursor.fetchone()[0]
    assert f'("{table}"."title" || "{table}"."body") @@' in search_sql("网吧")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(
                "EXPLAIN SELECT object_id FROM wagtailsearch_indexentry "
                "WHERE (title || body) @@ plainto_tsquery('simple', '网吧')"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "Bitmap Index Scan on website_indexentry_title_body_gin" in plan


@pytest.mark.django_db
@pytest.mark.parametrize("qtype", ["single", "multiple", "true_false", "fill", "essay"])
def test_the_exam_day_client_answers_each_question_as_the_exam_page_would(qtype, client):
    """bench/examday.py reads the question off the real exam page and posts what its form posts: the server saves it."""
    import json
    import random

    from django.utils import timezone

    from bench.examday import answer
    from learning.exams.models import AttemptItem
    from learning.exams.services.attempts import attempt_start
    from tests.learning.exam_helpers import make_exam, make_question

    person = staff("examday")
    exam = make_exam([make_question(qtype)], now=timezone.now())
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.force_login(person)

    page = client.get(f"/exams/attempts/{attempt.pk}/?q=1").content.decode()
    item, revision, form = answer(page, random.Random(1))
    assert (item, revision) == (attempt.items.get().pk, 0)

    reply = client.post(f"/exams/attempts/{attempt.pk}/save/", form, HTTP_ACCEPT="application/json")
    assert reply.status_code == 200 and json.loads(reply.content)["saved"] == {str(item): 1}
    assert AttemptItem.objects.get(pk=item).response not in (None, "", [], [""])
