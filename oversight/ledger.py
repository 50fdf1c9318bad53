"""A year of the learning ledger, summed once and reused for as long as it has not changed.

``LearningRecord`` is append-only: rows are never edited or deleted (a correction is a new row),
so the number of a year's rows together with the highest id among them changes whenever that
year's ledger changes — including a row that commits late with a lower id, which still raises
the count. That pair is the cache key; the sums cannot go stale, and the first view after any
new record recomputes them. Sums are kept for the whole bureau; a department or role view picks
its people out of them, or, when nothing is cached yet, asks the database for its people only.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from learning.models import LearningRecord

CACHE_SECONDS = 60 * 60  # a safety net only: the key already changes with every new record


@dataclass
class LedgerYear:
    by_person: list  # (user id, source, hours, courses credited)
    by_day: list  # (date, source, hours)


def fingerprint(year: int) -> tuple[int, int]:
    row = LearningRecord.objects.filter(year=year).aggregate(rows=Count("pk"), last=Max("pk"))
    return row["rows"], row["last"] or 0


def _key(year: int, print_: tuple[int, int]) -> str:
    return f"oversight:ledger:{year}:{print_[0]}:{print_[1]}"


def person_sums(records) -> list:
    """(user id, source, hours, courses credited) per person and source of ``records``.

    The (year, user, source, hours, award_key) index covers this: the database reads the year's
    rows from the index alone, already grouped. Courses are counted with a range, not LIKE
    'course:%', which costs SQLite more than the rest of the query.
    """
    return [
        (user_id, source, float(total or 0), credited)
        for user_id, source, total, credited in records.values_list("user_id", "source")
        .annotate(total=Sum("hours"), courses=Count("pk", filter=Q(award_key__gte="course:", award_key__lt="course;")))
        .order_by()
    ]


def day_sums(records) -> list:
    """(date, source, hours) of ``records``: grouped by day in SQL (at most 366 × 4 rows, from the
    (year, occurred_on, source, hours, user) index alone) because extracting the month in SQL runs a
    Python function per row on SQLite."""
    return [
        (day, source, float(total or 0))
        for day, source, total in records.values_list("occurred_on", "source").annotate(total=Sum("hours")).order_by()
    ]


def ledger_year(year: int, *, compute: bool = True) -> LedgerYear | None:
    """The whole year's sums, from the cache when the ledger has not changed since; None when
    ``compute`` is false and nothing is cached."""
    key = _key(year, fingerprint(year))
    cached = cache.get(key)
    if cached is not None or not compute:
        return cached
    records = LearningRecord.objects.filter(year=year)
    result = LedgerYear(by_person=person_sums(records), by_day=day_sums(records))
    cache.set(key, result, CACHE_SECONDS)
    return result


def forget(year: int) -> None:
    """Drop the year's cached sums (the benchmark measures the first view after a new record)."""
    cache.delete(_key(year, fingerprint(year)))


def month_totals(rows, sources: list[str]):
    """A 12 × sources array of hours from (date, source, hours) rows."""
    import numpy as np

    column = {source: index for index, source in enumerate(sources)}
    totals = np.zeros((12, len(sources)))
    for day, source, hours in rows:
        if source in column and isinstance(day, datetime.date):
            totals[day.month - 1, column[source]] += hours
    return totals
