"""The dashboard's filters (year, department, role), read from the query string and checked against the scope."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.utils import timezone

from organisation.validators import parse_year
from oversight.access import Scope
from oversight.figures import department_tree, role_choices
from oversight.years import planning_year, working_year

FIRST_YEAR = 2020


@dataclass(frozen=True)
class DashboardFilters:
    scope: Scope
    year: int
    department_id: int | None
    role: str
    departments: frozenset | None  # the effective set of department ids (None: whole bureau)
    department_options: tuple  # (id, indented name) the user may choose

    def query(self, **extra) -> str:
        """The query string for these filters plus ``extra`` (links to drill-down lists keep the filters)."""
        params = {"year": self.year}
        if self.department_id is not None:
            params["department"] = self.department_id
        if self.role:
            params["role"] = self.role
        params.update({key: value for key, value in extra.items() if value not in (None, "")})
        return urlencode(params)

    @property
    def department_name(self) -> str:
        for pk, name in self.department_options:
            if pk == self.department_id:
                return name.strip("　 ")
        return ""

    @property
    def scope_label(self) -> str:
        parts = [self.department_name + "（含下属单位）" if self.department_id else self.scope.label]
        if self.role:
            parts.append(self.role)
        return " · ".join(parts)


def year_choices() -> list[int]:
    """From the year being planned (next year in December) back five years."""
    today = timezone.localdate()
    return list(range(planning_year(today), max(FIRST_YEAR, today.year - 5) - 1, -1))


def parse_filters(request, scope: Scope) -> DashboardFilters:
    """No year or an unknown one opens the working year (``oversight.years``); unknown roles fall back to all;
    a department outside the scope is 404."""
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), lowest=FIRST_YEAR, highest=today.year + 1) or working_year(today)
    role = request.GET.get("role", "")
    if role not in {value for value, _ in role_choices()}:
        role = ""
    tree, subtrees = department_tree()
    options = tuple(
        (row["pk"], "　" * row["depth"] + row["name"])
        for row in tree
        if row["is_active"] and (scope.departments is None or row["pk"] in scope.departments)
    )
    department_id = None
    departments = scope.departments
    value = request.GET.get("department", "")
    if value:
        if not value.isdecimal() or int(value) not in {pk for pk, _ in options}:
            raise Http404("没有该处室，或无权查看。")
        department_id = int(value)
        departments = frozenset(subtrees.get(department_id, {department_id}))
        if scope.departments is not None:
            departments &= scope.departments
    return DashboardFilters(
        scope=scope,
        year=year,
        department_id=department_id,
        role=role,
        departments=departments,
        department_options=options,
    )
