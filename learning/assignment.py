"""Who a course or an exam is assigned to: everyone, departments, law-enforcement staff or named people.

Courses (Wagtail pages) and exams (models) both carry the same four fields, named as in
``ASSIGNMENT_FIELDS``; these functions turn them into the people concerned, with set-based
queries only. The rule is written twice, side by side, and tests/learning/test_audience.py
checks that both agree for every person of a data set:
- per person, as a queryset filter: ``assigned_to_filter(user)`` (``CoursePage.objects.assigned_to``,
  ``Exam.objects.assigned_to``);
- for many people at once, as a person × object matrix: ``assignment_matrix`` (oversight's figures).
Group study invitations (``GroupStudySession.objects.invited``) follow the same shape without the
law-enforcement flag, through ``audience_matrix`` (learning.study.expected).
"""

from collections import defaultdict

import numpy as np

from django.db.models import Q

from organisation.departments import department_tree
from organisation.models import StaffProfile

# The field names an assignable model must have:
#   assign_everyone: BooleanField
#   assign_enforcement_staff: BooleanField
#   assign_departments: ManyToMany to organisation.Department
#   assign_people: ManyToMany to the user model
ASSIGNMENT_FIELDS = ("assign_everyone", "assign_enforcement_staff", "assign_departments", "assign_people")


def assigned_to_filter(user, prefix: str = "") -> Q:
    """A Q for the objects (courses, exams) assigned to ``user``; ``prefix`` reaches them through a relation."""
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return Q(pk__in=[])
    condition = Q(**{f"{prefix}assign_everyone": True}) | Q(**{f"{prefix}assign_people": user})
    if profile.department_id:
        # Assigning a department covers the units below it, so a person is covered by their
        # own department and every one above it.
        condition |= Q(**{f"{prefix}assign_departments__in": ancestor_ids(profile.department)})
    if profile.is_law_enforcement:
        condition |= Q(**{f"{prefix}assign_enforcement_staff": True})
    return condition


def ancestor_ids(department) -> list[int]:
    """The department and every one above it: those whose assignment (or invitation) covers its people."""
    return department_tree().ancestor_ids(department.pk)


def assignees(obj):
    """The active staff an assignable object is assigned to."""
    staff = StaffProfile.objects.active()
    if obj.assign_everyone:
        return staff
    condition = Q(user__in=obj.assign_people.all())
    department_ids = list(obj.assign_departments.values_list("pk", flat=True))
    if department_ids:
        tree = department_tree()
        condition |= Q(department__in=set().union(*(tree.subtree_ids(pk) for pk in department_ids)))
    if obj.assign_enforcement_staff:
        condition |= Q(is_law_enforcement=True)
    return staff.filter(condition).distinct()


def links(model, field_name: str, ids) -> dict[int, set[int]]:
    """For the objects ``ids`` of ``model``, the ids held by its many-to-many ``field_name``; one query."""
    field = model._meta.get_field(field_name)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    result: dict[int, set[int]] = defaultdict(set)
    if ids:
        pairs = field.remote_field.through.objects.filter(**{f"{source}_id__in": list(ids)})
        for object_id, other_id in pairs.values_list(f"{source}_id", f"{target}_id"):
            result[object_id].add(other_id)
    return result


def audience_matrix(people, rows, *, everyone: str, departments, named, subtrees, enforcement: str = "") -> np.ndarray:
    """Person × object: whom each object (a ``.values()`` row with ``pk``) reaches: everyone (the
    ``everyone`` flag), law-enforcement staff (the ``enforcement`` flag), the people of its
    ``departments`` and the units below them (``subtrees``: department id → ids of its subtree), or
    by name (``named``). ``people`` has ``user_id``, ``department_key`` and ``is_law_enforcement``."""
    n = len(people)
    matrix = np.zeros((n, len(rows)), dtype=bool)
    department_keys = people["department_key"].to_numpy()
    user_ids = people["user_id"].to_numpy()
    is_enforcer = people["is_law_enforcement"].to_numpy(dtype=bool)
    for column, row in enumerate(rows):
        mask = np.full(n, bool(row[everyone]))
        if enforcement and row[enforcement]:
            mask |= is_enforcer
        covered = set().union(*(subtrees.get(d, {d}) for d in departments.get(row["pk"], ())))
        if covered:
            mask |= np.isin(department_keys, list(covered))
        if named.get(row["pk"]):
            mask |= np.isin(user_ids, list(named[row["pk"]]))
        matrix[:, column] = mask
    return matrix


def assignment_matrix(model, rows, people, subtrees, *, named_extra=None) -> np.ndarray:
    """Person × object for assignable ``rows`` of ``model`` (with ``pk`` and the two flags): the
    set-based ``assigned_to_filter``. ``named_extra`` (object id → user ids) adds people by name."""
    ids = [row["pk"] for row in rows]
    named = links(model, "assign_people", ids)
    for object_id, user_ids in (named_extra or {}).items():
        named[object_id] |= set(user_ids)
    return audience_matrix(
        people,
        rows,
        everyone="assign_everyone",
        enforcement="assign_enforcement_staff",
        departments=links(model, "assign_departments", ids),
        named=named,
        subtrees=subtrees,
    )
