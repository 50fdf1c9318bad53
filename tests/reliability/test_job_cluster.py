"""A real job cluster: a worker killed with SIGKILL half-way through a reminder job, the cluster
restarted, and django-q2 re-running the unfinished task after ``retry`` seconds: every reminder
arrives, none twice. And the ``catch_up`` choice, proved with real scheduler passes.

The cluster is ``python manage.py qcluster`` in its own process group, on the test's database: on
SQLite a file copy of it (copied back afterwards), on PostgreSQL the test database itself.
"""

import contextlib
import datetime
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule, Success
from django_q.scheduler import scheduler
from django_q.tasks import async_task

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from organisation.models import Notification
from tests.clock import WALL
from tests.factories import staff
from tests.live import ProcessDatabase

# The cluster is another process on the machine's clock; this test keeps to that clock too.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(WALL)]

PEOPLE = 12
PACE = 0.25  # seconds per person: the job runs about three seconds
TIMEOUT, RETRY = 8, 9  # as in production, timeout < retry: a task comes back only when its worker is gone
KEY = "reliability:killed-worker"
ROOT = settings.BASE_DIR


class ClusterDatabase(ProcessDatabase):
    """The database the cluster process sees (tests.live), and how many reminders it wrote."""

    def notifications(self) -> int:
        if not self.sqlite:
            return Notification.objects.filter(key=KEY).count()
        with sqlite3.connect(self.path, timeout=20) as db:
            return db.execute("SELECT count(*) FROM organisation_notification WHERE key = ?", [KEY]).fetchone()[0]


def start_cluster(database, tmp_path, name):
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        database.env(),
        DJANGO_SETTINGS_MODULE="tests.reliability.cluster_settings",
        SECRET_KEY=settings.SECRET_KEY,  # the cluster must read the signed task the test enqueued
        VAR_DIR=str(tmp_path / "var"),
        TEST_Q_TIMEOUT=str(TIMEOUT),
        TEST_Q_RETRY=str(RETRY),
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the test can kill exactly this cluster
    )


def kill_cluster(process):
    """SIGKILL every process of this cluster (its group), as when a node dies."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_for(condition, *, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def test_a_worker_killed_mid_job_and_a_restarted_cluster_send_every_reminder_exactly_once(tmp_path, monkeypatch):
    people = [staff(f"p{n}") for n in range(PEOPLE)]
    pid_file = tmp_path / "worker.pid"
    monkeypatch.setattr(Conf, "SYNC", False)
    async_task(
        "tests.reliability.jobs.remind_slowly",
        [person.pk for person in people],
        KEY,
        PACE,
        str(pid_file),
        broker=get_broker(),
        sync=False,
    )
    database = ClusterDatabase(tmp_path)
    database.hand_over()

    first = start_cluster(database, tmp_path, "first")
    try:
        wait_for(lambda: database.notifications() >= 4, seconds=120, what="the job to get going")
        worker = int(pid_file.read_text())
        os.kill(worker, signal.SIGKILL)  # the worker dies half-way through the list …
        kill_cluster(first)  # … and so does the rest of its cluster
    finally:
        kill_cluster(first)
    sent_before_kill = database.notifications()
    assert 4 <= sent_before_kill < PEOPLE

    pid_file.unlink()
    second = start_cluster(database, tmp_path, "second")
    try:
        # The unfinished task stays in the queue, locked until ``retry`` runs out; then it runs again.
        wait_for(lambda: pid_file.exists(), seconds=RETRY + 120, what="the task to be retried")
        assert int(pid_file.read_text()) != worker
        wait_for(lambda: database.notifications() == PEOPLE, seconds=60, what="the retried task to finish")
        time.sleep(PACE + 1)  # let the worker finish and the cluster record the result
    finally:
        kill_cluster(second)

    database.take_back()
    received = Counter(Notification.objects.filter(key=KEY).values_list("user_id", flat=True))
    assert received == Counter({person.pk: 1 for person in people}), (tmp_path / "second.log").read_text()[-3000:]
    success = Success.objects.get(func="tests.reliability.jobs.remind_slowly")
    assert success.result == PEOPLE - sent_before_kill  # the retry sent only the rest
    assert not OrmQ.objects.exists()  # acknowledged: it will not run a third time


def test_after_downtime_each_schedule_runs_once_not_once_per_missed_slot(monkeypatch):
    """``catch_up`` is off (config/settings/base.py). A real scheduler pass on every schedule the site
    installs, each due 100 days ago: one task each, and the next run is in the future. With
    catch_up on, the same passes would queue a task per missed slot, one more on every pass."""
    assert settings.Q_CLUSTER["catch_up"] is False
    call_command("setup_schedules", stdout=io.StringIO())
    long_ago = timezone.now() - datetime.timedelta(days=100)
    Schedule.objects.update(next_run=long_ago)
    schedules = Schedule.objects.count()
    monkeypatch.setattr(Conf, "SYNC", False)  # queue the tasks as the cluster would, do not run them here
    broker = get_broker()

    for _ in range(3):
        scheduler(broker=broker)

    assert OrmQ.objects.count() == schedules
    assert all(schedule.next_run > timezone.now() for schedule in Schedule.objects.all())

    OrmQ.objects.all().delete()
    Schedule.objects.update(next_run=long_ago)
    monkeypatch.setattr(Conf, "CATCH_UP", True)
    for _ in range(3):
        scheduler(broker=broker)
    assert OrmQ.objects.count() == 3 * schedules  # what catch_up would have done: and it is not done yet


def test_the_job_queue_stays_in_the_database_when_redis_is_configured(tmp_path):
    """django-q2's Redis broker has no receipts: a task taken by a worker that dies is gone. So REDIS_URL
    moves only the cache; the queue stays in the database, where the test above proves retries."""
    script = (
        "import json; from config.settings import base; "
        "print(json.dumps({'q': base.Q_CLUSTER, 'cache': base.CACHES['default']['BACKEND']}))"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0", "VAR_DIR": str(tmp_path)}
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True)
    loaded = json.loads(output.stdout)
    assert loaded["q"]["orm"] == "default" and "redis" not in loaded["q"]
    assert loaded["q"]["timeout"] < loaded["q"]["retry"]
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
