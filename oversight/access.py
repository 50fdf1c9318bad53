"""Who sees which part of the oversight pages.

- 法治办/局党委 (``organisation.view_all_records``) and superusers: the whole bureau, the annual
  report, every responsibility letter. They read learning data and change none of it.
- 处室负责人 (``organisation.view_department_records``): their own department and the units below
  it (the same rule as ``StaffProfile.objects.visible_to``); its letter; exports of that scope.
- Everyone else: no dashboard at all.

Targets and letters are written in the Wagtail admin by whoever holds the model permissions
(granted to 法治办/局党委 in migration 0002): they are the committee's own decisions, not learning
data, so writing them does not break "oversight changes no learning data".
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from organisation.models import Department


@dataclass(frozen=True)
class Scope:
    departments: frozenset | None  # None: the whole bureau
    label: str

    @property
    def whole_bureau(self) -> bool:
        return self.departments is None


def may_view_all(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("organisation.view_all_records"))


def scope_for(user) -> Scope | None:
    """The departments whose figures ``user`` may read, or None when they may not use the dashboard."""
    if not user.is_authenticated:
        return None
    if may_view_all(user):
        return Scope(departments=None, label="全局")
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.department_id and user.has_perm("organisation.view_department_records"):
        ids = frozenset(Department.objects.subtree_of(profile.department).values_list("pk", flat=True))
        return Scope(departments=ids, label=f"{profile.department.name}（含下属单位）")
    return None


def may_view_dashboard(user) -> bool:
    if not user.is_authenticated:
        return False
    if may_view_all(user):
        return True
    profile = getattr(user, "staff_profile", None)
    return bool(profile and profile.department_id and user.has_perm("organisation.view_department_records"))


def require_scope(user) -> Scope:
    scope = scope_for(user)
    if scope is None:
        raise PermissionDenied
    return scope
