"""`make cluster-check`: two web nodes and two job clusters on this machine, sharing PostgreSQL and Redis
behind Debian's haproxy, as the README's production section prescribes, and what must hold across them.

- the balancer spreads requests over both nodes;
- a page unpublished and a page published through node A's admin is gone from / shown by node B at once
  (the visitors' page cache lives in the shared Redis);
- the sign-in lock counts failures on both nodes together, and so does the public quiz's per-address limit;
- scheduled jobs run exactly once although both clusters poll the same schedules.

Everything runs on its own: a fresh PostgreSQL database (``pgcluster_pufa``), a private redis-server on a
free port, nodes with separate VAR_DIRs (nothing shared through files), all stopped at the end.

    python -m bench.cluster                  # the checks; exit status 1 when one fails
    python -m bench.cluster --examday 200    # also the exam day through the balancer and against one node
"""

import argparse
import contextlib
import datetime
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from bench.run import DEFAULT_POSTGRES, ROOT, VENV_BIN, ensure_debian_tool, free_port

DATABASE = "pgcluster_pufa"
LOGIN_LIMIT = 4
QUIZ_LIMIT = 3
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HAPROXY = """global
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  option forwardfor
frontend pufa
  bind 127.0.0.1:{lb}
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /healthz
  server a 127.0.0.1:{a} check inter 1s
  server b 127.0.0.1:{b} check inter 1s
"""


class Processes:
    """Every process this check starts, each in its own group, all stopped (SIGTERM, then SIGKILL) at the end."""

    def __init__(self):
        self.running: list[subprocess.Popen] = []

    def start(self, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        handle = log.open("wb")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append(process)
        return process

    def stop(self) -> None:
        for process in reversed(self.running):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.running):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def ensure_haproxy() -> str:
    path = ensure_debian_tool("haproxy")
    if not path:
        raise SystemExit("haproxy is missing and could not be installed (apt-get install haproxy)")
    return path


def fresh_database() -> str:
    import psycopg
    from psycopg import sql

    server = os.environ.get("DATABASE_URL", "")
    server = server if server.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES
    admin_url = urlunsplit(urlsplit(server)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    return urlunsplit(urlsplit(server)._replace(path=f"/{DATABASE}"))


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


class Cluster:
    """The two nodes, their job clusters, Redis and the balancer, started in ``__enter__``."""

    def __init__(self, work: Path):
        self.work = work
        self.processes = Processes()
        self.ports = {"a": free_port(), "b": free_port(), "lb": free_port(), "redis": free_port()}
        self.redis_url = f"redis://127.0.0.1:{self.ports['redis']}/0"
        self.database_url = ""

    def url(self, node: str) -> str:
        return f"http://127.0.0.1:{self.ports[node]}"

    def env(self, node: str) -> dict:
        env = {key: value for key, value in os.environ.items() if key not in ("SQLITE_PATH", "DEMO")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            SECRET_KEY=self.secret,
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.url("lb"),
            VAR_DIR=str(self.work / f"node-{node}"),
            STATIC_ROOT=str(self.work / "static"),
            MEDIA_ROOT=str(self.work / "media"),
            PRIVATE_MEDIA_ROOT=str(self.work / "private"),
            TRUSTED_PROXY_COUNT="0",
            LOGIN_THROTTLE_LIMIT=str(LOGIN_LIMIT),
            QUIZ_IP_LIMIT=str(QUIZ_LIMIT),
            Q_WORKERS="1",
            LOG_LEVEL="WARNING",
        )
        return env

    def manage(self, *arguments: str, demo: bool = False) -> None:
        env = self.env("a") | ({"DEMO": "1"} if demo else {})
        subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)

    def __enter__(self):
        self.secret = secrets.token_urlsafe(50)
        self.database_url = fresh_database()
        start = self.processes.start
        start(
            [
                "redis-server",
                "--port",
                str(self.ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            os.environ.copy(),
            self.work / "redis.log",
        )
        try:
            self.manage("migrate", "--noinput", "-v0")
            self.manage("collectstatic", "--noinput", "-v0")
            self.manage("seed_demo", demo=True)
            for node in ("a", "b"):
                (self.work / f"node-{node}").mkdir(exist_ok=True)
                gunicorn = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.ports[node]}"]
                gunicorn += ["--workers", "2", "--access-logfile", str(self.work / f"access-{node}.log")]
                start(gunicorn, self.env(node), self.work / f"gunicorn-{node}.log")
                start([sys.executable, "manage.py", "qcluster"], self.env(node), self.work / f"qcluster-{node}.log")
            config = self.work / "haproxy.cfg"
            config.write_text(HAPROXY.format(lb=self.ports["lb"], a=self.ports["a"], b=self.ports["b"]))
            start([ensure_haproxy(), "-db", "-f", str(config)], os.environ.copy(), self.work / "haproxy.log")
            for node in ("a", "b"):
                wait_for(self.url(node) + "/healthz")
            wait_for(self.url("lb") + "/healthz")
            time.sleep(2)  # haproxy's health checks mark both servers up
        except BaseException:
            self.processes.stop()
            raise
        os.environ.update(self.env("a"))
        import django

        django.setup()
        return self

    def __exit__(self, *exc):
        self.processes.stop()

    def served(self, node: str) -> int:
        log = self.work / f"access-{node}.log"
        return len(log.read_text().splitlines()) if log.exists() else 0


def signed_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/accounts/login/", timeout=30)
    token = TOKEN.search(page.text).group(1)
    reply = session.post(
        base + "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    if reply.status_code != 302:
        raise SystemExit(f"{username} could not sign in at {base}: {reply.status_code}")
    return session


def admin_post(session: requests.Session, base: str, path: str, data: dict) -> requests.Response:
    page = session.get(base + path, timeout=30)
    token = TOKEN.search(page.text)
    return session.post(
        base + path,
        data={"csrfmiddlewaretoken": token.group(1) if token else session.cookies.get("csrftoken", ""), **data},
        headers={"Referer": base + path},
        allow_redirects=False,
        timeout=30,
    )


def check_balance(cluster: Cluster) -> tuple[bool, str]:
    before = {node: cluster.served(node) for node in ("a", "b")}
    for _ in range(20):
        requests.get(cluster.url("lb") + "/", timeout=30)
    time.sleep(0.5)
    served = {node: cluster.served(node) - before[node] for node in ("a", "b")}
    return min(served.values()) >= 5, f"20 requests through the balancer: node A served {served['a']}, B {served['b']}"


def check_page_cache(cluster: Cluster) -> tuple[bool, str]:
    import redis

    from demo.organisation import DEMO_PASSWORD
    from website.models import ExplainerPage

    page = ExplainerPage.objects.live().public().order_by("path").first()
    b = cluster.url("b")
    first = requests.get(b + page.url, timeout=30)
    stored = len(redis.Redis.from_url(cluster.redis_url).keys("*website:page:*"))
    admin = signed_in(cluster.url("a"), "admin", DEMO_PASSWORD)
    reply = admin_post(admin, cluster.url("a"), f"/admin/pages/{page.pk}/unpublish/", {})
    after = requests.get(b + page.url, timeout=30)
    ok = first.status_code == 200 and stored > 0 and reply.status_code == 302 and after.status_code == 404
    facts = (
        f"B served 《{page.title}》 ({first.status_code}, {stored} pages in the shared cache); unpublished through A's"
        f" admin ({reply.status_code}); B then answered {after.status_code}"
    )
    published_ok, published_facts = _publish_through_a(cluster)
    return ok and published_ok, f"{facts}; {published_facts}"


def _publish_through_a(cluster: Cluster) -> tuple[bool, str]:
    """The page waiting in 法制审核, approved by the reviewer through A: B's cached index lists it at once."""
    from demo.organisation import DEMO_PASSWORD
    from demo.website import IN_REVIEW
    from website.models import ExplainerIndexPage, QAPage

    waiting = QAPage.objects.get(slug=IN_REVIEW["slug"])
    index = ExplainerIndexPage.objects.get()
    b = cluster.url("b")
    before = requests.get(b + index.url, timeout=30).text
    reviewer = signed_in(cluster.url("a"), "demo-reviewer", DEMO_PASSWORD)
    state = waiting.current_workflow_task_state
    path = f"/admin/pages/workflow/action/{waiting.pk}/approve/{state.pk}/"
    reply = admin_post(reviewer, cluster.url("a"), path, {"comment": ""})
    waiting.refresh_from_db()
    after = requests.get(b + index.url, timeout=30).text
    ok = waiting.title not in before and waiting.live and waiting.title in after
    return ok, (
        f"《{waiting.title}》 approved in 法制审核 through A ({reply.status_code}, live: {waiting.live}); B's explainer"
        f" index {'lists it' if waiting.title in after else 'does not list it'}"
    )


def check_sign_in_lock(cluster: Cluster) -> tuple[bool, str]:
    from demo.organisation import DEMO_PASSWORD
    from organisation.security import ACCOUNT_LOCKED_MESSAGE

    nodes = ["a", "b"] * LOGIN_LIMIT
    for node in nodes[:LOGIN_LIMIT]:
        base = cluster.url(node)
        session = requests.Session()
        token = TOKEN.search(session.get(base + "/accounts/login/", timeout=30).text).group(1)
        session.post(
            base + "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": "demo-staff", "password": "wrong-password"},
            timeout=30,
        )
    other = cluster.url(nodes[LOGIN_LIMIT])
    session = requests.Session()
    token = TOKEN.search(session.get(other + "/accounts/login/", timeout=30).text).group(1)
    reply = session.post(
        other + "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": "demo-staff", "password": DEMO_PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    locked = reply.status_code != 302 and ACCOUNT_LOCKED_MESSAGE.split("，")[0] in reply.text
    return locked, (
        f"{LOGIN_LIMIT} wrong passwords for demo-staff, alternating A and B; the right one on"
        f" {'B' if nodes[LOGIN_LIMIT] == 'b' else 'A'} then {'was refused: locked' if locked else 'signed in'}"
    )


def check_quiz_limit(cluster: Cluster) -> tuple[bool, str]:
    from django.utils import timezone

    from campaigns.models import Quiz

    quiz = next((quiz for quiz in Quiz.objects.public().select_related("event") if quiz.is_open(timezone.now())), None)
    if quiz is None:
        return False, "the demo has no open public quiz"
    path = f"/events/{quiz.event_id}/quiz/"
    statuses = []
    for index in range(QUIZ_LIMIT + 1):
        base = cluster.url("ab"[index % 2])
        session = requests.Session()
        token = TOKEN.search(session.get(base + path, timeout=30).text)
        reply = session.post(
            base + path,
            data={"csrfmiddlewaretoken": token.group(1) if token else ""},
            allow_redirects=False,
            timeout=30,
        )
        statuses.append(reply.status_code)
    ok = 429 not in statuses[:QUIZ_LIMIT] and statuses[QUIZ_LIMIT] == 429
    return ok, f"{QUIZ_LIMIT + 1} hand-ins from one address, alternating A and B: {statuses} (the last one refused)"


def check_schedules_once(cluster: Cluster) -> tuple[bool, str]:
    from django_q.models import Schedule, Success

    from django.core.cache import cache
    from django.utils import timezone

    names = [f"cluster-check-{secrets.token_hex(4)}" for _ in range(3)]
    for name in names:
        Schedule.objects.create(
            name=name,
            func="bench.cluster_jobs.tick",
            args=repr(name),
            schedule_type=Schedule.ONCE,
            next_run=timezone.now() - datetime.timedelta(seconds=1),
        )
    deadline = time.monotonic() + 100  # the scheduler runs every 30 s in each cluster

    def tasks() -> dict[str, int]:
        done = [task.args for task in Success.objects.filter(func="bench.cluster_jobs.tick")]
        return {name: done.count((name,)) for name in names}

    while time.monotonic() < deadline and min(tasks().values()) < 1:
        time.sleep(1)
    time.sleep(35)  # one more scheduler pass of each cluster: a second run would show now
    runs = [cache.get(f"cluster-check:{name}", 0) for name in names]
    successes = list(tasks().values())
    ok = all(count == 1 for count in runs + successes)
    return ok, f"3 schedules due at once, two clusters polling: runs {runs}, tasks {successes}"


def exam_day(cluster: Cluster, people: int) -> list[str]:
    """The exam-day scenario (bench.examday) against node A alone, then through the balancer."""
    from bench import data, examday
    from bench.operations import bench_exam, reset_state

    examday.build(cluster.work, staff=people)
    lines = []
    usernames = [f"bench{number:05d}" for number in range(people)]
    for label, port in (("node A alone", cluster.ports["a"]), ("through the balancer", cluster.ports["lb"])):
        reset_state()
        exam = bench_exam()
        day = examday.ExamDay(port, exam.pk, data.BENCH_PASSWORD)
        level = examday.Level(people)
        day.admit(usernames, level)
        day.answer(level, 60)
        answering = examday.summary(level, examday.check(level, exam))
        final = examday.Level(people)
        day.hand_in(final)
        final.acknowledged = level.acknowledged
        handed_in = examday.summary(final, examday.check(final, exam))
        lines.append(
            f"exam day, {people} people, {label}: admitted {answering['admitted_per_second']:.1f}/s, answering p95"
            f" {answering['answering_p95_ms']:.0f} ms, handed in {handed_in['handed_in_per_second']:.1f}/s, errors"
            f" {answering['errors'] or 0} / {handed_in['errors'] or 0}, integrity {handed_in['integrity']}"
        )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examday", type=int, default=0, help="also run the exam day with this many people")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pufa-cluster-") as work, Cluster(Path(work)) as cluster:
        print(
            f"two nodes up after {time.monotonic() - started:.0f} s (A :{cluster.ports['a']}, B :{cluster.ports['b']},"
            f" balancer :{cluster.ports['lb']}, Redis :{cluster.ports['redis']}, PostgreSQL {DATABASE})",
            flush=True,
        )
        failed = 0
        for check in (check_balance, check_page_cache, check_sign_in_lock, check_quiz_limit, check_schedules_once):
            try:
                ok, facts = check(cluster)
            except Exception as error:  # a check that breaks is a failed check, and the others still run
                ok, facts = False, f"{type(error).__name__}: {error}"
            failed += not ok
            print(f"{'✓' if ok else '✗'} {check.__name__.removeprefix('check_')}: {facts}", flush=True)
        if args.examday:
            for line in exam_day(cluster, args.examday):
                print(f"· {line}", flush=True)
    print(f"cluster check: {'all held' if not failed else f'{failed} failed'} in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
