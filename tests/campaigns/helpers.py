"""Small builders for campaign tests: real rows, no mocks."""

import datetime

import chinese_calendar

from django.utils import timezone

from campaigns.models import (
    AssigneeRule,
    Campaign,
    CampaignTemplate,
    Event,
    KeyDate,
    MilestoneTemplate,
    ResponsibilityList,
)


def holiday_package_last_year() -> int:
    """The last year whose official holiday arrangement ``chinese_calendar`` carries (it raises beyond it)."""
    return max(chinese_calendar.holidays).year


def key_date(name="世界知识产权日", kind="fixed", month=4, day=26, **fields) -> KeyDate:
    return KeyDate.objects.create(name=name, kind=kind, month=month, day=day, **fields)


def standard_template(event_kind="street") -> CampaignTemplate:
    template = CampaignTemplate.objects.create(
        name="标准模板", is_default=True, event_kind=event_kind, event_start_time=datetime.time(9, 0), event_minutes=120
    )
    for order, (name, offset, rule) in enumerate(
        [
            ("方案报批", -30, AssigneeRule.COORDINATOR),
            ("物料制作", -14, AssigneeRule.COORDINATOR),
            ("预告发布", -7, AssigneeRule.COORDINATOR),
            ("活动实施", 0, AssigneeRule.HEAD),
            ("总结报送", 7, AssigneeRule.COORDINATOR),
        ]
    ):
        MilestoneTemplate.objects.create(
            template=template, name=name, offset_days=offset, assignee_rule=rule, sort_order=order
        )
    return template


def responsibility(
    department, year, *, key_dates=(), laws=(), domains=(), liaison=None, duties="宣传"
) -> ResponsibilityList:
    item = ResponsibilityList.objects.create(department=department, year=year, duties=duties, liaison=liaison)
    item.key_dates.set(key_dates)
    item.laws.set(laws)
    item.domains.set(domains)
    return item


def campaign(*, lead=None, year=None, start=None, status="draft", coordinator=None, **fields) -> Campaign:
    """A campaign starting on ``start``: by default 国家宪法日 (4 December) of the running clock's year."""
    start = start or datetime.date(timezone.localdate().year, 12, 4)
    return Campaign.objects.create(
        year=year or start.year,
        title=fields.pop("title", "宪法宣传活动"),
        start_date=start,
        end_date=fields.pop("end", start),
        lead_department=lead,
        status=status,
        coordinator=coordinator,
        **fields,
    )


def event(campaign, *, starts_at=None, hours=2, place="市民广场", staff=(), **fields) -> Event:
    """An event of ``campaign``: by default at 09:00 on the campaign's first day."""
    starts_at = starts_at or datetime.datetime.combine(
        campaign.start_date, datetime.time(9), tzinfo=timezone.get_current_timezone()
    )
    item = Event.objects.create(
        campaign=campaign,
        title=fields.pop("title", "宪法进广场"),
        kind=fields.pop("kind", "street"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        place=place,
        **fields,
    )
    item.staff.set(staff)
    return item
