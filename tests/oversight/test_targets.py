"""Which target applies to whom: precedence, proration for mid-year joiners, leavers, courses, attendance."""

import datetime
import math
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learning.assignment import assignees
from organisation import roles
from oversight.figures import BEHIND, IN_PROGRESS, MET, NO_TARGET, year_figures
from oversight.models import StudyTarget
from oversight.targets import elapsed_share, months_in_post
from tests.clock import on
from tests.factories import DepartmentFactory
from tests.learning.study_helpers import make_course, make_session
from tests.oversight import helpers as h

pytestmark = pytest.mark.django_db


def row(username, **kwargs):
    figures = year_figures(year=h.YEAR, now=h.NOW, **kwargs)
    rows = figures.people[figures.people["user_id"].isin([_user(username).pk])]
    return rows.iloc[0].to_dict() if len(rows) else None


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def unit():
    """执法支队 with a unit below it (一大队)."""
    parent = DepartmentFactory(name="执法支队", is_law_enforcement=True)
    child = DepartmentFactory(name="一大队", parent=parent)
    return parent, child


def test_the_strictest_group_target_wins_criterion_by_criterion(unit):
    parent, child = unit
    h.person("enforcer", department=child, enforcer=True, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    h.target("everyone", required_hours=Decimal("40"), min_attendance_rate=60)
    h.target("enforcement", required_hours=Decimal("60"))
    h.target("department", department=parent, required_hours=Decimal("50"), min_attendance_rate=90)
    h.target("role", role=roles.DEPARTMENT_HEAD, required_hours=Decimal("30"), min_attendance_rate=80)
    person = row("enforcer")
    assert person["hours_target"] == 60.0  # enforcement beats department (50) and everyone (40)
    assert person["attendance_required"] == 90.0  # the department of the unit above, strictest
    assert person["targets"] == "全体人员、执法人员、执法支队、角色：处室负责人"


def test_a_personal_target_replaces_every_other_target(unit):
    parent, _ = unit
    course = make_course("必修课", lessons=1, is_required=True, assign_everyone=True, due_date=on(3, 1))
    h.person("sick", department=parent, enforcer=True)
    h.target("everyone", required_hours=Decimal("40"), min_attendance_rate=80)
    h.target("enforcement", required_hours=Decimal("60"))
    h.target("person", person=_user("sick"), required_hours=Decimal("8"), include_assigned_courses=False)
    person = row("sick")
    assert person["hours_target"] == 8.0
    assert person["targets"] == "个人：sick"
    assert person["courses_required"] == 0
    assert math.isnan(person["attendance_required"])
    assert course  # still assigned to them in learning; the personal target simply does not require it


def test_group_targets_add_up_courses(unit):
    parent, _ = unit
    everyone = make_course("宪法", lessons=1, assign_everyone=True)  # elective: only required when a target names it
    enforcement = make_course("执法实务", lessons=1, assign_enforcement_staff=True)
    h.person("enforcer", department=parent, enforcer=True)
    h.target("everyone", required_hours=Decimal("10"), courses=[everyone])
    h.target("enforcement", courses=[enforcement])
    person = row("enforcer")
    assert person["courses_required"] == 2
    assert set(person["courses_missing"].split("、")) == {"宪法", "执法实务"}


def test_hours_are_prorated_by_months_in_post(unit):
    parent, _ = unit
    h.person("july", department=parent, joined_on=on(7, 15))
    h.person("january", department=parent, joined_on=on(1, 31))
    h.person("veteran", department=parent, joined_on=None)
    h.target("everyone", required_hours=Decimal("40"))
    assert row("july")["months_in_post"] == 6 and row("july")["hours_target"] == 20.0
    assert row("january")["hours_target"] == 40.0
    assert row("veteran")["hours_target"] == 40.0


def test_a_mid_year_joiner_is_behind_only_against_their_own_time_in_post(unit):
    parent, _ = unit
    september = h.person("september", department=parent, joined_on=on(9, 1))
    h.target("everyone", required_hours=Decimal("48"))
    # Target 48 × 4/12 = 16; two of four months (September, October) have passed by late November, so 8 are due by now.
    h.credit(september, 9, on=on(10, 1))
    assert row("september")["status"] == IN_PROGRESS
    h.person("october", department=parent, joined_on=on(9, 1))
    h.credit(_user("october"), 7, on=on(10, 1))
    assert row("october")["status"] == BEHIND


def test_people_who_left_or_join_after_the_year_are_not_counted(unit):
    parent, _ = unit
    h.person("left", department=parent, left_on=on(3, 31))
    h.person("leaving", department=parent, left_on=on(3, 31, year=h.YEAR + 1))
    h.person("next_year", department=parent, joined_on=on(1, 4, year=h.YEAR + 1))
    h.target("everyone", required_hours=Decimal("40"))
    assert row("left") is None
    assert row("leaving") is not None  # still in post this year
    assert row("next_year") is None
    assert (
        row(
            "left",
        )
        is None
    )
    last_year = year_figures(year=h.YEAR - 1, now=h.NOW)
    assert _user("left").pk in set(last_year.people["user_id"])  # was in post all of last year


def test_inactive_accounts_are_not_counted(unit):
    parent, _ = unit
    gone = h.person("gone", department=parent)
    gone.is_active = False
    gone.save()
    assert row("gone") is None


def test_a_department_with_no_staff_shows_no_rates_not_zero(unit):
    parent, child = unit
    h.person("only", department=parent)
    h.target("everyone", required_hours=Decimal("40"))
    rows = {r["name"]: r for r in year_figures(year=h.YEAR, now=h.NOW).department_rows}
    assert rows["一大队"]["staff"] == 0
    assert rows["一大队"]["met_rate"] is None and rows["一大队"]["hours_average"] is None
    assert rows["执法支队"]["met_rate"] == 0.0  # one person, not met: a real 0%


def test_without_any_target_a_person_is_not_judged(unit):
    parent, _ = unit
    h.person("free", department=parent)
    assert row("free")["status"] == NO_TARGET
    assert row("free")["missing"] == ""


def test_required_courses_follow_learning_assignment(unit):
    parent, child = unit
    others = DepartmentFactory(name="其他处室")
    people = [
        h.person("p1", department=child),
        h.person("p2", department=parent, enforcer=True),
        h.person("p3", department=others),
        h.person("p4", department=others),
    ]
    course = make_course(
        "分配课程",
        lessons=1,
        is_required=True,
        departments=[parent],
        people=[people[3]],
        due_date=on(12, 1),
    )
    h.target("everyone", required_hours=Decimal("1"))
    figures = year_figures(year=h.YEAR, now=h.NOW)
    required = set(figures.people[figures.people["courses_required"] == 1]["user_id"])
    assert (
        required
        == set(assignees(course).values_list("user_id", flat=True))
        == {people[0].pk, people[1].pk, people[3].pk}
    )


def test_courses_due_in_other_years_are_not_required_this_year(unit):
    parent, _ = unit
    h.person("p", department=parent)
    make_course("去年的课", lessons=1, is_required=True, assign_everyone=True, due_date=on(6, 1, year=h.YEAR - 1))
    make_course("今年的课", lessons=1, is_required=True, assign_everyone=True, due_date=on(6, 1))
    make_course("选修课", lessons=1, assign_everyone=True)
    h.target("everyone", required_hours=Decimal("1"))
    person = row("p")
    assert person["courses_required"] == 1 and person["courses_missing"] == "今年的课"
    assert person["status"] == BEHIND  # due in June, not done


def test_attendance_counts_leave_as_expected_and_skips_sessions_before_joining(unit):
    parent, _ = unit
    organiser = h.person("organiser", department=parent, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    newcomer = h.person("newcomer", department=parent, joined_on=on(6, 1))
    regular = h.person("regular", department=parent)
    h.target("everyone", min_attendance_rate=80)
    march = make_session(organiser, starts_at=h.at(3, 3))
    june = make_session(organiser, starts_at=h.at(6, 3))
    october = make_session(organiser, starts_at=h.at(10, 3))
    make_session(organiser, starts_at=h.at(11, 3), cancelled=True)
    for session in (march, june, october):
        h.sign_in(session, regular)
    h.sign_in(june, newcomer)
    h.on_leave(october, newcomer)
    newcomer_row, regular_row = row("newcomer"), row("regular")
    assert (newcomer_row["sessions_expected"], newcomer_row["sessions_present"], newcomer_row["sessions_leave"]) == (
        2,
        1,
        1,
    )
    assert newcomer_row["attendance_rate"] == 50.0 and newcomer_row["status"] == BEHIND
    assert "集中学法出勤率 50%（要求 80%）" in newcomer_row["missing"]
    assert (regular_row["sessions_expected"], regular_row["attendance_rate"], regular_row["status"]) == (3, 100.0, MET)


def test_months_in_post_and_elapsed_share():
    import pandas as pd

    joined = pd.Series([None, datetime.date(2020, 5, 1), on(7, 1), on(12, 1)])
    assert list(months_in_post(joined, h.YEAR)) == [12, 12, 6, 1]
    today = on(11, 27)  # ten whole months of the year are over
    assert list(elapsed_share(joined, h.YEAR, today).round(3)) == [0.833, 0.833, 0.667, 0.0]
    assert list(elapsed_share(joined, h.YEAR - 1, today)) == [1, 1, 1, 1]


def test_one_target_per_subject_and_year_and_the_subject_must_match_the_scope(unit):
    parent, _ = unit
    h.target("everyone", required_hours=Decimal("40"))
    with pytest.raises(IntegrityError), transaction.atomic():
        h.target("everyone", required_hours=Decimal("30"))
    h.target("everyone", year=h.YEAR + 1, required_hours=Decimal("40"))  # another year is fine
    wrong = StudyTarget(year=h.YEAR, scope="department", required_hours=Decimal("10"))
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "department" in error.value.message_dict
    mixed = StudyTarget(year=h.YEAR, scope="everyone", department=parent)
    with pytest.raises(ValidationError) as error:
        mixed.full_clean()
    assert "适用对象为“全体人员”时不应填写此项。" in error.value.message_dict["department"]


def test_a_target_can_require_an_exam_but_only_of_those_assigned_to_it(unit):
    from tests.learning.exam_helpers import make_exam

    parent, child = unit
    h.person("inside", department=child)
    h.person("outside", department=DepartmentFactory(name="其他处室"))
    exam = make_exam(title="执法资格考试", assign_everyone=False, now=h.NOW)
    exam.assign_departments.set([parent])
    exam.save()
    quiz = make_exam(title="专题测试", now=h.NOW)
    h.target("everyone", required_hours=Decimal("1"), exams=[exam])
    assert row("inside")["exams_required"] == 1  # 专题测试 is assigned too, but no target names it
    assert row("outside")["exams_required"] == 0  # cannot sit an exam not assigned to them
    StudyTarget.objects.update(include_assigned_exams=True)
    assert row("inside")["exams_required"] == 2 and row("outside")["exams_required"] == 1
    assert "未参加考试：" in row("outside")["missing"] and quiz.title in row("outside")["missing"]


def test_an_exam_not_passed_after_its_window_closes_puts_a_person_behind(unit):
    from learning.exams.models import ExamResult
    from tests.learning.exam_helpers import make_exam

    parent, _ = unit
    late = h.person("late", department=parent)
    failed = h.person("failed", department=parent)
    h.credit(late, 50)
    h.credit(failed, 50)
    exam = make_exam(opens_at=h.at(10, 1), closes_at=h.at(10, 31))
    ExamResult.objects.create(exam=exam, user=failed, attempts=1, score=30, max_score=100, passed=False)
    h.target("everyone", required_hours=Decimal("40"), exams=[exam])
    assert row("late")["status"] == BEHIND and f"未参加考试：{h.EXAM}" in row("late")["missing"]
    assert row("failed")["status"] == BEHIND and f"考试未合格：{h.EXAM}" in row("failed")["missing"]
    exam.resit_opens_at, exam.resit_closes_at = h.at(12, 1), h.at(12, 10)
    exam.save()
    assert row("failed")["status"] == IN_PROGRESS  # a resit is still to come
