"""The benchmark's own bookkeeping: the query comparison between data sets and the table it writes.

`make bench QUICK=1` in CI runs the real thing; these check, without a server, that an operation
issuing more SQL queries on the full data set is named and fails the full run's check.
"""

from bench.run import compare_queries, markdown, percentile, query_counts


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


def report(results, *, scale="full", grown=(), compared_with="results-quick.json"):
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
