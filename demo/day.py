"""The day the demo is seeded on: every demo date is placed relative to it."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

RNG_SEED = 2026  # a fixed seed, so every run draws the same people; not a year


@dataclass(frozen=True)
class DemoDay:
    """The moment the demo is seeded at: every demo date is placed relative to it.

    The year's story so far (courses done, sessions held, the year's exam, campaigns reported) sits
    between 1 January and yesterday (``past``); what a visitor should find (events, an open quiz and
    exam, a session tomorrow) sits around today (``at``).
    """

    now: datetime.datetime

    @classmethod
    def seeding(cls, year: int | None = None) -> "DemoDay":
        """Now, or the same moment of the day in ``year`` (28 February for 29 February in a common year)."""
        now = timezone.localtime()
        if year is not None and year != now.year:
            day = now.day if now.month != 2 or now.day < 29 else 28
            now = now.replace(year=year, day=day)
        return cls(now=now)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def year(self) -> int:
        return self.today.year

    def at(self, days: int, hour: int, minute: int = 0) -> datetime.datetime:
        """``hour:minute`` on the day ``days`` from today (negative: before today), Asia/Shanghai."""
        day = self.today + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())

    def past_day(self, share: float) -> datetime.date:
        """A day of the year so far: ``share`` 0 is 1 January, 1 is yesterday (on 1 January: yesterday)."""
        yesterday = self.today - datetime.timedelta(days=1)
        first = min(datetime.date(self.year, 1, 1), yesterday)
        return first + datetime.timedelta(days=round(share * (yesterday - first).days))

    def past(self, share: float, hour: int = 9, minute: int = 0) -> datetime.datetime:
        """``hour:minute`` on ``past_day(share)``: always before now."""
        days = (self.past_day(share) - self.today).days
        return self.at(days, hour, minute)
