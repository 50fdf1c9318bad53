"""Who heads a department: a person with the ``organisation.head_department`` permission (the 处室负责人 role
carries it) heads the department of their staff profile and the units below it.

The one rule every app asks (campaign approval, milestone assignees, weekly digests, record access), never a
group's display name. Superusers are not heads by virtue of being superusers: they approve everything anyway,
but they get no department digest and are not a department's default assignee.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

HEAD_PERMISSION = "organisation.head_department"


def granted(permission: str):
    """Active users granted ``permission`` ("app_label.codename") directly or through one of their groups.

    Superusers are not included for being superusers: this is who a task is addressed to, not who may do it.
    """
    app_label, codename = permission.split(".", 1)
    User = get_user_model()
    chosen = User.objects.filter(
        Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
        | Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename),
        is_active=True,
    )
    return User.objects.filter(pk__in=chosen.values("pk"))


def heads():
    """Active users who head a department (and have one)."""
    return granted(HEAD_PERMISSION).filter(staff_profile__department__isnull=False)


def is_head(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return heads().filter(pk=user.pk).exists()
    return user.has_perm(HEAD_PERMISSION)


def headed_departments(user):
    """The departments ``user`` heads (theirs and the units below it), or none."""
    from organisation.models import Department

    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    if profile is None or profile.department_id is None or not is_head(user):
        return Department.objects.none()
    return Department.objects.subtree_of(profile.department)
