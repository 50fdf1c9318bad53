"""`make examday`: the whole bureau sits the yearly exam in one window, against gunicorn on 127.0.0.1.

N staff sign in through the login form and start the 100-question exam (admission, a few at a time),
then all answer question after question the way the exam page does (open the question, think,
autosave the answer) for the window, then hand in. N is raised level by level until the 95th percentile
latency passes one second or a request fails. After every level the database is read back: every
answer the server acknowledged is there with the revision it acknowledged (none lost), each person
has one attempt and at most one result (none duplicated), and every acknowledged hand-in is graded.

    python -m bench.examday                           # SQLite, then PostgreSQL when reachable
    python -m bench.examday --database sqlite --levels 50,100 --window 30
    python -m bench.examday --levels 25 --window 40 --no-report   # CI: a short check that nothing is lost

The clients are one asyncio loop in this process (no thread per person), so the client's own CPU
stays small beside the server's; it shares the machine's cores with the server, which a real exam
day does not. Sign-in uses the bench settings' fast password hasher (bench/settings.py): what is
measured is the exam, not PBKDF2. Writes bench/examday.json and bench/examday.md.
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.run import BENCH, ROOT, Server, ensure_postgres_database, postgres_url, setup_django

SCALE = "examday"
STAFF = 2_500  # the goal is 2,000 people at once; a few more accounts than the largest level
LEVELS = [250, 500, 1000, 1500, 2000, 2500]
AT_ONCE = 16  # people signing in and starting (and later handing in) at the same moment
WINDOW_SECONDS = 90  # everyone answers for this long, then hands in
THINK_SECONDS = (10, 30)  # reading and answering one question: uniform, a mean of 20 s (an hour for 100 questions)
P95_LIMIT = 1.0
TIMEOUT = 30
ITEM = re.compile(r'name="items" value="(\d+)"><input type="hidden" name="rev\1" value="(\d+)"')
CHOICE = re.compile(r'type="(radio|checkbox)" name="(q\d+)" value="([^"]*)"')
BLANK = re.compile(r'type="text" id="[^"]*" name="(q\d+_\d+)"')
TEXTAREA = re.compile(r'<textarea id="q\d+" name="(q\d+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes
    seconds: float


@dataclass
class Level:
    """What one level of N people did, and what the server acknowledged to them."""

    people: int
    latencies: dict = field(default_factory=lambda: defaultdict(list))  # phase → seconds
    errors: Counter = field(default_factory=Counter)
    acknowledged: dict = field(default_factory=dict)  # item id → revision the server said it saved
    started: set = field(default_factory=set)  # usernames whose start was acknowledged
    handed_in: set = field(default_factory=set)
    durations: dict = field(default_factory=dict)  # phase → seconds it took

    def record(self, phase: str, reply: Reply | None, ok: bool) -> None:
        if reply is not None:
            self.latencies[phase].append(reply.seconds)
        if not ok:
            self.errors[f"{phase} {reply.status if reply else 'timeout'}"] += 1


async def send(port: int, method: str, path: str, cookies: dict, body: dict | None = None, headers=None) -> Reply:
    """One HTTP/1.1 request on its own connection (gunicorn's sync workers close each one)."""
    payload = urlencode(body or {}, doseq=True).encode()
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", f"Content-Length: {len(payload)}"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if body is not None:
        lines.append("Content-Type: application/x-www-form-urlencoded")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        raw = await asyncio.wait_for(reader.read(), TIMEOUT)
    finally:
        writer.close()
    seconds = time.perf_counter() - started
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = defaultdict(list)
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()].append(value.strip())
    return Reply(int(status_line.split()[1]), parsed, content, seconds)


def take_cookies(cookies: dict, reply: Reply) -> None:
    for value in reply.headers.get("set-cookie", []):
        name, _, rest = value.partition("=")
        cookies[name] = rest.split(";", 1)[0]


def answer(page: str, rng: random.Random) -> tuple[int, int, dict] | None:
    """The one question on an exam page: its item, revision and an answer as the page's form would post it."""
    found = ITEM.search(page)
    if not found:
        return None
    item, revision = int(found.group(1)), int(found.group(2))
    form = {"items": str(item), f"rev{item}": str(revision)}
    choices = CHOICE.findall(page)
    if choices:
        kind, name = choices[0][0], choices[0][1]
        values = [value for _, _, value in choices]
        form[name] = rng.sample(values, 2) if kind == "checkbox" and len(values) > 1 else rng.choice(values)
    for name in BLANK.findall(page) + TEXTAREA.findall(page):
        form[name] = "依法行政"
    return item, revision, form


@dataclass
class Sitter:
    """One person at the exam: their session and attempt once admitted."""

    username: str
    cookies: dict = field(default_factory=dict)
    attempt: str = ""
    position: int = 1  # the next question to open

    def csrf(self) -> dict:
        from django.conf import settings

        return {"X-CSRFToken": self.cookies.get(settings.CSRF_COOKIE_NAME, "")}


async def admit(port: int, exam_id: int, sitter: Sitter, password: str, level: Level) -> bool:
    """Sign in through the login form and start the exam: the morning's surge."""
    from django.conf import settings

    reply = await send(port, "GET", "/accounts/login/", sitter.cookies)
    level.record("sign-in", reply, reply.status == 200)
    take_cookies(sitter.cookies, reply)
    token = TOKEN.search(reply.body.decode())
    form = {"csrfmiddlewaretoken": token.group(1) if token else "", "username": sitter.username, "password": password}
    reply = await send(port, "POST", "/accounts/login/", sitter.cookies, form)
    level.record("sign-in", reply, reply.status == 302)
    take_cookies(sitter.cookies, reply)
    if reply.status != 302 or settings.SESSION_COOKIE_NAME not in sitter.cookies:
        return False
    reply = await send(port, "POST", f"/exams/{exam_id}/start/", sitter.cookies, {}, sitter.csrf())
    location = reply.headers.get("location", [""])[0]
    started = reply.status == 302 and "/exams/attempts/" in location
    level.record("start", reply, started)
    if started:
        level.started.add(sitter.username)
        sitter.attempt = urlsplit(location).path.rstrip("/")
    return started


async def answer_until(port: int, sitter: Sitter, level: Level, begin: float, leave: float) -> None:
    """Question after question as the exam page does it: open it, think, autosave the answer; until ``leave``."""
    rng = random.Random(sitter.username)
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(begin - loop.time(), 0))
    while loop.time() < leave and sitter.position <= 100:
        reply = await send(port, "GET", f"{sitter.attempt}/?q={sitter.position}", sitter.cookies)
        level.record("question page", reply, reply.status == 200)
        question = answer(reply.body.decode(), rng) if reply.status == 200 else None
        if question is None:
            return
        think = rng.uniform(*THINK_SECONDS)
        if loop.time() + think > leave:
            return  # still thinking when the window closes: this answer comes in the next level (or never)
        await asyncio.sleep(think)
        item, _, form = question
        headers = {**sitter.csrf(), "Accept": "application/json"}
        reply = await send(port, "POST", f"{sitter.attempt}/save/", sitter.cookies, form, headers)
        saved = json.loads(reply.body or b"{}").get("saved", {}) if reply.status == 200 else {}
        level.record("autosave", reply, str(item) in saved)
        if str(item) in saved:
            level.acknowledged[item] = saved[str(item)]
        sitter.position += 1


async def hand_in(port: int, sitter: Sitter, level: Level) -> None:
    reply = await send(port, "POST", f"{sitter.attempt}/submit/", sitter.cookies, {}, sitter.csrf())
    handed_in = reply.status == 302 and "/result/" in reply.headers.get("location", [""])[0]
    level.record("hand-in", reply, handed_in)
    if handed_in:
        level.handed_in.add(sitter.username)


async def guarded(level: Level, work, gate: asyncio.Semaphore | None = None):
    """Run one person's step; a connection that fails or times out counts as an error, not a crash."""
    try:
        if gate is None:
            return await work
        async with gate:
            return await work
    except (OSError, TimeoutError, ValueError) as error:
        level.errors[type(error).__name__] += 1
        return False


class ExamDay:
    """The exam morning, level by level: more people arrive at each level, those already sitting keep their
    session and their place in the paper, and everyone hands in at the end.

    Admission and hand-in go ``AT_ONCE`` people at a time (their figure is people per second); answering is
    everyone at once, each at their own pace.
    """

    def __init__(self, port: int, exam_id: int, password: str):
        self.port, self.exam_id, self.password = port, exam_id, password
        self.sitters: list[Sitter] = []
        self.tried = 0

    def admit(self, usernames: list[str], level: Level) -> None:
        """Sign in and start everyone of ``usernames`` not tried yet."""
        newcomers = [Sitter(username) for username in usernames[self.tried :]]
        self.tried = len(usernames)

        async def run():
            gate = asyncio.Semaphore(AT_ONCE)
            work = (guarded(level, admit(self.port, self.exam_id, s, self.password, level), gate) for s in newcomers)
            return await asyncio.gather(*work)

        started = time.monotonic()
        admitted = asyncio.run(run())
        level.durations["admission"] = time.monotonic() - started
        self.sitters += [sitter for sitter, ok in zip(newcomers, admitted, strict=True) if ok]

    def answer(self, level: Level, window: float) -> None:
        async def run():
            begin = asyncio.get_running_loop().time()

            def first_question(sitter: Sitter) -> float:
                """Everyone is somewhere in their paper: their next question opens within one think time."""
                return begin + random.Random(f"{sitter.username}:{sitter.position}").uniform(0, THINK_SECONDS[1])

            work = (answer_until(self.port, s, level, first_question(s), begin + window) for s in self.sitters)
            await asyncio.gather(*(guarded(level, each) for each in work))

        started = time.monotonic()
        asyncio.run(run())
        level.durations["answering"] = time.monotonic() - started

    def hand_in(self, level: Level) -> None:
        async def run():
            gate = asyncio.Semaphore(AT_ONCE)
            await asyncio.gather(*(guarded(level, hand_in(self.port, s, level), gate) for s in self.sitters))

        started = time.monotonic()
        asyncio.run(run())
        level.durations["hand-in"] = time.monotonic() - started
        level.started = {sitter.username for sitter in self.sitters}


def check(level: Level, exam) -> dict:
    """What the database holds after the level, against what the server acknowledged."""
    from django.db.models import Count

    from learning.exams.models import Attempt, AttemptItem, ExamResult

    revisions = dict(AttemptItem.objects.filter(pk__in=level.acknowledged).values_list("pk", "revision"))
    answered = set(
        AttemptItem.objects.filter(pk__in=level.acknowledged, response__isnull=False).values_list("pk", flat=True)
    )
    lost = [pk for pk, revision in level.acknowledged.items() if revisions.get(pk) != revision or pk not in answered]
    attempts = Counter(dict(Attempt.objects.filter(exam=exam).values_list("user__username").annotate(n=Count("pk"))))
    results = Counter(dict(ExamResult.objects.filter(exam=exam).values_list("user__username").annotate(n=Count("pk"))))
    graded = set(Attempt.objects.filter(exam=exam).exclude(submitted_at=None).values_list("user__username", flat=True))
    return {
        "answers_acknowledged": len(level.acknowledged),
        "answers_lost": len(lost),
        "attempts_duplicated": sum(1 for n in attempts.values() if n > 1),
        "attempts_missing": len(level.started - set(attempts)),
        "results_duplicated": sum(1 for n in results.values() if n > 1),
        "hand_ins_not_recorded": len(level.handed_in - graded),
    }


def summary(level: Level, integrity: dict) -> dict:
    phases = {
        phase: {"requests": len(values), "median_ms": statistics.median(values) * 1000, "p95_ms": p95(values) * 1000}
        for phase, values in level.latencies.items()
        if values
    }
    answering = level.latencies["question page"] + level.latencies["autosave"]
    durations = level.durations
    return {
        "people": level.people,
        "requests": sum(len(values) for values in level.latencies.values()),
        "answering_per_second": len(answering) / durations["answering"] if durations.get("answering") else 0,
        "answering_p95_ms": p95(answering) * 1000 if answering else None,
        "admitted_per_second": len(level.started) / durations["admission"] if durations.get("admission") else 0,
        "handed_in_per_second": len(level.handed_in) / durations["hand-in"] if durations.get("hand-in") else 0,
        "durations": durations,
        "errors": dict(level.errors),
        "phases": phases,
        "integrity": integrity,
        "load_average": os.getloadavg()[0],
    }


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def held(result: dict) -> bool:
    """The level passed: while everyone answers, p95 within a second; no failed request; nothing lost or
    duplicated. Admission goes ``AT_ONCE`` people at a time, so its figure is people per second."""
    return (
        result["answering_p95_ms"] is not None
        and result["answering_p95_ms"] <= P95_LIMIT * 1000
        and not result["errors"]
        and not _faults(result["integrity"])
    )


def _faults(integrity: dict) -> list[int]:
    return [value for key, value in integrity.items() if key != "answers_acknowledged" and value]


def build(var_dir: Path, *, staff: int = STAFF) -> None:
    """The people and the exam (once per database): the bench's own builders, at this scenario's size."""
    from django.db import transaction

    from bench import data
    from website.models import Domain

    marker = var_dir / "built.json"
    if marker.exists():
        return
    sizes = {"departments": 20, "staff": staff, "questions": 500}
    with transaction.atomic():
        data.build_organisation(sizes, random.Random("examday:organisation"))
        Domain.objects.get_or_create(slug="bench-exam", defaults={"name": "考试题库"})
        data.build_question_bank(sizes, random.Random("examday:questions"))
        data.build_bench_exam(sizes, random.Random("examday:exam"))
    marker.write_text(json.dumps({"sizes": sizes}))


def reset(exam) -> None:
    """The exam opens afresh: no attempt, result or award from an earlier level."""
    from bench import operations

    operations.reset_state()
    exam.refresh_from_db()


def run_database(args) -> int:
    vendor = "sqlite" if args.database == "sqlite" else "postgresql"
    if vendor == "sqlite":
        os.environ.pop("BENCH_DATABASE_URL", None)
        var_dir = BENCH / "data" / SCALE
    else:
        os.environ["BENCH_DATABASE_URL"] = args.database
        name = urlsplit(args.database).path.lstrip("/")
        var_dir = BENCH / "data" / f"{SCALE}-postgresql-{name}"
        ensure_postgres_database(args.database, rebuild=not (var_dir / "built.json").exists())
    var_dir.mkdir(parents=True, exist_ok=True)
    setup_django(var_dir)

    from django.core.management import call_command
    from django.db import connection, connections

    from bench.data import BENCH_PASSWORD
    from bench.operations import bench_exam

    if "django_migrations" not in connection.introspection.table_names():
        (var_dir / "built.json").unlink(missing_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_VAR_DIR": str(var_dir)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    call_command("migrate", verbosity=0, interactive=False)
    build(var_dir)
    usernames = [f"bench{number:05d}" for number in range(STAFF)]
    results = []
    exam = bench_exam()
    reset(exam)
    connections.close_all()
    with Server(var_dir, workers=args.workers) as server:
        day = ExamDay(server.port, exam.pk, BENCH_PASSWORD)
        acknowledged = {}
        for people in args.levels:
            print(f"· {people} people …", end=" ", flush=True)
            level = Level(people)
            day.admit(usernames[:people], level)
            day.answer(level, args.window)
            acknowledged |= level.acknowledged
            result = summary(level, check(level, exam))
            results.append(result)
            connections.close_all()
            print(
                f"admitted {result['admitted_per_second']:.1f}/s; answering p95 {result['answering_p95_ms']:.0f} ms at"
                f" {result['answering_per_second']:.1f} req/s; errors {result['errors']}, integrity"
                f" {result['integrity']}",
                flush=True,
            )
            if not held(result):
                break
        final = Level(len(day.sitters))
        day.hand_in(final)
        final.acknowledged = acknowledged  # every answer of the morning must still be there after grading
        handed_in = summary(final, check(final, exam))
        print(f"· hand-in of {final.people}: {handed_in['handed_in_per_second']:.1f}/s, {handed_in['integrity']}")
    report = {
        "vendor": vendor,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "cpus": os.cpu_count(),
        "server": f"gunicorn, {args.workers} sync workers, loopback",
        "at_once": AT_ONCE,
        "window_seconds": args.window,
        "think_seconds": THINK_SECONDS,
        "levels": results,
        "hand_in": handed_in,
        "largest_held": max((r["people"] for r in results if held(r)), default=0),
    }
    if not args.no_report:
        (BENCH / f"examday-{vendor}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"largest N held ({vendor}): {report['largest_held']}")
    # Anything lost or duplicated fails the run; so does a failed request at the first (smallest) level, where
    # nothing but a defect explains it. Larger levels may fail by load: that is what they measure.
    faults = [r for r in [*results, handed_in] if _faults(r["integrity"])]
    return 1 if faults or handed_in["errors"] or (results and results[0]["errors"]) else 0


def markdown(reports: list[dict]) -> str:
    lines = [
        "# Exam day",
        "",
        "From `make examday` (`python -m bench.examday`). **Admission:** N staff sign in through the login form and"
        f" start the 100-question exam, {AT_ONCE} at a time (people per second). **Answering:** for the window, each"
        f" opens a question, thinks {THINK_SECONDS[0]}–{THINK_SECONDS[1]} s, autosaves the answer, opens the next;"
        " the level holds when the 95th percentile of these requests is within 1 s. **Hand-in:** everyone hands in,"
        f" {AT_ONCE} at a time (people per second). No request may fail in any phase, and afterwards the database must"
        " hold every acknowledged answer at its acknowledged revision, one attempt and at most one result per person.",
        "",
        "| database | N sitting | newcomers admitted /s | answering req/s | question p95 ms | autosave p95 ms"
        " | answering p95 ms | errors | answers acknowledged / lost | duplicated | load avg | held |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for report in reports:
        for r in report["levels"]:
            phase = {name: f"{value['p95_ms']:.0f}" for name, value in r["phases"].items()}
            integrity = r["integrity"]
            lines.append(
                f"| {report['vendor']} | {r['people']:,} | {r['admitted_per_second']:.1f}"
                f" | {r['answering_per_second']:.1f} | {phase.get('question page', '–')} | {phase.get('autosave', '–')}"
                f" | {r['answering_p95_ms']:.0f}"
                f" | {', '.join(f'{k}: {v}' for k, v in r['errors'].items()) or '0'}"
                f" | {integrity['answers_acknowledged']:,} / {integrity['answers_lost']}"
                f" | {integrity['attempts_duplicated'] + integrity['results_duplicated']}"
                f" | {r['load_average']:.1f} | {'yes' if held(r) else '**no**'} |"
            )
    lines += [""]
    for report in reports:
        hand_in = report["hand_in"]
        faults = _faults(hand_in["integrity"])
        lines.append(
            f"- **{report['vendor']}** ({report['when']}, {report['server']}, {report['cpus']} CPUs, window"
            f" {report['window_seconds']:.0f} s per level): largest N held **{report['largest_held']:,}**; then"
            f" {hand_in['people']:,} handed in at {hand_in['handed_in_per_second']:.1f} people/s (p95"
            f" {hand_in['phases'].get('hand-in', {}).get('p95_ms', 0):.0f} ms), errors"
            f" {', '.join(f'{k}: {v}' for k, v in hand_in['errors'].items()) or '0'},"
            f" {hand_in['integrity']['answers_acknowledged']:,} answers checked after grading:"
            f" {'none lost or duplicated' if not faults else hand_in['integrity']}."
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="'sqlite' or a PostgreSQL URL (default: SQLite, then PostgreSQL)")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="comma-separated N to try, in order")
    parser.add_argument("--window", type=float, default=WINDOW_SECONDS, help="seconds each person answers")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-report", action="store_true", help="check only: write no results (CI's smoke run)")
    args = parser.parse_args(argv)
    args.levels = [int(value) for value in args.levels.split(",")]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.database:
        return run_database(args)
    status = 0
    vendors = ["sqlite"] + ([postgres_url(SCALE)] if postgres_url(SCALE) else [])
    for database in vendors:
        flags = ["--database", database, "--levels", ",".join(map(str, args.levels)), "--window", str(args.window)]
        flags += ["--workers", str(args.workers)] + (["--no-report"] if args.no_report else [])
        status |= subprocess.run([sys.executable, "-m", "bench.examday", *flags], cwd=ROOT, check=False).returncode
    if args.no_report:
        return status
    reports = [
        json.loads(path.read_text())
        for path in (BENCH / "examday-sqlite.json", BENCH / "examday-postgresql.json")
        if path.exists()
    ]
    (BENCH / "examday.md").write_text(markdown(reports))
    print(markdown(reports))
    return status


if __name__ == "__main__":
    sys.exit(main())
