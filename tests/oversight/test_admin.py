"""法治办/局党委 set targets and draw up letters in the Wagtail admin; bad input is refused with a reason."""

import pytest

from django.urls import reverse

from organisation import roles
from oversight.models import Measure, ResponsibilityLetter, StudyTarget
from tests.clock import SUITE_YEAR, on
from tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(db):
    return staff("committee", department=DepartmentFactory(name="办公室"), role_names=(roles.STAFF, roles.OVERSIGHT))


def target_data(**fields):
    data = {
        "year": str(SUITE_YEAR),
        "scope": "everyone",
        "role": "",
        "department": "",
        "person": "",
        "required_hours": "40",
        "include_assigned_courses": "on",
        "min_attendance_rate": "",
        "note": "",
    }
    data.update(fields)
    return data


def test_the_committee_sets_a_target(client, committee):
    client.force_login(committee)
    assert client.get(reverse("oversight_targets:add")).status_code == 200
    response = client.post(reverse("oversight_targets:add"), target_data())
    assert response.status_code == 302
    target = StudyTarget.objects.get()
    assert (target.year, target.scope, target.required_hours) == (SUITE_YEAR, "everyone", 40)
    index = client.get(reverse("oversight_targets:index")).content.decode()
    assert "全体人员" in index


def test_a_target_whose_subject_does_not_match_its_scope_is_refused(client, committee):
    client.force_login(committee)
    response = client.post(reverse("oversight_targets:add"), target_data(scope="department"))
    assert response.status_code == 200
    assert "请选择适用的处室/单位。" in response.content.decode()
    other = DepartmentFactory(name="其他")
    response = client.post(reverse("oversight_targets:add"), target_data(department=str(other.pk)))
    assert "适用对象为“全体人员”时不应填写此项。" in response.content.decode()
    assert not StudyTarget.objects.exists()


def test_a_second_target_for_the_same_group_and_year_is_refused(client, committee):
    client.force_login(committee)
    client.post(reverse("oversight_targets:add"), target_data())
    response = client.post(reverse("oversight_targets:add"), target_data(required_hours="30"))
    assert response.status_code == 200
    assert "该年度已有同一适用对象的目标。" in response.content.decode()
    assert StudyTarget.objects.count() == 1


def letter_data(department, items):
    data = {
        "year": str(SUITE_YEAR),
        "department": str(department.pk),
        "title": "",
        "signatory": "陈志刚",
        "signed_on": on(2, 26).isoformat(),
        "note": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, (name, measure, weight, target) in enumerate(items):
        data.update(
            {
                f"items-{index}-name": name,
                f"items-{index}-measure": measure,
                f"items-{index}-weight": str(weight),
                f"items-{index}-target_value": str(target),
                f"items-{index}-ORDER": str(index + 1),
                f"items-{index}-DELETE": "",
                f"items-{index}-id": "",
            }
        )
    return data


def test_the_committee_draws_up_a_letter_with_weighted_items(client, committee):
    department = DepartmentFactory(name="执法队")
    client.force_login(committee)
    items = [("学法目标达标", Measure.TARGET_MET_RATE, 60, 100), ("集中学法出勤", Measure.ATTENDANCE_RATE, 40, 90)]
    response = client.post(reverse("oversight_letters:add"), letter_data(department, items))
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = ResponsibilityLetter.objects.get()
    assert [(item.name, item.weight) for item in letter.items.all()] == [("学法目标达标", 60), ("集中学法出勤", 40)]
    assert letter.display_title == f"执法队 {SUITE_YEAR} 年度法治建设目标责任书"


def test_a_percentage_item_cannot_ask_for_more_than_100(client, committee):
    department = DepartmentFactory(name="执法队")
    client.force_login(committee)
    response = client.post(
        reverse("oversight_letters:add"), letter_data(department, [("出勤", Measure.ATTENDANCE_RATE, 40, 120)])
    )
    assert response.status_code == 200
    assert "百分比项的满分标准不能超过 100。" in response.content.decode()
    assert not ResponsibilityLetter.objects.exists()


def test_heads_and_editors_cannot_set_targets(client, committee):
    head = staff("head", role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    editor = staff("editor", role_names=(roles.STAFF, roles.EDITOR))
    for user in (head, editor):
        client.force_login(user)
        assert client.post(reverse("oversight_targets:add"), target_data()).status_code == 302
    assert not StudyTarget.objects.exists()
