"""Who a course or an exam is assigned to: everyone, departments, law-enforcement staff or named people.

Courses (Wagtail pages) and exams (models) both carry the same four fields, named as in
``AssignmentFields``; these functions turn them into the people concerned, with set-based
queries only.
"""

from django.db.models import Q

from organisation.models import Department, StaffProfile

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
        condition |= Q(**{f"{prefix}assign_departments__in": _ancestor_ids(profile.department)})
    if profile.is_law_enforcement:
        condition |= Q(**{f"{prefix}assign_enforcement_staff": True})
    return condition


def _ancestor_ids(department) -> list[int]:
    ids = []
    current = department
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def assignees(obj):
    """The active staff an assignable object is assigned to."""
    staff = StaffProfile.objects.active()
    if obj.assign_everyone:
        return staff
    condition = Q(user__in=obj.assign_people.all())
    department_ids = list(obj.assign_departments.values_list("pk", flat=True))
    if department_ids:
        below = set()
        for department in Department.objects.filter(pk__in=department_ids):
            below |= set(Department.objects.subtree_of(department).values_list("pk", flat=True))
        condition |= Q(department__in=below)
    if obj.assign_enforcement_staff:
        condition |= Q(is_law_enforcement=True)
    return staff.filter(condition).distinct()
