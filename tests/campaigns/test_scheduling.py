import datetime

import pytest

from campaigns.models import HolidayPeriod, HolidayYear, Milestone
from campaigns.scheduling import schedule_flags
from campaigns.workdays import DayKind, WorkdayCalendar
from tests.campaigns.helpers import at, campaign, event
from tests.factories import staff

pytestmark = pytest.mark.django_db


def kinds(flags):
    return sorted(flag.kind for flag in flags)


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        (datetime.date(2026, 10, 1), DayKind.HOLIDAY, "国庆节"),
        (datetime.date(2026, 10, 3), DayKind.HOLIDAY, "国庆节"),  # a Saturday inside the holiday
        (datetime.date(2026, 2, 17), DayKind.HOLIDAY, "春节"),
        (datetime.date(2026, 2, 14), DayKind.WORKING_WEEKEND, "春节"),  # 调休: Saturday worked
        (datetime.date(2026, 9, 20), DayKind.WORKING_WEEKEND, "国庆节"),
        (datetime.date(2026, 11, 28), DayKind.WEEKEND, ""),
        (datetime.date(2026, 11, 27), DayKind.WORKDAY, ""),
        (datetime.date(2025, 1, 26), DayKind.WORKING_WEEKEND, "春节"),
        (datetime.date(2024, 5, 1), DayKind.HOLIDAY, "劳动节"),
    ],
)
def test_days_known_to_the_holiday_package(day, kind, name):
    info = WorkdayCalendar().day(day)
    assert (info.kind, info.name, info.known) == (kind, name, True)


def test_a_year_beyond_the_package_is_unknown_not_guessed():
    calendar = WorkdayCalendar()
    assert calendar.source(2027) is None
    info = calendar.day(datetime.date(2027, 10, 1))
    assert info.kind == DayKind.UNKNOWN and not info.known
    assert info.flag == "2027年放假安排尚未公布"
    assert WorkdayCalendar().day(datetime.date(2027, 1, 2)).flag == "周末，2027年放假安排尚未公布"


def _enter_2027():
    year = HolidayYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    HolidayPeriod.objects.create(
        holiday_year=year,
        name="国庆节",
        kind="holiday",
        start=datetime.date(2027, 10, 1),
        end=datetime.date(2027, 10, 7),
    )
    HolidayPeriod.objects.create(
        holiday_year=year,
        name="国庆节",
        kind="workday",
        start=datetime.date(2027, 10, 9),
        end=datetime.date(2027, 10, 9),
    )
    return year


def test_an_entered_arrangement_makes_the_year_known():
    _enter_2027()
    calendar = WorkdayCalendar.load([2027])
    assert calendar.source(2027) == "entered"
    assert calendar.day(datetime.date(2027, 10, 4)).kind == DayKind.HOLIDAY
    assert calendar.day(datetime.date(2027, 10, 9)).kind == DayKind.WORKING_WEEKEND  # a Saturday worked
    assert calendar.day(datetime.date(2027, 10, 16)).kind == DayKind.WEEKEND
    assert calendar.day(datetime.date(2027, 10, 12)).kind == DayKind.WORKDAY


def test_entered_data_wins_over_the_package():
    year = HolidayYear.objects.create(year=2026, source="更正")
    HolidayPeriod.objects.create(
        holiday_year=year,
        name="特别假日",
        kind="holiday",
        start=datetime.date(2026, 11, 27),
        end=datetime.date(2026, 11, 27),
    )
    calendar = WorkdayCalendar.load([2026])
    assert calendar.day(datetime.date(2026, 11, 27)).kind == DayKind.HOLIDAY
    assert calendar.day(datetime.date(2026, 10, 1)).kind == DayKind.WORKDAY  # the entered year replaces the package


def test_events_on_holidays_weekends_and_working_weekends_are_flagged():
    plan = campaign()
    holiday = event(plan, title="国庆", starts_at=at(2026, 10, 2))
    weekend = event(plan, title="周六", starts_at=at(2026, 11, 28), place="甲")
    working = event(plan, title="调休日", starts_at=at(2026, 2, 14), place="乙")
    weekday = event(plan, title="平日", starts_at=at(2026, 11, 26), place="丙")
    unknown = event(plan, title="明年", starts_at=at(2027, 3, 3), place="丁")
    flags = schedule_flags([holiday, weekend, working, weekday, unknown])
    assert kinds(flags[holiday.pk]) == ["holiday"]
    assert flags[holiday.pk][0].text == "法定节假日（国庆节）"
    assert kinds(flags[weekend.pk]) == ["weekend"]
    assert kinds(flags[working.pk]) == ["working_weekend"]
    assert flags[working.pk][0].text == "调休上班日（春节）"
    assert weekday.pk not in flags
    assert kinds(flags[unknown.pk]) == ["unknown_year"]


def test_a_person_booked_twice_at_once_is_flagged_on_both_events():
    person = staff("wang", real_name="王晓红")
    plan = campaign()
    first = event(plan, title="上午场", starts_at=at(2026, 11, 26, 9), hours=3, place="甲", staff=[person])
    second = event(plan, title="同时段", starts_at=at(2026, 11, 26, 10), place="乙", staff=[person])
    later = event(plan, title="下午场", starts_at=at(2026, 11, 26, 14), place="丙", staff=[person])
    flags = schedule_flags([first, second, later])
    assert [flag.text for flag in flags[first.pk]] == ["人员冲突：王晓红同时段另有“同时段”"]
    assert kinds(flags[second.pk]) == ["person"]
    assert later.pk not in flags


def test_a_venue_booked_twice_is_flagged_but_online_and_tbd_are_not():
    plan = campaign()
    a = event(plan, title="甲", starts_at=at(2026, 11, 26, 9), place="市民广场")
    b = event(plan, title="乙", starts_at=at(2026, 11, 26, 10), place=" 市民 广场 ")
    c = event(plan, title="丙", starts_at=at(2026, 11, 26, 9), place="线上")
    d = event(plan, title="丁", starts_at=at(2026, 11, 26, 9), place="线上")
    e = event(plan, title="戊", starts_at=at(2026, 11, 26, 11), place="市民广场")  # starts as 甲 ends
    flags = schedule_flags([a, b, c, d, e], limit=10)
    assert kinds(flags[a.pk]) == ["venue"]
    assert kinds(flags[b.pk]) == ["venue", "venue"]
    assert c.pk not in flags and d.pk not in flags
    assert kinds(flags[e.pk]) == ["venue"]  # clashes with 乙 (10:00–12:00)


def test_too_many_events_on_one_day_are_flagged():
    plan = campaign()
    events = [event(plan, title=f"场次{n}", starts_at=at(2026, 11, 26, 8 + 2 * n), place=f"地点{n}") for n in range(4)]
    flags = schedule_flags(events, limit=3)
    assert all(kinds(flags[e.pk]) == ["busy_day"] for e in events)
    assert flags[events[0].pk][0].text == "11月26日共有 4 场活动（建议不超过 3 场）"
    assert schedule_flags(events[:3], limit=3) == {}


def test_cancelled_events_clash_with_nothing():
    person = staff("wang")
    plan = campaign()
    first = event(plan, title="甲", starts_at=at(2026, 11, 26), place="广场", staff=[person])
    second = event(plan, title="乙", starts_at=at(2026, 11, 26), place="广场", staff=[person], status="cancelled")
    assert schedule_flags([first, second]) == {}


def test_overdue_milestones_are_the_open_ones_past_their_date():
    plan = campaign()
    overdue = Milestone.objects.create(campaign=plan, name="方案报批", due_on=datetime.date(2026, 11, 1))
    Milestone.objects.create(campaign=plan, name="物料制作", due_on=datetime.date(2026, 11, 2), done_at=at(2026, 11, 2))
    Milestone.objects.create(campaign=plan, name="总结报送", due_on=datetime.date(2026, 12, 11))
    cancelled = campaign(title="已取消", status="cancelled")
    Milestone.objects.create(campaign=cancelled, name="方案报批", due_on=datetime.date(2026, 11, 1))
    assert list(Milestone.objects.overdue(datetime.date(2026, 11, 27))) == [overdue]


def test_a_notice_arranging_a_day_of_the_year_before_wins_there_too():
    # As 2012's notice made Saturday 31 December 2011 a working day; 2026 stays the package's year.
    year = HolidayYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    HolidayPeriod.objects.create(
        holiday_year=year,
        name="元旦",
        kind="workday",
        start=datetime.date(2026, 12, 26),
        end=datetime.date(2026, 12, 26),
    )
    calendar = WorkdayCalendar.load([2026])
    assert calendar.source(2026) == "package"
    info = calendar.day(datetime.date(2026, 12, 26))
    assert (info.kind, info.name, info.flag) == (DayKind.WORKING_WEEKEND, "元旦", "调休上班日（元旦）")
    assert calendar.day(datetime.date(2026, 12, 27)).kind == DayKind.WEEKEND
    plan = campaign()
    saturday = event(plan, title="周六加班场", starts_at=at(2026, 12, 26))
    assert kinds(schedule_flags([saturday])[saturday.pk]) == ["working_weekend"]
