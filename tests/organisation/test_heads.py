"""A department head is whoever holds ``organisation.head_department`` (organisation.heads), never a group's name."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from campaigns.services.approvals import _approvers
from organisation import roles
from organisation.heads import headed_departments, heads, is_head
from tests.campaigns.helpers import campaign
from tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no cached permissions


def test_the_head_role_carries_the_permission_and_its_holder_heads_their_department_and_below(world):
    unit = DepartmentFactory(name="执法一中队", parent=world.a)
    head = world.users["head"]
    assert is_head(head)
    assert set(headed_departments(head)) == {world.a, unit}
    assert not headed_departments(world.users["staff"]).exists()


def test_renaming_the_role_changes_nobody_is_headship(world):
    Group.objects.filter(name=roles.DEPARTMENT_HEAD).update(name="科室负责人")
    assert is_head(fresh(world.users["head"]))
    assert list(heads()) == [world.users["head"]]


def test_the_permission_granted_to_one_person_makes_them_a_head_without_the_role(world):
    deputy = staff("deputy", department=world.b)
    deputy.user_permissions.add(Permission.objects.get(codename="head_department"))
    assert is_head(fresh(deputy))
    assert set(headed_departments(fresh(deputy))) == {world.b}


def test_a_superuser_is_not_a_department_head_by_being_superuser(world):
    assert not is_head(world.users["admin"])
    assert world.users["admin"] not in heads()


def test_the_set_and_the_person_rule_agree_for_everyone(world):
    switched_off = staff("left-head", department=world.b, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    switched_off.is_active = False
    switched_off.save()
    everyone = get_user_model().objects.all()
    assert {user.pk for user in everyone if is_head(fresh(user))} == set(heads().values_list("pk", flat=True))


def test_a_submitted_campaign_reaches_the_heads_of_its_department_and_above(world):
    unit = DepartmentFactory(name="执法一中队", parent=world.a)
    unit_head = staff("unit-head", department=unit, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    plan = campaign(lead=unit)
    assert _approvers(plan) == sorted([world.users["head"], unit_head], key=lambda user: user.pk)
