"""`make bench`: build a synthetic data set, serve it with gunicorn on loopback, and measure.

For each key operation: median and p95 latency, throughput at a fixed concurrency, SQL
queries per request, server CPU per request, and the ratio to the framework floor (a
trivial Django view behind the same middleware, served the same way). Writes
bench/results.json and bench/results.md (linked from the README).

    python -m bench.run            # the full data set (5,000 staff, 500,000 learning records …)
    python -m bench.run --quick    # a small data set, in under two minutes; CI runs this
"""

import argparse
import http.client
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
# Clients at once, for every operation not measured one request at a time.
CONCURRENCY = 8
# About how long an operation is measured, on the full and the quick data set (see ``measure``).
SECONDS = {False: 10, True: 1}
# An operation that is a mix of requests is measured at least this long.
MIX_SECONDS = 4
# Requests faster than this are sent by wrk; slower ones by client threads.
FAST_SECONDS = 0.04
# PostgreSQL, when DATABASE_URL names no PostgreSQL server, and the bench's own database on it (created if missing).
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "pgbench_pufa_{scale}"

WRK_SCRIPT = r"""
local counter = 0
local method = os.getenv("BENCH_METHOD") or "GET"
local body_template = os.getenv("BENCH_BODY") or ""
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^\n]+") do
  table.insert(paths, path)
end
request = function()
  counter = counter + 1
  local body = nil
  if body_template ~= "" then
    body = (string.gsub(body_template, "{n}", tostring(counter)))
  end
  local path = nil
  if #paths > 0 then
    path = paths[(counter - 1) % #paths + 1]
  end
  return wrk.format(method, path, nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH {\"requests\": %d, \"duration_us\": %d, \"errors\": %d, \"status_errors\": %d, "
    .. "\"p50_us\": %d, \"p95_us\": %d, \"mean_us\": %d}\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency.mean))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_django(var_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_VAR_DIR"] = str(var_dir)
    import django

    django.setup()


def ensure_debian_tool(command: str, package: str | None = None) -> str | None:
    """The path of ``command``, installing its Debian package on first use; None when that cannot be done."""
    found = shutil.which(command) or shutil.which(command, path="/usr/sbin")
    if found:
        return found
    installer = ["apt-get", "install", "-y", "-q", package or command]
    if os.geteuid() != 0 and shutil.which("sudo"):
        installer.insert(0, "sudo")
    subprocess.run(installer, capture_output=True, check=False)
    return shutil.which(command) or shutil.which(command, path="/usr/sbin")


def ensure_wrk() -> str | None:
    return ensure_debian_tool("wrk")


class Server:
    """gunicorn serving the bench settings on loopback, with its CPU time readable from /proc.

    A context manager: the server (its whole process group) stops when the block ends, however it ends.
    """

    def __init__(self, var_dir: Path, workers: int):
        self.var_dir = var_dir
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        self.start()
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def start(self):
        """Start gunicorn without waiting for it: its workers boot while this process does other work."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_VAR_DIR": str(self.var_dir)}
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                "--timeout",
                "300",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )

    def __exit__(self, *exc):
        self.stop()

    def wait_until_serving(self):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if fetch(self, {"path": "/bench/floor/"})["status"] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its workers, read from /proc."""
        total = 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def stop(self):
        """SIGTERM to gunicorn's process group (master and workers), SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass


def fetch(server: Server, req: dict) -> dict:
    """One request, redirects not followed: status, SQL queries, Location, seconds taken."""
    body = req.get("body")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    started = time.perf_counter()
    try:
        connection.request(req.get("method", "GET"), req["path"], body=body, headers=req.get("headers", {}))
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return {
        "status": response.status,
        "queries": int(response.getheader("X-Query-Count", "-1")),
        "location": response.getheader("Location", ""),
        "seconds": time.perf_counter() - started,
    }


def failed(op: dict, reply: dict) -> bool:
    """An error status, or a redirect somewhere else than the operation expects (a start refused …)."""
    if reply["status"] >= 400:
        return True
    expected = op.get("expect_location")
    return bool(expected and expected not in reply["location"])


def run_wrk(wrk: str, server: Server, op: dict, concurrency: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    args = [wrk, "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "-s", script.name, "--timeout", "30s"]
    for name, value in op.get("headers", {}).items():
        args += ["-H", f"{name}: {value}"]
    env = {
        **os.environ,
        "BENCH_BODY": op.get("body") or "",
        "BENCH_METHOD": op.get("method", "GET"),
        "BENCH_PATHS": "\n".join(op.get("paths", [])),
    }
    cpu_before = server.cpu_seconds()
    try:
        output = subprocess.run([*args, server.base + op["path"]], capture_output=True, text=True, env=env, check=True)
    finally:
        os.unlink(script.name)
    cpu_after = server.cpu_seconds()
    line = next(line for line in output.stdout.splitlines() if line.startswith("BENCH "))
    stats = json.loads(line[len("BENCH ") :])
    seconds_taken = stats["duration_us"] / 1e6
    return {
        "concurrency": concurrency,
        "requests": stats["requests"],
        "errors": stats["errors"] + stats["status_errors"],
        "median_ms": stats["p50_us"] / 1000,
        "p95_ms": stats["p95_us"] / 1000,
        "throughput_rps": stats["requests"] / seconds_taken if seconds_taken else 0,
        "cpu_ms_per_request": 1000 * (cpu_after - cpu_before) / max(stats["requests"], 1),
    }


def run_streams(server: Server, op: dict, streams: list[list[dict]]) -> dict:
    """Each stream sent in order by its own client, the clients at once: latency, throughput, queries."""
    replies: list[dict] = []
    lock = threading.Lock()

    def client(stream):
        for req in stream:
            reply = fetch(server, req)
            with lock:
                replies.append(reply)

    threads = [threading.Thread(target=client, args=(stream,)) for stream in streams]
    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu_after = server.cpu_seconds()
    timings = sorted(reply["seconds"] for reply in replies)
    bad = [reply for reply in replies if failed(op, reply)]
    if bad:
        print(f"  {len(bad)} of {len(replies)} failed, e.g. {bad[0]}", flush=True)
    return {
        "concurrency": len(streams),
        "requests": len(replies),
        "errors": len(bad),
        "median_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * percentile(timings, 95),
        "throughput_rps": len(replies) / wall if wall else 0,
        "cpu_ms_per_request": 1000 * (cpu_after - cpu_before) / max(len(replies), 1),
        **query_counts([reply["queries"] for reply in replies]),
    }


def percentile(ordered: list[float], pct: float) -> float:
    """The nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)]


def run_inprocess(op: dict, repeat: int) -> dict:
    """Operations that are commands, not requests (plan_year): timed in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, cpu = [], [], 0.0
    op["call"](0)  # warm this process's caches
    if op.get("teardown"):
        op["teardown"](0)
    for index in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            cpu_started, started = time.process_time(), time.perf_counter()
            op["call"](index)
            timings.append(time.perf_counter() - started)
            cpu += time.process_time() - cpu_started
        queries.append(len(captured.captured_queries))
        if op.get("teardown"):
            op["teardown"](index)  # undo it, so the next repeat does the same work
    timings.sort()
    total = sum(timings)
    return {
        "concurrency": 1,
        "requests": repeat,
        "errors": 0,
        "median_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * percentile(timings, 95),
        "throughput_rps": repeat / total if total else 0,
        "cpu_ms_per_request": 1000 * cpu / repeat,
        **query_counts(queries),
    }


def measure(op: dict, server: Server, wrk: str | None, *, quick: bool) -> dict:
    """One operation: in-process, as its own streams of requests, or one request sent by many clients.

    A request sent by many clients goes through wrk when it is fast (under ``FAST_SECONDS``), which
    a Python client could not keep busy; slower ones are sent by client threads, as many as take
    about ``SECONDS`` of the server's time, so a heavy page neither takes minutes nor finishes none.
    """
    if op.get("setup"):
        op["setup"](op)
    if op["kind"] == "inprocess":
        return run_inprocess(op, scaled_repeat(op.get("repeat", 3), quick))
    if "streams" in op:
        return {**run_streams(server, op, op["streams"]()), "client": "threads"}
    # Warm both workers' caches (and the page cache) and see how long the request takes; a heavy page
    # sent one at a time, on the quick set, warms once.
    sequential = op.get("concurrency", CONCURRENCY) == 1
    if "paths" in op:
        # A mix of requests, sent in turn: wrk keeps eight clients busy however long each takes, for at least
        # MIX_SECONDS so that every request of the mix is sent a few times.
        variants = [{**op, "path": path} for path in op["paths"]]
        op["path"] = op["paths"][0]
        replies = [fetch(server, variant) for variant in variants * 2]
        if any(failed(op, reply) for reply in replies):
            raise RuntimeError(f"{op['name']}: {[(r['status'], r['location']) for r in replies]}")
        counted = [reply["queries"] for reply in replies[len(variants) :]]
        if wrk:
            seconds = max(SECONDS[quick], MIX_SECONDS)
            return {**run_wrk(wrk, server, op, CONCURRENCY, seconds), **query_counts(counted), "client": "wrk"}
        repeat = max(len(variants), round(SECONDS[quick] * 2 / statistics.mean(r["seconds"] for r in replies)))
        streams = [[variants[n % len(variants)] for n in range(i, repeat, CONCURRENCY)] for i in range(CONCURRENCY)]
        return {**run_streams(server, op, streams), "client": "threads"}
    replies = [fetch(server, op) for _ in range(1 if quick and sequential else 2)]
    if any(failed(op, reply) for reply in replies):
        raise RuntimeError(f"{op['name']}: {op.get('method', 'GET')} {op['path']} → {replies}")
    seconds = min(reply["seconds"] for reply in replies)
    clients = op.get("concurrency", CONCURRENCY)
    if clients == CONCURRENCY and seconds < FAST_SECONDS and wrk:
        counted = [fetch(server, op)["queries"] for _ in range(4)]
        result = run_wrk(wrk, server, op, CONCURRENCY, SECONDS[quick])
        return {**result, **query_counts(counted), "client": "wrk"}
    if "repeat" in op:
        repeat = scaled_repeat(op["repeat"], quick)
    else:  # about SECONDS of both workers' time: 2 to 25 requests per client (1 to 6 on the quick set)
        least, most = (1, 6) if quick else (2, 25)
        repeat = clients * max(least, min(most, round(SECONDS[quick] * 2 / seconds / clients)))
    streams = [[op] * len(range(index, repeat, clients)) for index in range(clients)]
    return {**run_streams(server, op, streams), "client": "threads"}


def query_counts(counts: list[int]) -> dict:
    """The usual count (the higher on a tie) and the range; a cold worker's first request can run a few more."""
    tally = Counter(counts)
    usual = max(tally, key=lambda count: (tally[count], count))
    return {"queries": usual, "queries_min": min(counts), "queries_max": max(counts)}


def scaled_repeat(repeat: int, quick: bool) -> int:
    """How many times to send a request: as the operation says, a quarter of it (at least 2) on the quick set."""
    return max(2, repeat // 4) if quick else repeat


def compare_queries(results: list[dict], other: dict | None, *, scale: str) -> list[str]:
    """Record the other data set's query count on each result; name the operations that issue more on the full set."""
    if not other:
        return []
    counts = {r["name"]: r["queries"] for r in other.get("results", [])}
    grown = []
    for result in results:
        if result["name"] not in counts:
            continue
        if scale == "full":
            result["queries_quick"], result["queries_full"] = counts[result["name"]], result["queries"]
        else:
            result["queries_quick"], result["queries_full"] = result["queries"], counts[result["name"]]
        if result["queries_full"] > result["queries_quick"]:
            grown.append(f"{result['name']} ({result['queries_quick']} → {result['queries_full']})")
    return grown


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data set, short runs (CI)")
    parser.add_argument("--only", help="comma-separated operation names")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set")
    parser.add_argument(
        "--no-quick-first", action="store_true", help="full run only: do not run the quick set first to compare"
    )
    parser.add_argument(
        "--database",
        help="run on this database only: 'sqlite', or a PostgreSQL URL (default: SQLite, then PostgreSQL if reachable)",
    )
    args = parser.parse_args(argv)
    # A terminated run still stops its server (the finally blocks below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.database is None:
        return run_databases(args)
    return run_database(args)


def run_databases(args) -> int:
    """SQLite, then PostgreSQL when one is reachable, each in its own process; then the side-by-side report."""
    scale = "quick" if args.quick else "full"
    flags = [flag for flag, on in (("--quick", args.quick), ("--rebuild", args.rebuild)) if on]
    flags += ["--no-quick-first"] if args.no_quick_first else []
    flags += ["--only", args.only] if args.only else []
    # A full run measures the quick set first, with the same code, so their query counts can be compared.
    scales = ["quick", "full"] if scale == "full" and not args.no_quick_first and not args.only else [scale]
    vendors = ["sqlite"]
    if postgres_url(scale):
        vendors.append("postgresql")
    else:
        print("PostgreSQL is not reachable at 127.0.0.1:5432 (nor named by DATABASE_URL): SQLite only", flush=True)
    status = 0
    for vendor in vendors:
        for each in scales:
            database = "sqlite" if vendor == "sqlite" else postgres_url(each)
            each_flags = ["--quick", *flags] if each == "quick" and "--quick" not in flags else flags
            if run_child([*each_flags, "--database", database]) != 0:
                status = 1
                if each != scale:
                    break  # the quick run before a full one failed: no full run to compare with it
    if args.only:
        return status
    for each in ("quick", "full") if scale == "full" else ("quick",):
        reports = [json.loads(path.read_text()) for path in result_paths(each) if path.exists()]
        if reports:
            (BENCH / ("results-quick.md" if each == "quick" else "results.md")).write_text(side_by_side(reports))
    print(side_by_side([json.loads(path.read_text()) for path in result_paths(scale) if path.exists()]))
    return status


def run_child(flags: list[str]) -> int:
    """``python -m bench.run`` with these flags, terminated (and its server with it) if this process is."""
    child = subprocess.Popen([sys.executable, "-m", "bench.run", *flags], cwd=ROOT)
    try:
        return child.wait()
    except BaseException:
        child.terminate()  # it stops its own server on SIGTERM
        child.wait(timeout=60)
        raise


def postgres_url(scale: str) -> str | None:
    """The bench's own PostgreSQL database for this scale (``pgbench_pufa_<scale>``), on the server that
    BENCH_DATABASE_URL or else DATABASE_URL names, or on 127.0.0.1:5432 when something listens there; None
    when there is none. Never the database those URLs name: the bench rebuilds and rewrites its own."""
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        try:
            socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        except OSError:
            return None
        server = DEFAULT_POSTGRES
    return urlunsplit(urlsplit(server)._replace(path=f"/{POSTGRES_DATABASE.format(scale=scale)}"))


def ensure_postgres_database(url: str, *, rebuild: bool) -> None:
    """Create the bench's PostgreSQL database when missing; on ``rebuild``, drop it first (only a ``pgbench_`` one)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if rebuild and not name.startswith("pgbench_"):
        raise SystemExit(f"--rebuild drops the database: name it pgbench_…, not {name}")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5) as admin:
        if rebuild:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def result_paths(scale: str) -> list[Path]:
    """Each database's results of this scale, SQLite first."""
    return [results_json(scale, vendor) for vendor in ("sqlite", "postgresql")]


def results_json(scale: str, vendor: str) -> Path:
    stem = "results-quick" if scale == "quick" else "results"
    return BENCH / (f"{stem}.json" if vendor == "sqlite" else f"{stem}-{vendor}.json")


def run_database(args) -> int:
    scale = "quick" if args.quick else "full"
    vendor = "sqlite" if args.database == "sqlite" else "postgresql"
    out_json = results_json(scale, vendor)
    other_json = results_json("full" if args.quick else "quick", vendor)
    if vendor == "sqlite":
        os.environ.pop("BENCH_DATABASE_URL", None)
        var_dir = BENCH / "data" / scale
    else:
        os.environ["BENCH_DATABASE_URL"] = args.database
        name = urlsplit(args.database).path.lstrip("/")
        # The static files, page cache and the record of what was built, for this database only.
        var_dir = BENCH / "data" / f"{scale}-postgresql-{name}"
        # A bench database without that record (a fresh checkout, bench/data removed) holds data nobody can vouch
        # for, such as a data set half built by an interrupted run: build it again from empty.
        unknown = name.startswith("pgbench_") and not (var_dir / "built.json").exists()
        ensure_postgres_database(args.database, rebuild=args.rebuild or unknown)
    if args.rebuild and var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    # The page cache and the ledger sums start empty on every run.
    shutil.rmtree(var_dir / "cache", ignore_errors=True)
    setup_django(var_dir)

    from django.core.management import call_command
    from django.db import connection, connections

    from bench import data, operations

    if "django_migrations" not in connection.introspection.table_names():
        # A new (or recreated) database: whatever the record says was built is not in it.
        (var_dir / "built.json").unlink(missing_ok=True)
    started = time.monotonic()
    # collectstatic (compressing every file the first time) on the other core while this one migrates.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_VAR_DIR": str(var_dir)}
    static = subprocess.Popen([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env)
    try:
        call_command("migrate", verbosity=0, interactive=False)
    finally:
        if static.wait() != 0:
            raise SystemExit("collectstatic failed")
    server = Server(var_dir, workers=2)
    server.start()  # its workers boot while the data set is built (they touch the database only when asked)
    results = []
    try:
        data.ensure(scale, var_dir)
        operations.reset_state()
        sizes = data.counts()
        print(f"data set ({scale}, {vendor}) ready in {time.monotonic() - started:.0f} s: {sizes}", flush=True)
        fixtures = operations.prepare(scale)
        ops = operations.operations(fixtures)
        if args.only:
            wanted = set(args.only.split(","))
            ops = [op for op in ops if op["name"] in wanted or op["name"] == "floor"]
        explain = operations.explain_search() if vendor == "postgresql" else None
        wrk = ensure_wrk()
        connections.close_all()
        server.wait_until_serving()
        print(f"ready to measure after {time.monotonic() - started:.0f} s", flush=True)
        for op in ops:
            print(f"· {op['label']} …", end=" ", flush=True)
            op_started = time.monotonic()
            result = measure(op, server, wrk, quick=args.quick)
            print(f"{time.monotonic() - op_started:.1f} s", flush=True)
            result.update(name=op["name"], label=op["label"], kind=op["kind"])
            results.append(result)
            connections.close_all()
    finally:
        server.stop()

    floor = next((r for r in results if r["name"] == "floor"), None)
    for result in results:
        if floor and floor["cpu_ms_per_request"] and result["cpu_ms_per_request"] is not None:
            result["cpu_vs_floor"] = result["cpu_ms_per_request"] / floor["cpu_ms_per_request"]
        if floor and result["throughput_rps"] and result["concurrency"] == floor["concurrency"]:
            result["throughput_vs_floor"] = floor["throughput_rps"] / result["throughput_rps"]
    other = json.loads(other_json.read_text()) if other_json.exists() else None
    grown = compare_queries(results, other, scale=scale)
    report = {
        "scale": scale,
        "sizes": sizes,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average": os.getloadavg()[0],
        },
        "server": "gunicorn, 2 sync workers, loopback",
        "client": "wrk for fast requests, Python threads for the rest" if wrk else "Python threads",
        "concurrency": CONCURRENCY,
        "seconds_per_operation": SECONDS[args.quick],
        "vendor": vendor,
        "database": "sqlite" if vendor == "sqlite" else f"PostgreSQL {postgres_version()}, {database_name()}",
        "compared_with": other_json.name if other else None,
        "queries_grow": grown,
        "explain_search": explain,
        "search_queries": operations.SEARCH_MIX,
        "results": results,
    }
    if not args.only:
        write_report(out_json, report)
        if scale == "full" and other:
            # The quick report compares itself with these full results, not the previous ones.
            other.update(
                compared_with=out_json.name, queries_grow=compare_queries(other["results"], report, scale="quick")
            )
            write_report(other_json, other)
    print(markdown(report))
    errors = [r["name"] for r in results if r["errors"]]
    if errors:
        print(f"operations with failed requests: {', '.join(errors)}", file=sys.stderr)
        return 1
    if grown and scale == "full":
        print(f"more SQL queries on the full data set: {', '.join(grown)}", file=sys.stderr)
        return 1
    return 0


def postgres_version() -> str:
    from django.db import connection

    major, rest = divmod(connection.pg_version, 10000)
    return f"{major}.{rest}"


def database_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def write_report(path: Path, report: dict) -> None:
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def markdown(report: dict) -> str:
    other = {"full": "quick", "quick": "full"}[report["scale"]]
    compared = report.get("compared_with")
    lines = [
        f"# Benchmark ({report['scale']} data set)",
        "",
        f"{report['when']} · {report['machine']['cpus']} CPUs (load average {report['machine']['load_average']:.1f} "
        f"at the end) · Python {report['machine']['python']} · {report['server']} · client {report['client']} · "
        f"database {report['database']}",
        "",
        "Data set: " + ", ".join(f"{name} {count:,}" for name, count in report["sizes"].items()),
        "",
        "| operation | clients | median ms | p95 ms | req/s | SQL queries | SQL quick → full | CPU ms/req "
        "| × floor CPU | × floor req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        low, high = r.get("queries_min", r["queries"]), r.get("queries_max", r["queries"])
        queries = f"{r['queries']}" if low == high else f"{r['queries']} ({low}–{high})"
        if "queries_full" in r:
            mark = "▲" if r["queries_full"] > r["queries_quick"] else "="
            mark = "▼" if r["queries_full"] < r["queries_quick"] else mark
            growth = f"{r['queries_quick']} → {r['queries_full']} {mark}"
        else:
            growth = "–"
        cpu = f"{r['cpu_ms_per_request']:.1f}" if r.get("cpu_ms_per_request") is not None else "–"
        cpu_ratio = f"{r['cpu_vs_floor']:.0f}" if r.get("cpu_vs_floor") else "–"
        ratio = f"{r['throughput_vs_floor']:.1f}" if r.get("throughput_vs_floor") else "–"
        clients = "in-process" if r["kind"] == "inprocess" else r["concurrency"]
        lines.append(
            f"| {r['label']} | {clients} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['throughput_rps']:.1f} | "
            f"{queries} | {growth} | {cpu} | {cpu_ratio} | {ratio} |"
        )
    lines += [""]
    if compared:
        if report["queries_grow"]:
            lines.append(
                f"**More SQL queries on the full data set than on the quick one:** {', '.join(report['queries_grow'])}."
            )
        else:
            lines.append(
                f"No operation issues more SQL queries on the full data set than on the quick one "
                f"(counts from {compared}, the {other} data set)."
            )
        lines.append("")
    lines += [
        "- **clients**: requests in flight at once; 1 means one request at a time (how long one person waits for a "
        "heavy page). Latency is per request at that concurrency. Requests that take under "
        f"{1000 * FAST_SECONDS:.0f} ms alone are sent by wrk, slower ones by Python client threads, as many as keep "
        f"the server busy about {report['seconds_per_operation']} s.",
        "- **SQL queries**: per request, from the `X-Query-Count` header the bench middleware adds (a range when "
        "requests differ); in-process operations count their queries directly.",
        "- **CPU ms/req**: user + system CPU of gunicorn's master and workers per request (of this process for "
        "in-process operations); **× floor CPU** divides it by the framework floor's (a trivial Django view behind "
        "the same middleware, served the same way), **× floor req/s** divides the floor's throughput by the "
        "operation's, for operations measured at the floor's concurrency.",
        "- **uncached** pages are requested with an expired session cookie, which the visitors' page cache never "
        "serves; **visitor (page cache)** is a visitor without cookies.",
        "",
    ]
    return "\n".join(lines)


# PostgreSQL's median may be this many times SQLite's (issue 19).
POSTGRES_WITHIN = 1.5
# The segmented search's throughput over the stock backend's, on either database (issue 19).
SEARCH_OVER_STOCK = 2.0


def floor_ratio(result: dict) -> str:
    """How many floor requests one request costs: by throughput when measured like the floor, else by CPU."""
    if result.get("throughput_vs_floor"):
        return f"{result['throughput_vs_floor']:.1f}"
    if result.get("cpu_vs_floor"):
        return f"{result['cpu_vs_floor']:.0f} (CPU)"
    return "–"


def side_by_side(reports: list[dict]) -> str:
    """One table of every operation on each database (SQLite first), then each database's own report."""
    sqlite = next((r for r in reports if r.get("vendor", "sqlite") == "sqlite"), None)
    postgres = next((r for r in reports if r.get("vendor") == "postgresql"), None)
    scale = reports[0]["scale"]
    lines = [f"# Benchmark ({scale} data set): SQLite and PostgreSQL", ""]
    if scale == "quick":
        lines += [
            "From `make bench QUICK=1`: the small data set, about a second per operation. Ratios on it are "
            "noisier than on the full set ([results.md](results.md)).",
            "",
        ]
    else:
        lines += ["From `make bench`: the full data set, about ten seconds per operation.", ""]
    if not (sqlite and postgres):
        only = (sqlite or postgres)["database"]
        lines += [f"Measured on {only} only (PostgreSQL was not reachable).", ""]
    else:
        lines += [
            f"SQLite: {sqlite['when']}. PostgreSQL ({postgres['database']}): {postgres['when']}. Same machine, "
            "same data set (built by the same seeded builders), same server and client.",
            "",
            "| operation | SQLite ms | PostgreSQL ms | PG / SQLite | SQL queries SQLite / PG "
            "| × floor SQLite | × floor PG |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        by_name = {r["name"]: r for r in postgres["results"]}
        slower = []
        for r in sqlite["results"]:
            pg = by_name.get(r["name"])
            if pg is None:
                continue
            ratio = pg["median_ms"] / r["median_ms"] if r["median_ms"] else 0.0
            mark = ""
            if ratio > POSTGRES_WITHIN:
                mark = " ⚠"
                # A request that runs no SQL costs the same on either database: its ratio measures the machine.
                idle = (
                    " – no SQL, so the machine's load, not the database" if r["queries"] == pg["queries"] == 0 else ""
                )
                slower.append(f"{r['label']} ({ratio:.2f}×{idle})")
            lines.append(
                f"| {r['label']} | {r['median_ms']:.1f} | {pg['median_ms']:.1f} | {ratio:.2f}{mark} | "
                f"{r['queries']} / {pg['queries']} | {floor_ratio(r)} | {floor_ratio(pg)} |"
            )
        lines.append("")
        if slower:
            lines.append(
                f"**Slower on PostgreSQL than {POSTGRES_WITHIN}× SQLite (median):** {'; '.join(slower)}. "
                f"Load average at the end: SQLite run {sqlite['machine']['load_average']:.1f}, PostgreSQL run "
                f"{postgres['machine']['load_average']:.1f} (2 CPUs)."
            )
        else:
            lines.append(f"Every operation's median on PostgreSQL is within {POSTGRES_WITHIN}× of SQLite's.")
        lines.append("")
    lines += search_throughput([r for r in (sqlite, postgres) if r])
    lines += [
        "- **ms**: the median latency; **× floor** divides the framework floor's throughput by the operation's, "
        "in the same run on the same database (for operations measured one at a time or in-process, its CPU "
        "per request over the floor's, marked CPU).",
        "- The two databases are measured one after the other, so each sees whatever else the machine runs then: "
        "compare a ratio with the load averages, and with operations that run no SQL (the page-cache hits), "
        "whose ratio can only come from the machine.",
        "- SQLite runs in WAL mode with `synchronous=NORMAL` (a commit is not flushed to disk); PostgreSQL with "
        "its defaults (`synchronous_commit=on`: every commit waits for its WAL flush). PostgreSQL's own CPU is "
        "spent in its server processes, outside the CPU ms/req counted for gunicorn; SQLite's is inside it.",
        "",
    ]
    for report in (sqlite, postgres):
        if report:
            lines += ["", markdown(report).replace("# Benchmark", f"## {report['database']}: benchmark", 1)]
            if report.get("explain_search"):
                lines += [
                    "### The search's query plan on PostgreSQL",
                    "",
                    "`EXPLAIN ANALYZE` of the page of results the search page asks for (the segmented words "
                    f"of “{report['explain_search']['query']}”, every word required):",
                    "",
                    "```",
                    report["explain_search"]["plan"],
                    "```",
                    "",
                ]
    return "\n".join(lines)


def search_throughput(reports: list[dict]) -> list[str]:
    """The Chinese query mix through the site's search against the same mix through Wagtail's stock backend."""
    rows = []
    for report in reports:
        results = {r["name"]: r for r in report["results"]}
        ours, stock = results.get("search_mix"), results.get("search_stock")
        if not (ours and stock):
            continue
        ratio = ours["throughput_rps"] / stock["throughput_rps"] if stock["throughput_rps"] else 0.0
        verdict = "yes" if ratio >= SEARCH_OVER_STOCK else "**no**"
        rows.append(
            f"| {report['database']} | {ours['throughput_rps']:.1f} | {stock['throughput_rps']:.1f} | "
            f"{ratio:.1f} | {verdict} |"
        )
    if not rows:
        return []
    queries = next((report["search_queries"] for report in reports if report.get("search_queries")), [])
    return [
        "## Search throughput",
        "",
        f"| database | site search req/s | stock backend req/s | ratio | ≥ {SEARCH_OVER_STOCK:.0f}× |",
        "|---|---:|---:|---:|---|",
        *rows,
        "",
        f"Both send the same {len(queries)} queries in turn ({'、'.join(queries)}) from 8 clients "
        "(wrk) at two gunicorn workers. **Site search** is `/search/`: the words segmented with jieba, looked up in "
        "the segmented index (FTS5 on SQLite; on PostgreSQL the `simple` config with a GIN index over "
        "`title || body`), every word required, falling back to any of them when nothing holds all, and the page "
        "rendered with highlighted snippets. **Stock backend** stands in for bakerydemo's search: its view as it "
        "runs on a database backend (each searchable page model searched with Wagtail's stock database backend, "
        "every match read, the live pages among them listed ten to a page in the site's base template, the query "
        "hit log left out). It reads the same index, which holds the segmented words, so it finds what the "
        "stock backend would find if it could segment; on bakerydemo's own unsegmented index a Chinese query "
        "finds only whole titles. The ratio is site search requests per second over the stock backend's.",
        "",
    ]


if __name__ == "__main__":
    sys.exit(main())
