"""People and targets: who is counted in a year, their departments and roles, and the targets that apply.

People counted in a year: active accounts with a staff profile who had joined by the year's end and
had not left by then (``left_on`` on or before 31 December excludes them from that year).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from django.contrib.auth import get_user_model
from django.utils import timezone

from organisation import roles
from organisation.departments import department_tree as organisation_department_tree
from organisation.models import StaffProfile
from oversight import targets as target_rules
from oversight.figures.summary import ENFORCEMENT, NO_DEPARTMENT, NO_DEPARTMENT_NAME, NON_ENFORCEMENT

SMALL_SCOPE = 500
PEOPLE_COLUMNS = ["pk", "user_id", "employee_no", "real_name", "department_id", "is_law_enforcement", "joined_on"]


def department_tree() -> tuple[list[dict], dict[int, set[int]]]:
    """All departments in tree order (with ``depth``), and each one's subtree of ids; one query."""
    tree = organisation_department_tree()
    return tree.rows, tree.subtrees


def _people_scope(year: int, departments, profiles):
    year_end = datetime.date(year, 12, 31)
    scope = (
        StaffProfile.objects.filter(user__is_active=True).exclude(left_on__lte=year_end).exclude(joined_on__gt=year_end)
    )
    if departments is not None:
        scope = scope.filter(department_id__in=departments)
    if profiles is not None:
        scope = scope.filter(pk__in=profiles)
    return scope


def people_queryset(*, year: int, departments=None, role: str = ""):
    """The StaffProfiles counted in ``year`` for this scope and role (for lists that query rows directly)."""
    return role_queryset(_people_scope(year, departments, None), role)


def role_choices() -> list[tuple[str, str]]:
    """The role filter's options: enforcement staff or not, then every role except plain 职工."""
    return [("", "全部人员"), (ENFORCEMENT, ENFORCEMENT), (NON_ENFORCEMENT, NON_ENFORCEMENT)] + [
        (name, name) for name in roles.ALL_ROLES if name != roles.STAFF
    ]


def role_queryset(scope, role: str):
    if role == ENFORCEMENT:
        return scope.filter(is_law_enforcement=True)
    if role == NON_ENFORCEMENT:
        return scope.filter(is_law_enforcement=False)
    if role:
        return scope.filter(user__groups__name=role)
    return scope


@dataclass
class Scope:
    """The people of one computation, in tree order, and how later queries name them."""

    year: int
    now: datetime.datetime
    today: datetime.date
    as_of: datetime.date  # today, or the year's end for a past year
    departments: frozenset | None
    whole_bureau: bool  # no department or profile filter: the ledger's cached sums apply
    tree: list[dict]
    subtrees: dict[int, set[int]]
    query: object  # the StaffProfile queryset
    people: pd.DataFrame
    users: object  # the people's user ids: a list when few, else a subquery
    position: dict[int, int]  # user id → row


def load_scope(*, year: int, departments, profiles, now) -> Scope:
    """The people counted in ``year`` for ``departments`` and ``profiles``, sorted by department and number."""
    today = timezone.localdate(now)
    tree, subtrees = department_tree()
    query = _people_scope(year, departments, profiles)
    people = pd.DataFrame.from_records(list(query.order_by().values_list(*PEOPLE_COLUMNS)), columns=PEOPLE_COLUMNS)
    people = people.rename(columns={"pk": "profile_id", "real_name": "name"})
    people["department_key"] = people["department_id"].fillna(NO_DEPARTMENT).astype(int)
    people["department"] = people["department_key"].map({row["pk"]: row["name"] for row in tree})
    people["department"] = people["department"].fillna(NO_DEPARTMENT_NAME)
    order = people["department_key"].map({row["pk"]: index for index, row in enumerate(tree)}).fillna(len(tree))
    people = people.assign(_order=order.astype(int)).sort_values(["_order", "employee_no"], kind="stable")
    people = people.drop(columns=["_order"]).reset_index(drop=True)
    people["is_law_enforcement"] = people["is_law_enforcement"].astype(bool)
    n = len(people)
    return Scope(
        year=year,
        now=now,
        today=today,
        as_of=min(today, datetime.date(year, 12, 31)),
        departments=departments,
        whole_bureau=departments is None and profiles is None,
        tree=tree,
        subtrees=subtrees,
        query=query,
        people=people,
        # Later queries name the people: by id when they are few (a panel, a department), else by subquery.
        users=people["user_id"].tolist() if n <= SMALL_SCOPE else query.values("user_id"),
        position=dict(zip(people["user_id"].tolist(), range(n), strict=True)),
    )


def load_roles(scope: Scope) -> tuple[dict[int, set[int]], dict[str, set[int]], dict[int, list[str]]]:
    """Group memberships of the people: members by group id and by name, and each person's roles."""
    members: dict[int, set[int]] = defaultdict(set)
    members_by_name: dict[str, set[int]] = defaultdict(set)
    user_roles: dict[int, list[str]] = defaultdict(list)
    membership = get_user_model().groups.through.objects.filter(user_id__in=scope.users)
    for user_id, group_id, group_name in membership.values_list("user_id", "group_id", "group__name"):
        members[group_id].add(user_id)
        members_by_name[group_name].add(user_id)
        if group_name != roles.STAFF:
            user_roles[user_id].append(group_name)
    return members, members_by_name, user_roles


def target_columns(people: pd.DataFrame, resolved, *, year: int) -> dict:
    """Each person's targets: labels, whether any applies, months in post, hours due and attendance rate."""
    months = target_rules.months_in_post(people["joined_on"], year)
    return {
        "months_in_post": months,
        "targets": resolved.labels,
        "has_target": resolved.has_target,
        "hours_target": np.round(resolved.base_hours * months / 12.0, 1),
        "attendance_required": resolved.min_rate,
    }


def role_mask(people: pd.DataFrame, role: str, members_by_name: dict[str, set[int]]) -> np.ndarray:
    """The people shown for ``role``: enforcement staff or not, a group's members, or everyone."""
    is_enforcer = people["is_law_enforcement"].to_numpy(dtype=bool)
    if role == ENFORCEMENT:
        return is_enforcer
    if role == NON_ENFORCEMENT:
        return ~is_enforcer
    if role:
        return people["user_id"].isin(members_by_name.get(role, set())).to_numpy()
    return np.ones(len(people), dtype=bool)
