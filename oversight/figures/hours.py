"""Hours: the sum of each person's ``LearningRecord`` rows of the year by source (corrections
included), against the hours their targets ask for; and the hours of each month.

The whole bureau's sums by person and source come from oversight.ledger, cached for as long as the
year's ledger is unchanged; a department's view uses them when cached, else asks for its own
people; one person's own figures (oversight.figures.person) ask for that person only.
"""

import numpy as np
import pandas as pd

from django.contrib.auth import get_user_model

from learning.models import LearningRecord
from oversight import ledger
from oversight.arrays import lookup
from oversight.figures.people import role_queryset
from oversight.figures.summary import SOURCES


def load_year_sums(scope):
    """The cached sums of the whole year's ledger, or None when this computation asks for its own."""
    return ledger.ledger_year(scope.year, compute=scope.whole_bureau)


def load_ledger_rows(scope, year_sums) -> list[tuple]:
    """(user id, source, hours, courses credited) rows for the people of the scope (or more)."""
    if year_sums is not None:
        return year_sums.by_person
    return ledger.person_sums(LearningRecord.objects.filter(year=scope.year, user_id__in=scope.users))


def hour_columns(people: pd.DataFrame, position: dict, ledger_rows, share: np.ndarray) -> tuple[dict, np.ndarray]:
    """Each person's hours by source and in all, courses credited in the year, and whether the hours
    meet the target; and who is behind the time-share of it (``share``: elapsed part of their year)."""
    n = len(people)
    hours = np.zeros((n, len(SOURCES)))
    courses_in_year = np.zeros(n, dtype=int)
    source_column = {source: index for index, source in enumerate(SOURCES)}
    if ledger_rows:
        user_of, source_of, totals, credited = zip(*ledger_rows, strict=True)
        r, c = lookup(user_of, position), lookup(source_of, source_column)
        keep = (r >= 0) & (c >= 0)  # the whole bureau's query also returns people not counted this year
        np.add.at(hours, (r[keep], c[keep]), np.array([float(v or 0) for v in totals])[keep])
        np.add.at(courses_in_year, r[keep], np.array(credited, dtype=int)[keep])
    columns = {f"hours_{source}": np.round(hours[:, column], 2) for source, column in source_column.items()}
    total = np.round(hours.sum(axis=1), 2)
    target = people["hours_target"].to_numpy(dtype=float)
    ok = np.isnan(target) | (total >= target)
    columns.update(
        {
            "hours": total,
            "courses_completed_in_year": courses_in_year,
            "hours_ok": ok,
            "hours_short": np.round(np.where(ok, 0.0, target - total), 2),
            "hours_expected_now": np.round(target * share, 1),
        }
    )
    behind = ~ok & (total < np.nan_to_num(target * share))
    return columns, behind


def monthly_hours(scope, role: str, year_sums) -> pd.DataFrame:
    """Hours per month (rows) and source (columns) of the people shown, with the month's total and
    the running total."""
    return _monthly(_month_totals(scope, role, year_sums))


def _month_totals(scope, role: str, year_sums):
    """For the whole bureau, the cached sums less the few accounts not counted (left, disabled, no
    staff profile); otherwise the shown people's rows."""
    year = scope.year
    if scope.whole_bureau and not role and year_sums is not None:
        not_counted = get_user_model().objects.exclude(pk__in=scope.query.values("user_id")).values("pk")
        others = ledger.day_sums(LearningRecord.objects.filter(year=year, user_id__in=not_counted))
        return ledger.month_totals(year_sums.by_day, SOURCES) - ledger.month_totals(others, SOURCES)
    shown = role_queryset(scope.query, role).values("user_id")
    return ledger.month_totals(ledger.day_sums(LearningRecord.objects.filter(year=year, user_id__in=shown)), SOURCES)


def _monthly(totals: np.ndarray) -> pd.DataFrame:
    """Hours per month (rows) and source (columns), with the month's total and the running total."""
    frame = pd.DataFrame(totals, index=pd.RangeIndex(1, 13, name="month"), columns=SOURCES).round(2)
    frame["total"] = frame[SOURCES].sum(axis=1).round(2)
    frame["cumulative"] = frame["total"].cumsum().round(2)
    return frame.reset_index()
