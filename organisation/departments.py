"""The department tree, read in one query: tree order with depth, each department's subtree and its ancestors.

The one way every app walks the tree (who a head oversees, whose assignments cover a person, which heads
approve a campaign, the dashboard's department list). The bureau has tens of departments, so the whole tree
is read at once and kept in the cache (shared by every process) until a department is saved or deleted;
what is asked of it never costs another query.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

CACHE_KEY = "organisation:department-tree:v1"
CACHE_SECONDS = 300  # a change that skipped the signals (QuerySet.update) shows within five minutes


@dataclass(frozen=True)
class DepartmentTree:
    rows: list[dict]  # every department in tree order (siblings by sort_order, name), each with its ``depth``
    subtrees: dict[int, set[int]]  # department id → its id and the ids of every unit below it
    parents: dict[int, int | None]

    def subtree_ids(self, department_id: int) -> set[int]:
        return self.subtrees.get(department_id, {department_id})

    def ancestor_ids(self, department_id: int) -> list[int]:
        """The department and every one above it, nearest first."""
        ids, current = [], department_id
        while current is not None and current not in ids:
            ids.append(current)
            current = self.parents.get(current)
        return ids


def department_tree() -> DepartmentTree:
    tree = cache.get(CACHE_KEY)
    if tree is None:
        tree = _read_tree()
        cache.set(CACHE_KEY, tree, CACHE_SECONDS)
    return tree


def forget_department_tree(**kwargs) -> None:
    """post_save/post_delete receiver of Department: now, and again once the change is committed (a request
    that read the old tree meanwhile must not keep it)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def _read_tree() -> DepartmentTree:
    from organisation.models import Department

    rows = list(Department.objects.values("pk", "name", "short_name", "parent_id", "sort_order", "is_active"))
    children = defaultdict(list)
    for row in rows:
        children[row["parent_id"]].append(row)
    for siblings in children.values():
        siblings.sort(key=lambda row: (row["sort_order"], row["name"]))
    ordered: list[dict] = []

    def walk(parent_id, depth):
        for row in children.get(parent_id, []):
            ordered.append({**row, "depth": depth})
            walk(row["pk"], depth + 1)

    walk(None, 0)
    subtrees: dict[int, set[int]] = {}
    for row in reversed(ordered):
        ids = {row["pk"]}
        for child in children.get(row["pk"], []):
            ids |= subtrees.get(child["pk"], {child["pk"]})
        subtrees[row["pk"]] = ids
    return DepartmentTree(rows=ordered, subtrees=subtrees, parents={row["pk"]: row["parent_id"] for row in rows})
