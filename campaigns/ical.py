"""iCalendar (RFC 5545) feeds that Outlook, Apple Calendar and DingTalk can subscribe to.

Every VEVENT has a UID that never changes (the event's stored UUID), a DTSTAMP, and the
event's SEQUENCE, which the services raise whenever what a calendar shows changes; a
cancelled event stays in the feed as STATUS:CANCELLED so clients remove it. Times carry
TZID=Asia/Shanghai with a VTIMEZONE. ``icalendar`` writes CRLF line ends and folds lines
at 75 octets.
"""

import datetime

import icalendar

from django.urls import reverse
from django.utils import timezone

from organisation.addresses import site_hostname, site_url

PRODID = "-//文广旅普法学法平台//普法活动日历//ZH"
TZID = "Asia/Shanghai"


def _vtimezone() -> icalendar.Timezone:
    """China Standard Time, UTC+8 all year (no daylight saving since 1991)."""
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime.datetime(1970, 1, 1))  # noqa: DTZ001 - VTIMEZONE onsets are local times
    standard.add("tzoffsetfrom", datetime.timedelta(hours=8))
    standard.add("tzoffsetto", datetime.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def event_status(event) -> str:
    if event.is_cancelled or event.campaign.is_cancelled:
        return "CANCELLED"
    if event.campaign.is_approved:
        return "CONFIRMED"
    return "TENTATIVE"


def build_calendar(*, name: str, events, milestones=(), now: datetime.datetime | None = None) -> bytes:
    """The feed as bytes. ``events`` need ``campaign`` selected; milestones are all-day reminders."""
    now = now or timezone.now()
    stamp = now.astimezone(datetime.UTC)
    tz = timezone.get_current_timezone()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(_vtimezone())
    host = site_hostname()
    for event in events:
        item = icalendar.Event()
        item.add("uid", f"event-{event.uid}@{host}")
        item.add("dtstamp", stamp)
        item.add("last-modified", event.updated_at.astimezone(datetime.UTC))
        item.add("sequence", event.sequence)
        item.add("dtstart", event.starts_at.astimezone(tz))
        item.add("dtend", event.ends_at.astimezone(tz))
        item.add("summary", f"{event.title}（{event.get_kind_display()}）")
        item.add("location", event.place)
        item.add("status", event_status(event))
        description = [f"所属活动：{event.campaign.title}"]
        if event.description:
            description.append(event.description)
        if event.cancel_reason and event.is_cancelled:
            description.append(f"取消原因：{event.cancel_reason}")
        item.add("description", "\n".join(description))
        item.add("url", site_url(reverse("campaigns:campaign", kwargs={"pk": event.campaign_id})))
        item.add("categories", ["普法活动"])
        cal.add_component(item)
    for milestone in milestones:
        item = icalendar.Event()
        item.add("uid", f"milestone-{milestone.uid}@{host}")
        item.add("dtstamp", stamp)
        item.add("sequence", milestone.sequence)
        item.add("dtstart", milestone.due_on)
        item.add("dtend", milestone.due_on + datetime.timedelta(days=1))
        done = "（已完成）" if milestone.done_at else ""
        item.add("summary", f"【截止】{milestone.name}{done}：{milestone.campaign.title}")
        item.add("transp", "TRANSPARENT")
        cancelled = milestone.campaign.is_cancelled
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        item.add("url", site_url(reverse("campaigns:campaign", kwargs={"pk": milestone.campaign_id})))
        item.add("categories", ["普法任务"])
        cal.add_component(item)
    return cal.to_ical()
