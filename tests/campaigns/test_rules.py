"""Key-date rules are calendar arithmetic handed their year; no clock plays a part, so the years named here are
calendar facts (文化和自然遗产日 2026 is Saturday 13 June; 2028 has a 29 February) and official overrides of the past.
"""

import calendar
import datetime
import io
import json

import pytest

from django.core.management import call_command

from campaigns import rules
from campaigns.models import KeyDateOverride
from campaigns.occurrences import key_date_occurrences
from tests.campaigns.helpers import key_date

pytestmark = pytest.mark.django_db

SECOND_SATURDAY_OF_JUNE = rules.Rule(kind="nth_weekday", month=6, weekday=5, nth=2, first_year=2006)


def _brute_force_nth(year, month, weekday, nth):
    days = [
        datetime.date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if datetime.date(year, month, d).weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def test_heritage_day_2026_is_13_june():
    assert rules.occurrence(SECOND_SATURDAY_OF_JUNE, 2026) == rules.Occurrence(
        datetime.date(2026, 6, 13), datetime.date(2026, 6, 13)
    )


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2006, 10), (2017, 10), (2020, 13), (2023, 10), (2024, 8), (2025, 14), (2027, 12), (2028, 10), (2030, 8)],
)
def test_heritage_day_is_the_second_saturday_of_june(year, expected):
    occurrence = rules.occurrence(SECOND_SATURDAY_OF_JUNE, year)
    assert occurrence.start == datetime.date(year, 6, expected)
    assert occurrence.start.weekday() == 5


def test_nth_weekday_matches_counting_days_for_every_month_from_2000_to_2040():
    for year in range(2000, 2041):
        for month in range(1, 13):
            for weekday in range(7):
                for nth in (1, 2, 3, 4, 5, -1):
                    assert rules.nth_weekday(year, month, weekday, nth) == _brute_force_nth(year, month, weekday, nth)


def test_a_fifth_weekday_that_a_month_lacks_gives_no_occurrence():
    rule = rules.Rule(kind="nth_weekday", month=2, weekday=0, nth=5)
    assert rules.occurrence(rule, 2026) is None  # February 2026 has four Mondays


def test_fixed_day_falls_on_the_same_date_every_year():
    rule = rules.Rule(kind="fixed", month=12, day=4, first_year=2014)
    for year in range(2014, 2060):
        assert rules.occurrence(rule, year) == rules.Occurrence(datetime.date(year, 12, 4), datetime.date(year, 12, 4))


def test_nothing_happens_before_the_year_a_key_date_began_or_after_it_ended():
    rule = rules.Rule(kind="fixed", month=5, day=19, first_year=2011, last_year=2030)
    assert rules.occurrence(rule, 2010) is None
    assert rules.occurrence(rule, 2011).start == datetime.date(2011, 5, 19)
    assert rules.occurrence(rule, 2030) is not None
    assert rules.occurrence(rule, 2031) is None


def test_ip_week_is_the_seven_days_ending_on_26_april():
    rule = rules.Rule(kind="period", month=4, day=26, offset_days=-6, length_days=7, first_year=2009)
    for year in range(2009, 2050):
        occurrence = rules.occurrence(rule, year)
        assert (occurrence.start, occurrence.end) == (datetime.date(year, 4, 20), datetime.date(year, 4, 26))
        assert occurrence.days == 7
    assert rules.occurrence(rule, 2008) is None


def test_civil_code_month_runs_to_the_end_of_may():
    rule = rules.Rule(kind="period", month=5, day=1, length_days=0, first_year=2021)
    assert rules.occurrence(rule, 2020) is None
    for year in range(2021, 2040):
        occurrence = rules.occurrence(rule, year)
        assert (occurrence.start, occurrence.end) == (datetime.date(year, 5, 1), datetime.date(year, 5, 31))


def test_a_period_may_cross_into_the_next_year():
    rule = rules.Rule(kind="period", month=12, day=30, length_days=5)
    occurrence = rules.occurrence(rule, 2026)
    assert (occurrence.start, occurrence.end) == (datetime.date(2026, 12, 30), datetime.date(2027, 1, 3))


def test_29_february_happens_only_in_leap_years():
    rule = rules.Rule(kind="fixed", month=2, day=29)
    assert rules.occurrence(rule, 2028).start == datetime.date(2028, 2, 29)
    assert rules.occurrence(rule, 2027) is None


def test_official_override_wins_over_the_rule_but_not_before_the_first_year():
    rule = rules.Rule(kind="period", month=12, day=4, offset_days=-3, length_days=7, first_year=2018)
    override = (datetime.date(2022, 12, 4), datetime.date(2022, 12, 10))
    occurrence = rules.occurrence(rule, 2022, override)
    assert (occurrence.start, occurrence.end, occurrence.overridden) == (*override, True)
    assert rules.occurrence(rule, 2017, (datetime.date(2017, 12, 1), datetime.date(2017, 12, 7))) is None


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (SECOND_SATURDAY_OF_JUNE, "每年6月第二个星期六（2006年起）"),
        (rules.Rule(kind="fixed", month=4, day=26), "每年4月26日"),
        (rules.Rule(kind="period", month=5, day=1, length_days=0), "每年5月1日起至月末"),
        (rules.Rule(kind="period", month=4, day=26, offset_days=-6, length_days=7), "每年自4月26日前6天起，为期7天"),
    ],
)
def test_rules_describe_themselves_in_chinese(rule, text):
    assert rules.describe(rule) == text


def _constitution_week():
    week = key_date("宪法宣传周", kind="period", month=12, day=4, offset_days=-3, length_days=7, first_year=2018)
    KeyDateOverride.objects.create(
        key_date=week, year=2018, start=datetime.date(2018, 12, 2), end=datetime.date(2018, 12, 8)
    )
    KeyDateOverride.objects.create(
        key_date=week, year=2022, start=datetime.date(2022, 12, 4), end=datetime.date(2022, 12, 10)
    )
    return week


def test_stored_overrides_apply_only_to_their_year():
    _constitution_week()
    spans = {year: key_date_occurrences(year)[0] for year in (2018, 2021, 2022, 2026)}
    assert (spans[2018].start, spans[2018].end) == (datetime.date(2018, 12, 2), datetime.date(2018, 12, 8))
    assert (spans[2022].start, spans[2022].end) == (datetime.date(2022, 12, 4), datetime.date(2022, 12, 10))
    assert (spans[2021].start, spans[2021].end) == (datetime.date(2021, 12, 1), datetime.date(2021, 12, 7))
    assert spans[2022].overridden and not spans[2026].overridden
    assert key_date_occurrences(2017) == []


def test_inactive_key_dates_are_left_out():
    key_date("停用的节点", is_active=False)
    key_date("世界知识产权日")
    assert [occ.name for occ in key_date_occurrences(2026)] == ["世界知识产权日"]


def test_key_dates_command_prints_json_with_iso_dates():
    _constitution_week()
    key_date("文化和自然遗产日", kind="nth_weekday", month=6, day=None, weekday=5, nth=2, first_year=2006)
    out = io.StringIO()
    call_command("key_dates", "2022", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == [
        {"name": "文化和自然遗产日", "start": "2022-06-11", "end": "2022-06-11"},
        {"name": "宪法宣传周", "start": "2022-12-04", "end": "2022-12-10"},
    ]


def test_key_dates_command_prints_csv():
    key_date("文化和自然遗产日", kind="nth_weekday", month=6, day=None, weekday=5, nth=2)
    out = io.StringIO()
    call_command("key_dates", "2026", "--format", "csv", stdout=out)
    # UTF-8 with a BOM, as every CSV the site writes: Excel and WPS would otherwise show the names as mojibake.
    assert out.getvalue().startswith("\ufeffname,start,end\r\n")
    assert out.getvalue().lstrip("\ufeff").splitlines() == ["name,start,end", "文化和自然遗产日,2026-06-13,2026-06-13"]


def test_key_date_rules_are_validated_in_chinese():
    from django.core.exceptions import ValidationError

    from campaigns.models import KeyDate

    with pytest.raises(ValidationError) as error:
        KeyDate(name="错", kind="nth_weekday", month=6).full_clean()
    assert "请选择星期几。" in str(error.value)
    with pytest.raises(ValidationError) as error:
        KeyDate(name="错2", kind="fixed", month=2, day=30).full_clean()
    assert "2月没有30日" in str(error.value)
