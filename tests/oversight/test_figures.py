"""The year's figures on the known bureau of conftest.py: every number the dashboard, the export and the report show."""

import math

import pandas as pd
import pytest

from oversight.figures import BEHIND, IN_PROGRESS, MET, NO_DEPARTMENT_NAME, NO_TARGET, year_figures
from tests.clock import on
from tests.factories import DepartmentFactory
from tests.oversight import helpers as h

pytestmark = pytest.mark.django_db


def by_name(figures):
    return {row["name"]: row for row in figures.people.to_dict("records")}


def test_each_person_gets_status_and_exactly_what_is_missing(bureau):
    people = by_name(year_figures(year=h.YEAR, now=h.NOW))
    assert set(people) == {"甲", "乙", "丙", "队长", "丁", "戊"}  # 己 left in June
    assert {name: row["status"] for name, row in people.items()} == {
        "甲": MET,
        "乙": BEHIND,
        "丙": MET,
        "队长": MET,
        "丁": IN_PROGRESS,
        "戊": MET,
    }
    assert people["乙"]["missing"] == f"学时差 20（已完成 40/60）；未完成必修课程：执法实务；考试未合格：{h.EXAM}"
    assert people["丁"]["missing"] == f"学时差 2（已完成 18/20）；未完成必修课程：宪法学习；未参加考试：{h.EXAM}"
    assert people["甲"]["missing"] == ""


def test_hours_come_from_the_year_ledger_by_source(bureau):
    people = by_name(year_figures(year=h.YEAR, now=h.NOW))
    jia = people["甲"]
    assert (jia["hours"], jia["hours_group_study"], jia["hours_self_study"]) == (62.0, 2.0, 60.0)
    assert people["丙"]["hours_external"] == 12.0
    assert people["戊"]["hours"] == 40.0  # the 99 hours of last year are not in this one


def test_department_rows_and_an_empty_department(bureau):
    rows = {row["name"]: row for row in year_figures(year=h.YEAR, now=h.NOW).department_rows}
    assert list(rows) == ["执法队", "公共服务处", "空处室"]
    enforcement = rows["执法队"]
    assert (enforcement["staff"], enforcement["met"], enforcement["behind"], enforcement["in_progress"]) == (4, 3, 1, 0)
    assert enforcement["met_rate"] == 75.0
    assert enforcement["hours_average"] == 28.5
    assert enforcement["hours_met_rate"] == 75.0
    assert (enforcement["courses_required"], enforcement["courses_done"], enforcement["course_rate"]) == (4, 3, 75.0)
    assert (enforcement["sessions_expected"], enforcement["sessions_present"]) == (4, 1)
    assert enforcement["attendance_rate"] == 25.0
    public = rows["公共服务处"]
    assert (public["staff"], public["met_rate"], public["hours_average"], public["attendance_rate"]) == (
        2,
        50.0,
        29.0,
        100.0,
    )
    empty = rows["空处室"]
    assert empty["staff"] == 0
    assert empty["met_rate"] is None and empty["hours_average"] is None and empty["attendance_rate"] is None


def test_totals(bureau):
    totals = year_figures(year=h.YEAR, now=h.NOW).totals
    assert (totals["staff"], totals["met"], totals["behind"], totals["in_progress"]) == (6, 4, 1, 1)
    assert totals["met_rate"] == 66.7
    assert (totals["hours_total"], totals["hours_average"]) == (172.0, 28.7)
    assert (totals["courses_required"], totals["courses_done"], totals["course_rate"]) == (6, 4, 66.7)
    assert totals["courses_completed_in_year"] == 4
    assert (totals["sessions_held"], totals["sessions_planned"]) == (1, 1)
    assert (totals["session_expected"], totals["session_attendances"], totals["session_leaves"]) == (5, 2, 1)
    assert totals["attendance_rate"] == 40.0
    assert (totals["exams_required"], totals["exams_taken"], totals["exams_passed"]) == (4, 3, 2)
    assert (totals["exam_participation_rate"], totals["exam_pass_rate"]) == (75.0, 66.7)


def test_session_and_course_rows(bureau):
    figures = year_figures(year=h.YEAR, now=h.NOW)
    march, december = figures.sessions.to_dict("records")
    assert (march["expected"], march["present"], march["leave"], march["absent"], march["rate"]) == (5, 2, 1, 2, 40.0)
    assert not december["held"] and pd.isna(december["rate"])
    courses = {row["title"]: row for row in figures.courses.to_dict("records")}
    assert (courses["宪法学习"]["required"], courses["宪法学习"]["done"], courses["宪法学习"]["overdue"]) == (4, 3, 0)
    assert (courses["执法实务"]["required"], courses["执法实务"]["done"], courses["执法实务"]["overdue"]) == (2, 1, 1)


def test_monthly_hours_add_up_to_the_total(bureau):
    figures = year_figures(year=h.YEAR, now=h.NOW)
    months = figures.monthly.set_index("month")
    assert months.loc[3, "group_study"] == 4.0
    assert months.loc[4, "external"] == 12.0
    assert months.loc[9, "total"] == 90.0
    assert months.loc[12, "cumulative"] == figures.totals["hours_total"] == 172.0


def test_the_role_filter_narrows_people_but_letters_still_see_everyone(bureau):
    figures = year_figures(year=h.YEAR, role="执法人员", now=h.NOW)
    assert set(figures.people["name"]) == {"甲", "乙"}
    assert figures.totals["staff"] == 2
    assert len(figures.all_people) == 6


def test_a_department_scope_counts_only_its_people(bureau):
    enforcement = bureau["departments"]["执法队"]
    figures = year_figures(year=h.YEAR, departments=frozenset({enforcement.pk}), now=h.NOW)
    assert set(figures.people["name"]) == {"甲", "乙", "丙", "队长"}
    assert [row["name"] for row in figures.department_rows] == ["执法队"]


def test_drill_down_selections(bureau):
    figures = year_figures(year=h.YEAR, now=h.NOW)
    assert list(figures.select(status=BEHIND)["name"]) == ["乙"]
    assert set(figures.select(status="未达标")["name"]) == {"乙", "丁"}
    assert set(figures.select(criterion="courses")["name"]) == {"乙", "丁"}
    assert set(figures.select(course_id=bureau["courses"]["执法实务"].pk)["name"]) == {"乙"}
    assert list(figures.select(query="戊")["name"]) == ["戊"]
    roster = {row["name"]: row["status"] for row in figures.session_roster(bureau["march"].pk)}
    assert roster == {"甲": "已签到", "乙": "请假", "丙": "缺席", "队长": "缺席", "戊": "已签到"}


def test_people_without_a_department_are_counted_under_their_own_heading(bureau):
    h.target("everyone", year=h.YEAR - 1, required_hours=40)
    loose = h.person("loose", department=DepartmentFactory(name="临时"), real_name="无处室")
    loose.staff_profile.department = None
    loose.staff_profile.save()
    figures = year_figures(year=h.YEAR, now=h.NOW)
    assert figures.department_rows[-1]["name"] == NO_DEPARTMENT_NAME
    assert figures.department_rows[-1]["staff"] == 1


def test_a_year_without_targets_judges_nobody(bureau):
    figures = year_figures(year=h.YEAR - 1, now=h.NOW)
    assert set(figures.people["status"]) == {NO_TARGET}
    assert figures.totals["met_rate"] is None
    assert not figures.has_targets


def test_a_past_year_is_judged_on_the_full_target(bureau):
    h.target("everyone", year=h.YEAR - 1, required_hours=40)
    people = by_name(year_figures(year=h.YEAR - 1, now=h.NOW))
    assert people["戊"]["status"] == MET  # 99 hours last year
    assert people["甲"]["status"] == BEHIND and people["甲"]["hours_short"] == 40.0
    assert "丁" not in people  # joined this year


def test_an_empty_scope_has_no_people_and_no_rates(db):
    figures = year_figures(year=h.YEAR, now=h.NOW)
    assert len(figures.people) == 0
    assert figures.totals["staff"] == 0 and figures.totals["met_rate"] is None
    assert math.isclose(figures.monthly["total"].sum(), 0.0)


def test_the_computation_takes_a_fixed_number_of_queries(bureau, django_assert_max_num_queries):
    with django_assert_max_num_queries(27):
        year_figures(year=h.YEAR, now=h.NOW)
    enforcement = bureau["departments"]["执法队"]
    for number in range(30):
        h.person(f"extra{number}", department=enforcement, enforcer=number % 2 == 0)
        h.credit(h.person(f"more{number}", department=enforcement), 3, on=on(2, 1))
    with django_assert_max_num_queries(27):
        figures = year_figures(year=h.YEAR, now=h.NOW)
    assert figures.totals["staff"] == 66


def test_publicity_counts_held_events_with_outcomes(bureau):
    publicity = year_figures(year=h.YEAR, now=h.NOW).publicity
    assert publicity.totals == {
        "campaigns": 2,
        "approved": 1,
        "events": 3,
        "participants": 260,
        "materials": 400,
        "online_reach": 1500,
    }
    by_key_date = {row["key_date"]: row for row in publicity.by("key_date")}
    assert (by_key_date["国家宪法日"]["events"], by_key_date["国家宪法日"]["participants"]) == (2, 200)
    assert by_key_date["其他活动"]["events"] == 1


def test_publicity_totals_equal_the_campaigns_own_year_report(bureau):
    from campaigns.reports import year_rollup

    ours = year_figures(year=h.YEAR, now=h.NOW).publicity.totals
    theirs = year_rollup(h.YEAR)["totals"]
    for key in ("campaigns", "approved", "events", "participants", "materials", "online_reach"):
        assert ours[key] == theirs[key], key


def test_a_department_counts_the_events_it_led_or_partnered(bureau):
    enforcement = bureau["departments"]["执法队"]
    public = bureau["departments"]["公共服务处"]
    publicity = year_figures(year=h.YEAR, now=h.NOW).publicity
    assert publicity.for_departments({enforcement.pk}) == {"events": 3, "reach": 1120 + 580 + 60}
    assert publicity.for_departments({public.pk}) == {"events": 1, "reach": 60}
    scoped = year_figures(year=h.YEAR, departments=frozenset({public.pk}), now=h.NOW).publicity
    assert scoped.totals["events"] == 1 and scoped.totals["campaigns"] == 1


def test_a_department_scope_without_any_publicity_has_empty_figures(bureau):
    empty = bureau["departments"]["空处室"]
    for year in (h.YEAR, h.YEAR - 1):  # last year: no events at all in the bureau
        publicity = year_figures(year=year, departments=frozenset({empty.pk}), now=h.NOW).publicity
        assert publicity.totals["events"] == 0 and publicity.by("key_date") == []
        assert publicity.for_departments({empty.pk}) == {"events": 0, "reach": 0}


def test_exam_participation_and_pass_rates_match_the_exams_own_statistics(bureau):
    from learning.exams.services.statistics import exam_statistics

    row = year_figures(year=h.YEAR, now=h.NOW).exams.to_dict("records")[0]
    assert (row["assigned"], row["participated"], row["passed"]) == (6, 3, 2)
    assert (row["participation_rate"], row["pass_rate"], row["average"]) == (50.0, 66.7, 70.0)
    theirs = exam_statistics(bureau["exam"]).summary
    for ours, key in (("assigned", "assigned"), ("participated", "participated"), ("passed", "passed")):
        assert row[ours] == theirs[key], key
    for key in ("participation_rate", "pass_rate", "average"):
        assert row[key] == theirs[key], key


def test_exam_scores_list_everyone_assigned_or_who_sat(bureau):
    scores = year_figures(year=h.YEAR, now=h.NOW).exam_scores()
    by_name = {row["name"]: row for row in scores.to_dict("records")}
    assert set(by_name) == {"甲", "乙", "丙", "队长", "丁", "戊"}
    assert by_name["乙"]["taken"] and not by_name["乙"]["passed"] and by_name["乙"]["percent"] == 40.0
    assert not by_name["丁"]["taken"] and by_name["丁"]["required"]
    assert not by_name["丙"]["required"]  # a personal target without the exam


def test_the_ledger_sums_are_reused_until_a_record_is_added(bureau, django_assert_max_num_queries):
    first = year_figures(year=h.YEAR, now=h.NOW)
    with django_assert_max_num_queries(25):  # the year's sums come from the cache
        again = year_figures(year=h.YEAR, now=h.NOW)
    assert again.totals == first.totals
    h.credit(bureau["people"]["丁"], 2, on=on(11, 20))  # a new record: new fingerprint
    after = year_figures(year=h.YEAR, now=h.NOW)
    assert after.totals["hours_total"] == first.totals["hours_total"] + 2
    ding = after.people[after.people["name"] == "丁"].iloc[0]
    assert ding["hours"] == 20.0 and ding["status"] == "进行中"  # 20 of 20 hours; the course and exam remain
    assert after.monthly.set_index("month").loc[11, "self_study"] == 2.0


def test_a_record_committed_late_with_a_lower_id_still_changes_the_sums(bureau):
    from learning.models import LearningRecord

    def row(pk, hours):
        return LearningRecord(
            pk=pk,
            user=bureau["people"]["戊"],
            year=h.YEAR,
            occurred_on=on(10, 9),
            source="self_study",
            title=f"记录 {pk}",
            hours=hours,
        )

    base = h.credit(bureau["people"]["戊"], 1, on=on(10, 8))
    LearningRecord.objects.bulk_create([row(base.pk + 10, 1)])
    first = year_figures(year=h.YEAR, now=h.NOW)
    # Another transaction's row, numbered before the newest but committed after it: the highest id
    # is unchanged, the count is not.
    LearningRecord.objects.bulk_create([row(base.pk + 5, 3)])
    assert year_figures(year=h.YEAR, now=h.NOW).totals["hours_total"] == first.totals["hours_total"] + 3


def test_a_department_row_counts_the_units_below_it_as_its_drill_down_does(bureau):
    """局属单位 has no staff of its own, only in its units: its row is not "无在岗人员", and every
    number on it is the sum of its units, as its filter, its people list and its letter count."""
    units = DepartmentFactory(name="局属单位", sort_order=4)
    library = DepartmentFactory(name="图书馆", parent=units, sort_order=1)
    museum = DepartmentFactory(name="博物馆", parent=units, sort_order=2)
    reader = h.person("reader", department=library, real_name="读者")
    h.credit(reader, 40, on=on(3, 3))
    h.credit(h.person("keeper", department=museum, real_name="馆员"), 8, on=on(3, 3))
    figures = year_figures(year=h.YEAR, now=h.NOW)
    rows = {row["name"]: row for row in figures.department_rows}
    assert [name for name in rows if name in ("局属单位", "图书馆", "博物馆")] == ["局属单位", "图书馆", "博物馆"]
    parent = rows["局属单位"]
    assert parent["has_units"] and not rows["图书馆"]["has_units"] and not rows["执法队"]["has_units"]
    assert parent["staff"] == 2 == rows["图书馆"]["staff"] + rows["博物馆"]["staff"]
    assert parent["hours_total"] == 48.0 and parent["hours_average"] == 24.0
    assert parent["staff"] == len(figures.select(department_id=units.pk))
    assert parent["staff"] == figures.department_summary(units.pk)["staff"]  # what its letter counts
    # The whole bureau's total is still everyone once: the units are not counted twice.
    assert figures.totals["staff"] == 8
    # A department filter on the parent lists it and its units, with the same numbers.
    scoped = year_figures(year=h.YEAR, departments=frozenset({units.pk, library.pk, museum.pk}), now=h.NOW)
    assert {row["name"]: row["staff"] for row in scoped.department_rows} == {"局属单位": 2, "图书馆": 1, "博物馆": 1}
