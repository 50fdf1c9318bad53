"""The suite's one clock.

Every test runs at ``SUITE_NOW``: 10:00 in Shanghai on the day the run started, ticking. The day comes from
the wall clock (``make test-clock`` moves it with faketime) or from ``PUFA_TEST_NOW`` (an ISO datetime); the
controller writes it to the environment so that every xdist worker runs on the same day even when a run
crosses midnight. Tests name dates relative to it (``at(11, 27)`` is 27 November of the suite's year) and
ask for another moment with ``@pytest.mark.clock(when, tick=False)`` or the ``clock`` fixture's ``move_to``.
"""

import datetime
import os
from zoneinfo import ZoneInfo

import time_machine

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENVIRONMENT_VARIABLE = "PUFA_TEST_NOW"
TIME_OF_DAY = datetime.time(10, 0)
WALL = "wall"  # @pytest.mark.clock(WALL): the machine's own clock


def _suite_now() -> datetime.datetime:
    value = os.environ.get(ENVIRONMENT_VARIABLE)
    if value:
        moment = datetime.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)
    today = datetime.datetime.now(SHANGHAI).date()
    return datetime.datetime.combine(today, TIME_OF_DAY, tzinfo=SHANGHAI)


SUITE_NOW = _suite_now()
SUITE_TODAY = SUITE_NOW.date()
SUITE_YEAR = SUITE_NOW.year


def at(month: int, day: int, hour: int = 10, minute: int = 0, *, year: int | None = None) -> datetime.datetime:
    """A moment in Shanghai, in the suite's year unless told otherwise."""
    return datetime.datetime(year or SUITE_YEAR, month, day, hour, minute, tzinfo=SHANGHAI)


def on(month: int, day: int, *, year: int | None = None) -> datetime.date:
    """A day, in the suite's year unless told otherwise."""
    return datetime.date(year or SUITE_YEAR, month, day)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th ``weekday`` (Monday 0) of a month; n=-1 is the last one."""
    if n > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


def _as_moment(when) -> datetime.datetime:
    if isinstance(when, datetime.datetime):
        return when if when.tzinfo else when.replace(tzinfo=SHANGHAI)
    if isinstance(when, datetime.date):
        return datetime.datetime.combine(when, TIME_OF_DAY, tzinfo=SHANGHAI)
    raise TypeError(f"the clock moves to a date or a datetime, not {when!r}")


class Clock:
    """The running test's clock: read it like the code does, move it like time_machine does.

    ``Clock(WALL)`` leaves the wall clock alone, for tests whose other processes (a job cluster, a
    browser) read the machine's clock; ``make test-clock`` moves that one with faketime.
    """

    def __init__(self, when=SUITE_NOW, *, tick: bool = True):
        self.tick = tick
        self._travels = [] if when is WALL else [time_machine.travel(_as_moment(when), tick=tick)]
        self._traveller: time_machine.Traveller | None = None

    def start(self) -> "Clock":
        if self._travels:
            self._traveller = self._travels[0].start()
        return self

    def stop(self) -> None:
        for travel in reversed(self._travels):
            travel.stop()

    def __enter__(self) -> "Clock":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def now(self) -> datetime.datetime:
        return timezone.now()

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    @property
    def year(self) -> int:
        return self.today.year

    def move_to(self, when, *, tick: bool | None = None) -> datetime.datetime:
        """Jump to ``when`` (a day means 10:00 that day in Shanghai); returns the moment."""
        moment = _as_moment(when)
        tick = self.tick if tick is None else tick
        if self._traveller is None:  # was on the wall clock
            self._travels.append(time_machine.travel(moment, tick=tick))
            self._traveller = self._travels[-1].start()
        else:
            self._traveller.move_to(moment, tick=tick)
        return moment

    def shift(self, delta: datetime.timedelta | None = None, **parts) -> datetime.datetime:
        """Move on (or back) by ``delta`` or by ``timedelta(**parts)``; returns the new moment."""
        delta = delta if delta is not None else datetime.timedelta(**parts)
        if self._traveller is None:
            return self.move_to(timezone.now() + delta)
        self._traveller.shift(delta)
        return timezone.now()
