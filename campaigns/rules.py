"""Key-date rules as pure functions: a rule and a year give the occurrence, or None.

A rule names an anchor day (a fixed month and day, or the n-th weekday of a month) and,
for a period, where the period starts relative to that anchor and how many days it lasts.
An official override for a year (宪法宣传周 12.4–10 in 2022) replaces the computed dates.
"""

import calendar
import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekdays as WEEKDAYS


class RuleKind:
    FIXED = "fixed"
    NTH_WEEKDAY = "nth_weekday"
    PERIOD = "period"


WEEKDAY_NAMES = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


@dataclass(frozen=True)
class Rule:
    kind: str
    month: int
    day: int | None = None  # FIXED and PERIOD: the anchor day of the month
    weekday: int | None = None  # NTH_WEEKDAY: 0 = Monday … 6 = Sunday
    nth: int | None = None  # NTH_WEEKDAY: 1…5, or -1 for the last one in the month
    offset_days: int = 0  # PERIOD: first day relative to the anchor (−6 = six days before)
    length_days: int = 1  # PERIOD: how many days, the anchor's month end for 0
    first_year: int | None = None
    last_year: int | None = None


@dataclass(frozen=True)
class Occurrence:
    start: datetime.date
    end: datetime.date
    overridden: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date | None:
    """The n-th given weekday of a month (nth −1 = the last); None when the month has no such day."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    if not (1 <= nth <= 5 or nth == -1):
        raise ValueError("nth must be 1 to 5, or -1 for the last")
    # From the 1st forwards to the n-th such weekday, or from the month's last day (day=31 is clamped) backwards.
    start = 1 if nth > 0 else 31
    day = datetime.date(year, month, 1) + relativedelta(day=start, weekday=WEEKDAYS[weekday](nth))
    return day if day.month == month else None


def anchor(rule: Rule, year: int) -> datetime.date | None:
    if rule.kind == RuleKind.NTH_WEEKDAY:
        return nth_weekday(year, rule.month, rule.weekday, rule.nth)
    day = rule.day or 1
    if rule.month == 2 and day == 29 and not calendar.isleap(year):
        return None  # a 29 February key date happens only in leap years
    return datetime.date(year, rule.month, day)


def occurrence(rule: Rule, year: int, override: tuple[datetime.date, datetime.date] | None = None) -> Occurrence | None:
    """Where the rule falls in ``year``: None before the year it began or after it ended."""
    if rule.first_year is not None and year < rule.first_year:
        return None
    if rule.last_year is not None and year > rule.last_year:
        return None
    if override is not None:
        return Occurrence(start=override[0], end=override[1], overridden=True)
    day = anchor(rule, year)
    if day is None:
        return None
    if rule.kind != RuleKind.PERIOD:
        return Occurrence(start=day, end=day)
    start = day + datetime.timedelta(days=rule.offset_days)
    if rule.length_days == 0:  # the rest of the anchor's month (民法典宣传月: 5.1 to 5.31)
        end = datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    else:
        end = start + datetime.timedelta(days=max(rule.length_days, 1) - 1)
    return Occurrence(start=start, end=end)


def describe(rule: Rule) -> str:
    """The rule in words, for lists and the admin: 每年6月第二个星期六."""
    if rule.kind == RuleKind.NTH_WEEKDAY:
        which = "最后一个" if rule.nth == -1 else f"第{'一二三四五'[rule.nth - 1]}个"
        text = f"每年{rule.month}月{which}{WEEKDAY_NAMES[rule.weekday]}"
    elif rule.kind == RuleKind.PERIOD:
        if rule.length_days == 0:
            text = f"每年{rule.month}月{rule.day or 1}日起至月末"
        else:
            relation = (
                f"{rule.month}月{rule.day}日"
                if rule.offset_days == 0
                else f"{rule.month}月{rule.day}日{'前' if rule.offset_days < 0 else '后'}{abs(rule.offset_days)}天"
            )
            text = f"每年自{relation}起，为期{rule.length_days}天"
    else:
        text = f"每年{rule.month}月{rule.day}日"
    if rule.first_year:
        text += f"（{rule.first_year}年起）"
    return text
