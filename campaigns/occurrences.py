"""Every key date's occurrence in a year, with the official overrides applied (two queries)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from campaigns import rules
from campaigns.models import KeyDate, KeyDateOverride


@dataclass(frozen=True)
class KeyDateOccurrence:
    key_date: KeyDate
    year: int
    start: datetime.date
    end: datetime.date
    overridden: bool = False

    @property
    def name(self) -> str:
        return self.key_date.name

    @property
    def is_period(self) -> bool:
        return self.start != self.end

    def as_dict(self) -> dict:
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat()}


def key_date_occurrences(year: int, key_dates=None) -> list[KeyDateOccurrence]:
    """The year's occurrences, in date order. ``key_dates`` defaults to the active ones."""
    queryset = key_dates if key_dates is not None else KeyDate.objects.active()
    queryset = queryset.prefetch_related(
        Prefetch("overrides", queryset=KeyDateOverride.objects.filter(year=year), to_attr="year_overrides")
    )
    found = []
    for key_date in queryset:
        override = key_date.year_overrides[0] if key_date.year_overrides else None
        occurrence = rules.occurrence(key_date.rule, year, (override.start, override.end) if override else None)
        if occurrence is not None:
            found.append(
                KeyDateOccurrence(key_date, year, occurrence.start, occurrence.end, overridden=occurrence.overridden)
            )
    return sorted(found, key=lambda occ: (occ.start, occ.end, occ.key_date.sort_order, occ.name))
