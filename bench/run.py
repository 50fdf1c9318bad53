"""`make bench`: build a synthetic data set, serve it with gunicorn on loopback, and measure.

For each key operation: median and p95 latency, throughput at a fixed concurrency, SQL
queries per request, server CPU per request, and the ratio to the framework floor (a
trivial Django view behind the same middleware, served the same way). Writes
bench/results.json and bench/results.md (linked from the README).

    python -m bench.run            # the full data set (5,000 staff, 500,000 learning records …)
    python -m bench.run --quick    # a small data set, in under two minutes; CI runs this
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent

WRK_SCRIPT = r"""
local counter = 0
local method = os.getenv("BENCH_METHOD") or "GET"
local body_template = os.getenv("BENCH_BODY") or ""
request = function()
  counter = counter + 1
  local body = nil
  if body_template ~= "" then
    body = (string.gsub(body_template, "{n}", tostring(counter)))
  end
  return wrk.format(method, nil, nil, body)
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


def ensure_wrk() -> str | None:
    path = shutil.which("wrk")
    if path:
        return path
    installer = ["apt-get", "install", "-y", "-q", "wrk"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        installer.insert(0, "sudo")
    subprocess.run(installer, capture_output=True, check=False)
    return shutil.which("wrk")


class Server:
    """gunicorn serving the bench settings on loopback, with its CPU time readable from /proc."""

    def __init__(self, var_dir: Path, workers: int):
        self.port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_VAR_DIR": str(var_dir)}
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/bench/floor/", timeout=2).read()  # noqa: S310 - loopback
                return
            except OSError:
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
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def request(base: str, op: dict) -> tuple[int, int, bytes]:
    """One request as the operation describes it: (status, SQL queries, body)."""
    body = op.get("body")
    if body is not None:
        body = body.replace("{n}", "0").encode()
    req = urllib.request.Request(base + op["path"], data=body, method=op.get("method", "GET"))  # noqa: S310
    for name, value in op.get("headers", {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:  # noqa: S310 - loopback
            return response.status, int(response.headers.get("X-Query-Count", -1)), response.read()
    except urllib.error.HTTPError as error:
        return error.code, int(error.headers.get("X-Query-Count", -1)), error.read()


def run_wrk(wrk: str, server: Server, op: dict, concurrency: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    args = [wrk, "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "-s", script.name, "--timeout", "30s"]
    for name, value in op.get("headers", {}).items():
        args += ["-H", f"{name}: {value}"]
    env = {**os.environ, "BENCH_BODY": op.get("body") or "", "BENCH_METHOD": op.get("method", "GET")}
    cpu_before = server.cpu_seconds()
    output = subprocess.run([*args, server.base + op["path"]], capture_output=True, text=True, env=env, check=True)
    cpu_after = server.cpu_seconds()
    os.unlink(script.name)
    line = next(line for line in output.stdout.splitlines() if line.startswith("BENCH "))
    stats = json.loads(line[len("BENCH ") :])
    seconds_taken = stats["duration_us"] / 1e6
    return {
        "requests": stats["requests"],
        "errors": stats["errors"] + stats["status_errors"],
        "median_ms": stats["p50_us"] / 1000,
        "p95_ms": stats["p95_us"] / 1000,
        "throughput_rps": stats["requests"] / seconds_taken if seconds_taken else 0,
        "cpu_ms_per_request": 1000 * (cpu_after - cpu_before) / max(stats["requests"], 1),
    }


def run_python(server: Server, op: dict, repeat: int) -> dict:
    """Sequential requests for operations that change state each time (one attempt per submit …)."""
    timings = []
    cpu_before = server.cpu_seconds()
    errors = 0
    for index in range(repeat):
        this = {**op, "path": op["path"].replace("{i}", str(index)), "body": (op.get("body") or None)}
        if "bodies" in op:
            this["body"] = op["bodies"][index % len(op["bodies"])]
        if "paths" in op:
            this["path"] = op["paths"][index % len(op["paths"])]
        started = time.perf_counter()
        status, _, _ = request(server.base, this)
        timings.append(time.perf_counter() - started)
        errors += status >= 400
    cpu_after = server.cpu_seconds()
    total = sum(timings)
    return {
        "requests": repeat,
        "errors": errors,
        "median_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
        "throughput_rps": repeat / total if total else 0,
        "cpu_ms_per_request": 1000 * (cpu_after - cpu_before) / repeat,
    }


def run_inprocess(op: dict, repeat: int) -> dict:
    """Operations that are commands, not requests (plan_year): timed in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], []
    for index in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            op["call"](index)
            timings.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
    total = sum(timings)
    return {
        "requests": repeat,
        "errors": 0,
        "median_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
        "throughput_rps": repeat / total if total else 0,
        "cpu_ms_per_request": None,
        "queries": max(queries),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data set, short runs (CI)")
    parser.add_argument("--only", help="comma-separated operation names")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set")
    args = parser.parse_args(argv)

    scale = "quick" if args.quick else "full"
    var_dir = BENCH / "data" / scale
    if args.rebuild and var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    setup_django(var_dir)

    from django.core.management import call_command

    from bench import data, operations

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    sizes = data.ensure(scale, var_dir)
    built = time.monotonic() - started
    print(f"data set ({scale}) ready in {built:.0f} s: {sizes}", flush=True)

    fixtures = operations.prepare(scale)
    ops = operations.operations(fixtures)
    if args.only:
        wanted = set(args.only.split(","))
        ops = [op for op in ops if op["name"] in wanted or op["name"] == "floor"]

    wrk = ensure_wrk()
    seconds = 3 if args.quick else 10
    concurrency = 8
    # Connections may not outlive the forked workers.
    from django.db import connections

    connections.close_all()
    server = Server(var_dir, workers=2)
    results = []
    try:
        for op in ops:
            print(f"· {op['label']} …", flush=True)
            if op["kind"] == "inprocess":
                result = run_inprocess(op, op.get("repeat", 3))
            else:
                for _ in range(3):  # warm caches and connections
                    status, queries, body = request(server.base, op)
                if status >= 400:
                    raise RuntimeError(f"{op['name']}: {op.get('method', 'GET')} {op['path']} → {status}")
                if op["kind"] == "wrk" and wrk:
                    result = run_wrk(wrk, server, op, concurrency, seconds)
                else:
                    result = run_python(server, op, op.get("repeat", 20 if args.quick else 50))
                result["queries"] = queries
            result.update(name=op["name"], label=op["label"], kind=op["kind"])
            results.append(result)
    finally:
        server.stop()

    floor = next((r for r in results if r["name"] == "floor"), None)
    for result in results:
        if floor and result["throughput_rps"] and result["kind"] != "inprocess":
            result["throughput_vs_floor"] = floor["throughput_rps"] / result["throughput_rps"]
            result["median_vs_floor"] = result["median_ms"] / floor["median_ms"] if floor["median_ms"] else None
    report = {
        "scale": scale,
        "sizes": sizes,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "server": "gunicorn, 2 sync workers, loopback",
        "concurrency": concurrency,
        "seconds_per_operation": seconds,
        "database": os.environ.get("BENCH_DATABASE_URL", "sqlite").split("@")[-1],
        "results": results,
    }
    out_json = BENCH / ("results-quick.json" if args.quick else "results.json")
    out_json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    out_md = out_json.with_suffix(".md")
    out_md.write_text(markdown(report))
    print(out_md.read_text())
    return 0


def markdown(report: dict) -> str:
    lines = [
        f"# Benchmark ({report['scale']} data set)",
        "",
        f"{report['when']} · {report['machine']['cpus']} CPUs · Python {report['machine']['python']} · "
        f"{report['server']} · concurrency {report['concurrency']} · database {report['database']}",
        "",
        "Data set: " + ", ".join(f"{name} {count:,}" for name, count in report["sizes"].items()),
        "",
        "| operation | median ms | p95 ms | req/s | SQL queries | CPU ms/req | × floor (req/s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        cpu = f"{r['cpu_ms_per_request']:.1f}" if r.get("cpu_ms_per_request") is not None else "–"
        ratio = f"{r['throughput_vs_floor']:.1f}" if r.get("throughput_vs_floor") else "–"
        lines.append(
            f"| {r['label']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['throughput_rps']:.0f} | "
            f"{r['queries']} | {cpu} | {ratio} |"
        )
    lines += [
        "",
        "`× floor` is how many times slower than the framework floor (a trivial view behind the same middleware, "
        "served the same way) the operation's throughput is. Operations marked (sequential) change state on each "
        "request and are measured one request at a time; (in-process) are management commands.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
