"""Atomic attempt counters in the database: what the sign-in throttle and the public quiz's limit count with.

Each counter is one ``AttemptCounter`` row changed by a single upsert statement that only counts below the
limit (PostgreSQL locks the row for it; SQLite holds the database's write lock), so a burst of parallel
requests is counted one after another: exactly ``limit`` of them are let through.
django-axes was considered: it checks the limit before the password and counts
the failure after it, so a burst all passes the check first (jazzband/django-axes#592, "wont fix").
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import F

from organisation.models import AttemptCounter


@dataclass(frozen=True)
class Take:
    allowed: bool
    count: int  # the count after this attempt (unchanged when refused)
    retry_after: int  # when refused, seconds until the window ends (0 when allowed)


def _upsert_sql() -> str:
    table = connection.ops.quote_name(AttemptCounter._meta.db_table)
    return (
        f"INSERT INTO {table} (key, count, window_ends_at) VALUES (%s, 1, %s) "  # noqa: S608  # nosec B608: our own table's name
        f"ON CONFLICT (key) DO UPDATE SET "
        f"count = CASE WHEN {table}.window_ends_at <= %s THEN 1 ELSE {table}.count + 1 END, "
        f"window_ends_at = CASE WHEN {table}.window_ends_at <= %s THEN excluded.window_ends_at "
        f"ELSE {table}.window_ends_at END "
        f"WHERE {table}.window_ends_at <= %s OR {table}.count < %s "
        f"RETURNING count"
    )


def counter_take(*, key: str, limit: int, window: int, now: datetime.datetime) -> Take:
    """Count one attempt under ``key`` unless ``limit`` attempts were already counted in its window.

    One statement (an upsert whose update only happens below the limit, or once the window has ended), so the
    database counts parallel attempts one after another (PostgreSQL and SQLite alike) in one query.
    """
    adapt = connection.ops.adapt_datetimefield_value
    ends = adapt(now + datetime.timedelta(seconds=window))
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [key, ends, adapt(now), adapt(now), adapt(now), limit])
        row = cursor.fetchone()
    if row is not None:
        return Take(allowed=True, count=row[0], retry_after=0)
    counter = AttemptCounter.objects.get(key=key)
    seconds = max(1, int((counter.window_ends_at - now).total_seconds() + 0.999))
    return Take(allowed=False, count=counter.count, retry_after=seconds)


def counter_add(*, key: str, window: int, now: datetime.datetime) -> int:
    """Count one attempt under ``key`` whatever the count; returns the new count."""
    return counter_take(key=key, limit=2**31, window=window, now=now).count


def counter_give_back(*, key: str) -> None:
    """Take back one attempt that turned out not to count (a right password)."""
    AttemptCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def counter_value(*, key: str, now: datetime.datetime) -> int:
    return AttemptCounter.objects.filter(key=key, window_ends_at__gt=now).values_list("count", flat=True).first() or 0


def counters_clear(*, keys: list[str]) -> None:
    AttemptCounter.objects.filter(key__in=keys).delete()


def counters_expired_delete(*, now: datetime.datetime) -> int:
    """Delete counters whose window has ended; safe to run any number of times."""
    return AttemptCounter.objects.filter(window_ends_at__lte=now).delete()[0]
