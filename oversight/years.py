"""Which year the committee works on, and marking a year's report done.

The bureau reports on a year in the first weeks of the next (its report is dated late February).
So from 1 January until that year's report is marked done, or until 1 March at the latest, the
dashboard, the export and the annual report open on the previous year; the new year is one
click away. A previous year without study targets has nothing to report on (the platform was not
yet in use, or a demo seeded in January), so the new year opens at once. Staff meanwhile see the
new year's target on 我的学习 from 1 January (``oversight.panels``), which follows the calendar,
not this rule.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.access import may_view_all
from oversight.models import ReportCompletion, StudyTarget

REPORT_SEASON_ENDS = (3, 1)  # from 1 March the new year is the working year whatever the report's state


def working_year(today: datetime.date) -> int:
    """The year the dashboard, export and annual report open on when no year is asked for."""
    last = today.year - 1
    in_season = (today.month, today.day) < REPORT_SEASON_ENDS
    if in_season and StudyTarget.objects.for_year(last).exists() and not report_done(last):
        return last
    return today.year


def planning_year(today: datetime.date) -> int:
    """The year whose targets and plans are being set: next year in December, this year before."""
    return today.year + 1 if today.month == 12 else today.year


def report_done(year: int) -> bool:
    return ReportCompletion.objects.for_year(year).exists()


def report_completion(year: int) -> ReportCompletion | None:
    """Who marked ``year``'s report done and when, or None while it is not."""
    return ReportCompletion.objects.for_year(year).select_related("done_by__staff_profile").first()


def may_mark_report_done(user) -> bool:
    return may_view_all(user) and (user.is_superuser or user.has_perm("oversight.mark_report_done"))


@dataclass(frozen=True)
class MarkDoneResult:
    completion: ReportCompletion
    created: bool


def report_mark_done(*, year: int, user, now: datetime.datetime) -> MarkDoneResult:
    """Record that ``year``'s annual report is done (once: a second press returns the first record)."""
    if not may_mark_report_done(user):
        raise PermissionDenied
    if year < 2000:
        raise ValidationError("没有该年度。")
    if year >= timezone.localtime(now).year:
        raise ValidationError(f"{year} 年度尚未结束，不能标记年度报告已完成。")
    try:
        with transaction.atomic():
            completion, created = ReportCompletion.objects.get_or_create(
                year=year, defaults={"done_by": user, "done_at": now}
            )
    except IntegrityError:  # marked a moment ago by someone else
        completion, created = ReportCompletion.objects.get(year=year), False
    return MarkDoneResult(completion=completion, created=created)
