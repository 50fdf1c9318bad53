"""Settings for `make bench`: the production settings, plus a floor view and a query counter.

The benchmark serves the site with gunicorn as in production (DEBUG off, whitenoise, a shared
cache), on its own SQLite database and file cache in bench/data/<size>/ (or the PostgreSQL database
bench.run puts in BENCH_DATABASE_URL, pgbench_pufa_<size>), so it never touches the dev database in
var/, a DATABASE_URL or SQLITE_PATH set for other work, or a Redis another process uses.
"""

import os
from pathlib import Path

BENCH_DIR = Path(os.environ.get("BENCH_VAR_DIR", Path(__file__).resolve().parent / "data" / "full"))
os.environ["VAR_DIR"] = str(BENCH_DIR)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.pop("SQLITE_PATH", None)
# Its own file cache in the bench directory, never a Redis shared with a dev server or CI.
os.environ.pop("REDIS_URL", None)

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import MIDDLEWARE  # noqa: E402

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Counts SQL queries per request into a response header; first so it sees every query.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # sign-in is not what we measure
LOGIN_THROTTLE_LIMIT = 10_000
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
