"""Is a day a working day? Official holidays and 调休 from entered notices first, then ``chinese_calendar``.

The State Council publishes next year's arrangement each autumn or winter; ``chinese_calendar``
knows a year only after a release that includes it and raises ``NotImplementedError`` beyond.
A year neither source knows is reported as unknown, never guessed: only its ordinary weekends
are certain to be weekends… and even they may become 调休 working days, so we say so.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar.constants import Holiday

from django.db.models import Q


class DayKind:
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    WORKING_WEEKEND = "working_weekend"  # 调休上班
    UNKNOWN = "unknown"


_CHINESE_NAMES = {holiday.value: holiday.chinese for holiday in Holiday}


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    kind: str
    name: str = ""  # the holiday's name (国庆节) for holidays and 调休 working days
    known: bool = True

    @property
    def is_off(self) -> bool:
        return self.kind in (DayKind.WEEKEND, DayKind.HOLIDAY)

    @property
    def flag(self) -> str:
        """A short warning for a scheduled event, or "" for an ordinary working day."""
        if self.kind == DayKind.HOLIDAY:
            return f"法定节假日（{self.name}）" if self.name else "法定节假日"
        if self.kind == DayKind.WEEKEND:
            return "周末"
        if self.kind == DayKind.WORKING_WEEKEND:
            return f"调休上班日（{self.name}）" if self.name else "调休上班日"
        if self.kind == DayKind.UNKNOWN:
            weekend = "周末，" if self.date.weekday() >= 5 else ""
            return f"{weekend}{self.date.year}年放假安排尚未公布"
        return ""


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_holiday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkdayCalendar:
    """Answers for many days with the entered arrangements loaded once (one query per calendar)."""

    def __init__(self, entered: dict[int, dict[datetime.date, tuple[str, str]]] | None = None):
        # entered[year][day] = (DayKind.HOLIDAY | DayKind.WORKDAY, name), by the year of the notice
        self.entered = entered or {}
        # A notice may arrange a day of the year before (2012's made Saturday 31 December 2011 a working day):
        # every entered day, whichever notice it came from, wins over the package.
        self.entered_days = {day: arrangement for days in self.entered.values() for day, arrangement in days.items()}

    @classmethod
    def load(cls, years: Iterable[int] | None = None) -> "WorkdayCalendar":
        from campaigns.models import HolidayPeriod

        periods = HolidayPeriod.objects.select_related("holiday_year")
        if years is not None:
            years = list(years)
            periods = periods.filter(
                Q(holiday_year__year__in=years) | Q(start__year__in=years) | Q(end__year__in=years)
            )
        entered: dict[int, dict[datetime.date, tuple[str, str]]] = {}
        for period in periods:
            days = entered.setdefault(period.holiday_year.year, {})
            kind = DayKind.HOLIDAY if period.kind == "holiday" else DayKind.WORKDAY
            day = period.start
            while day <= period.end:
                days[day] = (kind, period.name)
                day += datetime.timedelta(days=1)
        # A year entered with no periods still counts as entered: its notice is the source.
        from campaigns.models import HolidayYear

        year_rows = HolidayYear.objects.all() if years is None else HolidayYear.objects.filter(year__in=years)
        for year in year_rows.values_list("year", flat=True):
            entered.setdefault(year, {})
        return cls(entered)

    def source(self, year: int) -> str | None:
        """ "entered", "package", or None when nobody knows the year yet."""
        if year in self.entered:
            return "entered"
        if package_knows(year):
            return "package"
        return None

    def is_known(self, year: int) -> bool:
        return self.source(year) is not None

    def day(self, day: datetime.date) -> DayInfo:
        weekend = day.weekday() >= 5
        kind, name = self.entered_days.get(day, (None, ""))
        if kind == DayKind.HOLIDAY:
            return DayInfo(day, DayKind.HOLIDAY, name)
        if kind == DayKind.WORKDAY:
            return DayInfo(day, DayKind.WORKING_WEEKEND if weekend else DayKind.WORKDAY, name)
        source = self.source(day.year)
        if source == "entered":
            return DayInfo(day, DayKind.WEEKEND if weekend else DayKind.WORKDAY)
        if source == "package":
            is_holiday, english = chinese_calendar.get_holiday_detail(day)
            name = _CHINESE_NAMES.get(english, english or "")
            if is_holiday:
                return DayInfo(day, DayKind.HOLIDAY if name else DayKind.WEEKEND, name)
            if weekend:
                return DayInfo(day, DayKind.WORKING_WEEKEND, name)
            return DayInfo(day, DayKind.WORKDAY)
        return DayInfo(day, DayKind.UNKNOWN, known=False)
