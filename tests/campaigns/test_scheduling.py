"""Days off, 调休 and clashes. No clock plays a part: the calendar and the flags are handed their days.

The 2024–2026 dates are the State Council's arrangements as ``chinese_calendar`` records them (fixed facts);
a year nobody has published yet is asked of the package, not named.
"""

import datetime

import pytest

from campaigns.models import HolidayPeriod, HolidayYear, Milestone
from campaigns.scheduling import schedule_flags
from campaigns.workdays import DayKind, WorkdayCalendar
from tests.campaigns.helpers import campaign, event, holiday_package_last_year
from tests.clock import SUITE_TODAY, at, nth_weekday, on
from tests.factories import staff

pytestmark = pytest.mark.django_db

KNOWN = 2026  # a year whose arrangement chinese_calendar carries: 26 November 2026 is a Thursday, a working day
UNPUBLISHED = holiday_package_last_year() + 1  # a year whose arrangement nobody has entered or published yet


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
    assert calendar.source(UNPUBLISHED) is None
    info = calendar.day(on(10, 1, year=UNPUBLISHED))
    assert info.kind == DayKind.UNKNOWN and not info.known
    wednesday = nth_weekday(UNPUBLISHED, 10, 2, 1)
    assert calendar.day(wednesday).flag == f"{UNPUBLISHED}年放假安排尚未公布"
    saturday = nth_weekday(UNPUBLISHED, 1, 5, 1)
    assert WorkdayCalendar().day(saturday).flag == f"周末，{UNPUBLISHED}年放假安排尚未公布"


def test_an_entered_arrangement_makes_the_year_known():
    assert WorkdayCalendar.load([UNPUBLISHED]).source(UNPUBLISHED) is None
    worked = nth_weekday(UNPUBLISHED, 10, 5, 2)  # the Saturday after the week off, worked in lieu
    notice = HolidayYear.objects.create(year=UNPUBLISHED, source=f"国务院办公厅关于{UNPUBLISHED}年部分节假日安排的通知")
    HolidayPeriod.objects.create(
        holiday_year=notice,
        name="国庆节",
        kind="holiday",
        start=on(10, 1, year=UNPUBLISHED),
        end=on(10, 7, year=UNPUBLISHED),
    )
    HolidayPeriod.objects.create(holiday_year=notice, name="国庆节", kind="workday", start=worked, end=worked)
    calendar = WorkdayCalendar.load([UNPUBLISHED])
    assert calendar.source(UNPUBLISHED) == "entered"
    assert calendar.day(on(10, 4, year=UNPUBLISHED)).kind == DayKind.HOLIDAY
    assert calendar.day(worked).kind == DayKind.WORKING_WEEKEND
    assert calendar.day(worked + datetime.timedelta(days=7)).kind == DayKind.WEEKEND
    assert calendar.day(worked + datetime.timedelta(days=3)).kind == DayKind.WORKDAY  # the Tuesday after


def test_entered_data_wins_over_the_package():
    year = HolidayYear.objects.create(year=KNOWN, source="更正")
    friday = on(11, 27, year=KNOWN)  # a working day by the package
    HolidayPeriod.objects.create(holiday_year=year, name="特别假日", kind="holiday", start=friday, end=friday)
    calendar = WorkdayCalendar.load([KNOWN])
    assert calendar.day(friday).kind == DayKind.HOLIDAY
    national_day = on(10, 1, year=KNOWN)  # a Thursday, 国庆节 by the package
    assert calendar.day(national_day).kind == DayKind.WORKDAY  # the entered year replaces the package


def test_events_on_holidays_weekends_and_working_weekends_are_flagged():
    plan = campaign()
    holiday = event(plan, title="国庆", starts_at=at(10, 2, 9, year=KNOWN))
    weekend = event(plan, title="周六", starts_at=at(11, 28, 9, year=KNOWN), place="甲")
    working = event(plan, title="调休日", starts_at=at(2, 14, 9, year=KNOWN), place="乙")
    weekday = event(plan, title="平日", starts_at=at(11, 26, 9, year=KNOWN), place="丙")
    unknown = event(plan, title="未公布年份", starts_at=at(3, 3, 9, year=UNPUBLISHED), place="丁")
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
    first = event(plan, title="上午场", starts_at=at(11, 26, 9, year=KNOWN), hours=3, place="甲", staff=[person])
    second = event(plan, title="同时段", starts_at=at(11, 26, 10, year=KNOWN), place="乙", staff=[person])
    later = event(plan, title="下午场", starts_at=at(11, 26, 14, year=KNOWN), place="丙", staff=[person])
    flags = schedule_flags([first, second, later])
    assert [flag.text for flag in flags[first.pk]] == ["人员冲突：王晓红同时段另有“同时段”"]
    assert kinds(flags[second.pk]) == ["person"]
    assert later.pk not in flags


def test_a_venue_booked_twice_is_flagged_but_online_and_tbd_are_not():
    plan = campaign()
    a = event(plan, title="甲", starts_at=at(11, 26, 9, year=KNOWN), place="市民广场")
    b = event(plan, title="乙", starts_at=at(11, 26, 10, year=KNOWN), place=" 市民 广场 ")
    c = event(plan, title="丙", starts_at=at(11, 26, 9, year=KNOWN), place="线上")
    d = event(plan, title="丁", starts_at=at(11, 26, 9, year=KNOWN), place="线上")
    e = event(plan, title="戊", starts_at=at(11, 26, 11, year=KNOWN), place="市民广场")  # starts as 甲 ends
    flags = schedule_flags([a, b, c, d, e], limit=10)
    assert kinds(flags[a.pk]) == ["venue"]
    assert kinds(flags[b.pk]) == ["venue", "venue"]
    assert c.pk not in flags and d.pk not in flags
    assert kinds(flags[e.pk]) == ["venue"]  # clashes with 乙 (10:00–12:00)


def test_too_many_events_on_one_day_are_flagged():
    plan = campaign()
    events = [
        event(plan, title=f"场次{n}", starts_at=at(11, 26, 8 + 2 * n, year=KNOWN), place=f"地点{n}") for n in range(4)
    ]
    flags = schedule_flags(events, limit=3)
    assert all(kinds(flags[e.pk]) == ["busy_day"] for e in events)
    assert flags[events[0].pk][0].text == "11月26日共有 4 场活动（建议不超过 3 场）"
    assert schedule_flags(events[:3], limit=3) == {}


def test_cancelled_events_clash_with_nothing():
    person = staff("wang")
    plan = campaign()
    first = event(plan, title="甲", starts_at=at(11, 26, 9, year=KNOWN), place="广场", staff=[person])
    second = event(
        plan, title="乙", starts_at=at(11, 26, 9, year=KNOWN), place="广场", staff=[person], status="cancelled"
    )
    assert schedule_flags([first, second]) == {}


def test_overdue_milestones_are_the_open_ones_past_their_date():
    today = SUITE_TODAY
    plan = campaign()
    overdue = Milestone.objects.create(campaign=plan, name="方案报批", due_on=today - datetime.timedelta(days=26))
    done = today - datetime.timedelta(days=25)
    Milestone.objects.create(
        campaign=plan, name="物料制作", due_on=done, done_at=at(done.month, done.day, year=done.year)
    )
    Milestone.objects.create(campaign=plan, name="今日截止", due_on=today)  # due today is not overdue yet
    Milestone.objects.create(campaign=plan, name="总结报送", due_on=today + datetime.timedelta(days=14))
    cancelled = campaign(title="已取消", status="cancelled")
    Milestone.objects.create(campaign=cancelled, name="方案报批", due_on=today - datetime.timedelta(days=26))
    assert list(Milestone.objects.overdue(today)) == [overdue]


def test_a_notice_arranging_a_day_of_the_year_before_wins_there_too():
    # As 2012's notice made Saturday 31 December 2011 a working day; the year before stays the package's.
    following = KNOWN + 1
    year = HolidayYear.objects.create(year=following, source=f"国务院办公厅关于{following}年部分节假日安排的通知")
    saturday = on(12, 26, year=KNOWN)
    HolidayPeriod.objects.create(holiday_year=year, name="元旦", kind="workday", start=saturday, end=saturday)
    calendar = WorkdayCalendar.load([KNOWN])
    assert calendar.source(KNOWN) == "package"
    info = calendar.day(saturday)
    assert (info.kind, info.name, info.flag) == (DayKind.WORKING_WEEKEND, "元旦", "调休上班日（元旦）")
    assert calendar.day(saturday + datetime.timedelta(days=1)).kind == DayKind.WEEKEND
    plan = campaign()
    worked = event(plan, title="周六加班场", starts_at=at(12, 26, 9, year=KNOWN))
    assert kinds(schedule_flags([worked])[worked.pk]) == ["working_weekend"]
