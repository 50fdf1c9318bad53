"""Scheduling sense: days off and 调休, the same person or venue booked twice, crowded days.

``schedule_flags`` works on events already loaded (with ``staff`` prefetched) and issues no
queries of its own, so a calendar page can flag a whole month at once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from campaigns.workdays import DayKind, WorkdayCalendar
from organisation.models import display_name

# Places that are not a venue anyone can double-book.
NOT_A_VENUE = {"", "待定", "线上", "网上", "online", "tbd"}


@dataclass(frozen=True)
class Flag:
    kind: str  # holiday, weekend, working_weekend, unknown_year, person, venue, busy_day
    text: str
    level: str = "warn"  # warn | bad


def max_events_per_day() -> int:
    return getattr(settings, "CAMPAIGNS_MAX_EVENTS_PER_DAY", 3)


def normalise_venue(place: str) -> str:
    return "".join((place or "").split()).lower()


def day_flag(info) -> Flag | None:
    if info.kind == DayKind.HOLIDAY:
        return Flag("holiday", info.flag)
    if info.kind == DayKind.WEEKEND:
        return Flag("weekend", info.flag)
    if info.kind == DayKind.WORKING_WEEKEND:
        return Flag("working_weekend", info.flag)
    if info.kind == DayKind.UNKNOWN:
        return Flag("unknown_year", info.flag)
    return None


def _days(event) -> list[datetime.date]:
    start = timezone.localdate(event.starts_at)
    end = timezone.localdate(event.ends_at - datetime.timedelta(seconds=1))
    days = [start]
    while days[-1] < end and len(days) < 32:
        days.append(days[-1] + datetime.timedelta(days=1))
    return days


def schedule_flags(
    events, *, calendar: WorkdayCalendar | None = None, limit: int | None = None
) -> dict[int, list[Flag]]:
    """Warnings for each event (by pk). Cancelled events are neither flagged nor clash with others."""
    events = [event for event in events if not event.is_cancelled]
    calendar = calendar or WorkdayCalendar.load({timezone.localdate(event.starts_at).year for event in events})
    limit = limit or max_events_per_day()
    flags: dict[int, list[Flag]] = defaultdict(list)

    per_day: dict[datetime.date, list] = defaultdict(list)
    for event in events:
        days = _days(event)
        for day in days:
            per_day[day].append(event)
        seen = set()
        for day in days:
            flag = day_flag(calendar.day(day))
            if flag and flag.text not in seen:
                seen.add(flag.text)
                flags[event.pk].append(flag)

    for day, crowded in sorted(per_day.items()):
        if len(crowded) > limit:
            for event in crowded:
                flags[event.pk].append(
                    Flag("busy_day", f"{day:%m月%d日}共有 {len(crowded)} 场活动（建议不超过 {limit} 场）", "warn")
                )

    # Overlaps: sort by start and compare each event with those that begin before it ends.
    ordered = sorted(events, key=lambda event: event.starts_at)
    for index, event in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.starts_at >= event.ends_at:
                break
            venue = normalise_venue(event.place)
            if venue and venue not in NOT_A_VENUE and venue == normalise_venue(other.place):
                flags[event.pk].append(Flag("venue", f"场地冲突：{event.place}同时段另有“{other.title}”", "bad"))
                flags[other.pk].append(Flag("venue", f"场地冲突：{other.place}同时段另有“{event.title}”", "bad"))
            shared = {user.pk: user for user in event.staff.all()}.keys() & {user.pk for user in other.staff.all()}
            if shared:
                names = "、".join(sorted(display_name(user) for user in event.staff.all() if user.pk in shared))
                flags[event.pk].append(Flag("person", f"人员冲突：{names}同时段另有“{other.title}”", "bad"))
                flags[other.pk].append(Flag("person", f"人员冲突：{names}同时段另有“{event.title}”", "bad"))
    return dict(flags)
