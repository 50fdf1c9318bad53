"""The department tree is read once and asked everything (organisation.departments)."""

import pytest

from django.core.cache import cache

from learning.assignment import ancestor_ids
from organisation.departments import department_tree
from organisation.models import Department
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    top = DepartmentFactory(name="局机关", sort_order=1)
    squad = DepartmentFactory(name="执法队", parent=top, sort_order=2)
    unit = DepartmentFactory(name="执法一中队", parent=squad, sort_order=1)
    office = DepartmentFactory(name="办公室", parent=top, sort_order=1)
    return top, squad, unit, office


def test_the_tree_is_in_order_with_depths_subtrees_and_ancestors(bureau, django_assert_num_queries):
    top, squad, unit, office = bureau
    cache.clear()
    with django_assert_num_queries(1):
        tree = department_tree()
    assert [(row["name"], row["depth"]) for row in tree.rows] == [
        ("局机关", 0),
        ("办公室", 1),
        ("执法队", 1),
        ("执法一中队", 2),
    ]
    assert tree.subtree_ids(squad.pk) == {squad.pk, unit.pk}
    assert tree.subtree_ids(top.pk) == {top.pk, squad.pk, unit.pk, office.pk}
    assert tree.ancestor_ids(unit.pk) == [unit.pk, squad.pk, top.pk]


def test_every_way_of_asking_agrees_with_a_walk_of_the_parents(bureau):
    tree = department_tree()
    for department in Department.objects.all():
        walked, current = [], department
        while current is not None:
            walked.append(current.pk)
            current = current.parent
        assert ancestor_ids(department) == tree.ancestor_ids(department.pk) == walked
        below = {d.pk for d in Department.objects.all() if department.pk in tree.ancestor_ids(d.pk)}
        assert set(Department.objects.subtree_of(department).values_list("pk", flat=True)) == below


def test_asking_for_a_subtree_costs_one_query_however_deep_the_tree(bureau, django_assert_num_queries):
    top, *_ = bureau
    cache.clear()
    with django_assert_num_queries(2):  # the tree (not yet cached), then the departments
        assert len(list(Department.objects.subtree_of(top))) == 4


def test_the_tree_is_read_once_and_forgotten_when_a_department_changes(bureau, django_assert_num_queries):
    top, squad, unit, office = bureau
    department_tree()
    with django_assert_num_queries(0):
        assert department_tree().ancestor_ids(unit.pk) == [unit.pk, squad.pk, top.pk]
    unit.parent = office
    unit.save()
    assert department_tree().ancestor_ids(unit.pk) == [unit.pk, office.pk, top.pk]
    new = DepartmentFactory(name="新设处室", parent=unit)
    assert department_tree().ancestor_ids(new.pk) == [new.pk, unit.pk, office.pk, top.pk]
    new.delete()
    assert new.pk not in department_tree().subtrees
