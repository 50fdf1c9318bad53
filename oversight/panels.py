"""Panels oversight adds to pages of lower apps: my target on the start page and on a learning record."""

import math

from django.utils import timezone

from organisation.panels import Panel


def _target_context(person, year: int):
    """The person's row of the year's figures: target, hours, what is missing. None without a target."""
    from oversight.figures import person_figures
    from oversight.targets import load_targets

    targets = load_targets(year)
    if not targets:
        return None  # no targets this year: nothing to measure against
    figures = person_figures(person=person, year=year, targets=targets)
    if figures is None:
        return None
    row = figures.row
    if not row["has_target"]:
        return None
    hours_required = not math.isnan(row["hours_target"])
    percent = (
        min(100, round(100 * row["hours"] / row["hours_target"])) if hours_required and row["hours_target"] else 100
    )
    return {
        "year": year,
        "row": row,
        "percent": percent,
        "hours_required": hours_required,
        "rate_required": not math.isnan(row["attendance_required"]),
        "as_of": figures.as_of,
    }


def my_target_panel(request, **context):
    """我的学习: hours this year against my target, and what I still have to do."""
    person = getattr(request.user, "staff_profile", None)
    if person is None:
        return None
    data = _target_context(person, timezone.localdate().year)
    if data is None:
        return None
    return Panel("oversight/panels/my_target.html", data, order=5)


def record_target_panel(request, *, person, year, **context):
    """A learning record shows the year's target and whether it is met, the same as the dashboard."""
    data = _target_context(person, year)
    if data is None:
        return None
    return Panel("oversight/panels/record_target.html", data, order=5)
