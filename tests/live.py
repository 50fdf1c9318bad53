"""The site served by real processes on the test's database, for races that only show across processes.

On SQLite the test's in-memory database is copied to a file for the processes and copied back
afterwards; on PostgreSQL they use the test database itself (tests here are transactional).
"""

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import connection

ROOT = settings.BASE_DIR


class ProcessDatabase:
    """The database another process sees, and how to read what it wrote."""

    def __init__(self, tmp_path):
        self.sqlite = connection.vendor == "sqlite"
        self.path = tmp_path / "shared.sqlite3"

    def env(self) -> dict:
        if self.sqlite:
            return {"SQLITE_PATH": str(self.path)}
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return {"DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"}

    def hand_over(self):
        """Give the other process what the test wrote (on SQLite: copy the in-memory database to a file)."""
        if self.sqlite:
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)

    def take_back(self):
        """Read what the other process wrote through the ORM again (on SQLite: copy the file back)."""
        if self.sqlite:
            with sqlite3.connect(self.path) as source:
                source.backup(connection.connection)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database: ProcessDatabase, tmp_path, *, workers=2, threads=8, port=None):
    """Serve the site with gunicorn (its own process group) on the test's database; yields the base URL.

    The server's SITE_URL is the address it serves, as under ``make run``. The database is handed over
    before the server starts and taken back after it stops.
    """
    database.hand_over()
    port = port or free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        database.env(),
        DJANGO_SETTINGS_MODULE="config.settings.test",
        SECRET_KEY=settings.SECRET_KEY,  # the server must read the session cookie the test made
        VAR_DIR=str(tmp_path / "var"),
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            str(os.path.join(os.path.dirname(sys.executable), "gunicorn")),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(process, base, tmp_path)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()
        database.take_back()


def _wait_until_serving(process, base, tmp_path):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {(tmp_path / 'gunicorn.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 - our own loopback server
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")
