import pytest

from learning.assignment import assignees
from learning.study.models import CoursePage
from tests.factories import DepartmentFactory, staff
from tests.learning.study_helpers import make_course

pytestmark = pytest.mark.django_db


def assigned_titles(user):
    return set(CoursePage.objects.live().assigned_to(user).values_list("title", flat=True))


def test_a_course_for_everyone_reaches_every_staff_member(world):
    make_course("全员课程", assign_everyone=True)
    for role in ("staff", "enforcer", "head", "other_staff"):
        assert assigned_titles(world.user(role)) == {"全员课程"}


def test_a_department_course_reaches_its_units_but_not_other_departments(world):
    unit = DepartmentFactory(name="执法一中队", parent=world.a)
    in_unit = staff("unit-member", department=unit)
    course = make_course("执法队课程", departments=[world.a])
    assert assigned_titles(in_unit) == {"执法队课程"}
    assert assigned_titles(world.user("staff")) == {"执法队课程"}
    assert assigned_titles(world.user("other_staff")) == set()
    assert set(assignees(course).values_list("user__username", flat=True)) == {
        "staff",
        "enforcer",
        "head",
        "unit-member",
    }


def test_an_enforcement_course_reaches_only_law_enforcement_staff(world):
    make_course("执法人员课程", assign_enforcement_staff=True)
    assert assigned_titles(world.user("enforcer")) == {"执法人员课程"}
    assert assigned_titles(world.user("staff")) == set()


def test_a_course_for_named_people_reaches_only_them(world):
    course = make_course("点名课程", people=[world.user("other_staff")])
    assert assigned_titles(world.user("other_staff")) == {"点名课程"}
    assert assigned_titles(world.user("staff")) == set()
    assert list(assignees(course).values_list("user__username", flat=True)) == ["other"]


def test_a_person_covered_twice_sees_the_course_once(world):
    make_course("重复分配", assign_everyone=True, assign_enforcement_staff=True, departments=[world.a])
    assert list(CoursePage.objects.assigned_to(world.user("enforcer")).values_list("title", flat=True)) == ["重复分配"]
