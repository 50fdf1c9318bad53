"""A year's study figures: one computation that the dashboard, the exports, the annual report, the
responsibility letters and the reminders all read, so every number agrees wherever it is shown.

``year_figures`` runs a fixed number of set-based queries (``.values()`` of people, memberships,
targets, courses and their assignment, course credit, hours by person and source, sessions,
invitations, attendance, exams and results, hours by day, campaigns' outcomes) whatever the
number of people, and does the rest with pandas and numpy: person × course, person × exam and
person × session boolean matrices (oversight.exam_figures, oversight.publicity). The year's
ledger sums are cached while the ledger is unchanged (oversight.ledger).

Definitions (the same everywhere):
- People counted in a year: active accounts with a staff profile who had joined by the year's end
  and had not left by then (``left_on`` on or before 31 December excludes them from that year).
- Hours: the sum of the person's ``LearningRecord`` rows of that year, corrections included.
- Required courses: see oversight.targets; a course counts as done once its credit was awarded.
- Group study: sessions of the year that were not cancelled and have ended. A person was expected
  (应到) when invited (everyone, their department or one above it, or by name) and already in post
  that day, or when an attendance row exists for them; attendance rate = present ÷ expected, so
  leave (请假) counts as expected but not present.
- Exams: a required exam counts once passed (``ExamResult.passed``); participation and pass rates
  per exam are those of learning.exams.services.statistics.
- Status: 已达标 when every requirement is met; 落后 when hours are below the time-share of the
  target (completed months in post ÷ months in post), a required course is past its due date, a
  required exam is not passed after its last window (resit, personal arrangement) closed, or
  attendance is below the required rate; otherwise 进行中. People with no target: 未设目标.
"""

import datetime
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from learning.models import LearningRecord, LearningSource
from learning.study.models import Attendance, AttendanceStatus, CoursePage, GroupStudySession, SessionKind
from organisation import roles
from organisation.models import Department, StaffProfile
from oversight import ledger
from oversight import targets as target_rules
from oversight.arrays import lookup, names, rate
from oversight.exam_figures import ExamMatrices, exam_frame, exam_matrices
from oversight.publicity import Publicity, publicity_figures

ENFORCEMENT = "执法人员"
NON_ENFORCEMENT = "非执法人员"
MET, BEHIND, IN_PROGRESS, NO_TARGET = "已达标", "落后", "进行中", "未设目标"
STATUSES = [MET, IN_PROGRESS, BEHIND, NO_TARGET]
NO_DEPARTMENT = 0
NO_DEPARTMENT_NAME = "未分配处室"
SOURCES = [value for value, _ in LearningSource.choices]
SOURCE_LABELS = dict(LearningSource.choices)
SMALL_SCOPE = 500
CRITERIA = {"hours": "学时", "courses": "必修课程", "exams": "考试", "attendance": "集中学法出勤"}


def department_tree() -> tuple[list[dict], dict[int, set[int]]]:
    """All departments in tree order (with ``depth``), and each one's subtree of ids; one query."""
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
    return ordered, subtrees


# Per-person counts whose sums make every summary (see ``aggregate``); computed once per person.
COUNTS = [
    "has_target",
    "_met",
    "_behind",
    "_in_progress",
    "_no_target",
    "_hours_required",
    "_hours_met",
    "_attended",
    "hours",
    *(f"hours_{source}" for source in SOURCES),
    "courses_required",
    "courses_done",
    "courses_completed_in_year",
    "sessions_expected",
    "sessions_present",
    "sessions_leave",
    "exams_required",
    "exams_taken",
    "exams_passed",
]


def _summary(staff: int, sums) -> dict:
    """Rates and totals from the summed COUNTS of ``staff`` people."""
    hours_total = round(float(sums["hours"]), 2)
    summary = {
        "staff": staff,
        "with_target": int(sums["has_target"]),
        "met": int(sums["_met"]),
        "behind": int(sums["_behind"]),
        "in_progress": int(sums["_in_progress"]),
        "no_target": int(sums["_no_target"]),
        "hours_total": hours_total,
        "hours_average": round(hours_total / staff, 1) if staff else None,
        "hours_required": int(sums["_hours_required"]),
        "hours_met": int(sums["_hours_met"]),
        "courses_required": int(sums["courses_required"]),
        "courses_done": int(sums["courses_done"]),
        "courses_completed_in_year": int(sums["courses_completed_in_year"]),
        "sessions_expected": int(sums["sessions_expected"]),
        "sessions_present": int(sums["sessions_present"]),
        "sessions_leave": int(sums["sessions_leave"]),
        "attendees": int(sums["_attended"]),
        "exams_required": int(sums["exams_required"]),
        "exams_taken": int(sums["exams_taken"]),
        "exams_passed": int(sums["exams_passed"]),
    }
    for source in SOURCES:
        summary[f"hours_{source}"] = round(float(sums[f"hours_{source}"]), 2)
    summary["met_rate"] = rate(summary["met"], summary["with_target"])
    summary["hours_met_rate"] = rate(summary["hours_met"], summary["hours_required"])
    summary["course_rate"] = rate(summary["courses_done"], summary["courses_required"])
    summary["attendance_rate"] = rate(summary["sessions_present"], summary["sessions_expected"])
    summary["exam_participation_rate"] = rate(summary["exams_taken"], summary["exams_required"])
    summary["exam_pass_rate"] = rate(summary["exams_passed"], summary["exams_taken"])
    return summary


def aggregate(people: pd.DataFrame) -> dict:
    """The summary numbers of a group of people: one definition for departments, totals and letters."""
    if not len(people):
        return _summary(0, dict.fromkeys(COUNTS, 0))
    return _summary(len(people), people[COUNTS].sum())


@dataclass
class YearFigures:
    year: int
    as_of: datetime.date
    role: str
    departments: frozenset | None  # the scope (None: the whole bureau)
    all_people: pd.DataFrame  # everyone in the scope, before the role filter (letters use this)
    people: pd.DataFrame  # after the role filter: what the dashboard, exports and report show
    department_rows: list[dict]
    sessions: pd.DataFrame
    courses: pd.DataFrame
    exams: pd.DataFrame
    monthly: pd.DataFrame
    totals: dict
    targets: list = field(default_factory=list)
    subtrees: dict = field(default_factory=dict)
    publicity: Publicity | None = None
    # Matrices aligned with ``all_people`` rows, for drill-down lists.
    _session_ids: list = field(default_factory=list, repr=False)
    _expected: np.ndarray | None = field(default=None, repr=False)
    _present: np.ndarray | None = field(default=None, repr=False)
    _leave: np.ndarray | None = field(default=None, repr=False)
    _course_ids: list = field(default_factory=list, repr=False)
    _required: np.ndarray | None = field(default=None, repr=False)
    _done: np.ndarray | None = field(default=None, repr=False)
    _role_mask: np.ndarray | None = field(default=None, repr=False)
    _exams: ExamMatrices | None = field(default=None, repr=False)
    _by_department: tuple | None = field(default=None, repr=False)

    def department_summary(self, department_id: int) -> dict:
        """``aggregate`` of a department and the units below it, over all its people (no role filter)."""
        if self._by_department is None:
            people = self.all_people
            self._by_department = (
                people.groupby("department_key")[COUNTS].sum(),
                people["department_key"].value_counts(),
            )
        sums, sizes = self._by_department
        keys = [key for key in self.subtrees.get(department_id, {department_id}) if key in sums.index]
        if not keys:
            return _summary(0, dict.fromkeys(COUNTS, 0))
        return _summary(int(sizes.loc[keys].sum()), sums.loc[keys].sum())

    @property
    def has_targets(self) -> bool:
        return bool(self.targets)

    def select(
        self,
        *,
        status: str = "",
        criterion: str = "",
        course_id: int | None = None,
        exam_id: int | None = None,
        department_id: int | None = None,
        query: str = "",
    ) -> pd.DataFrame:
        """People for a drill-down list: by status (a STATUSES value, or "未达标" for not met), by the
        criterion they miss, by a required course they have not completed, by department, by name."""
        frame = self.people
        mask = np.ones(len(frame), dtype=bool)
        if status == "未达标":
            mask &= (frame["status"] == BEHIND) | (frame["status"] == IN_PROGRESS)
        elif status:
            mask &= frame["status"] == status
        if criterion == "hours":
            mask &= ~frame["hours_ok"]
        elif criterion == "courses":
            mask &= frame["courses_required"] > frame["courses_done"]
        elif criterion == "attendance":
            mask &= ~frame["attendance_ok"]
        elif criterion == "exams":
            mask &= frame["exams_required"] > frame["exams_passed"]
        if course_id is not None and course_id in self._course_ids:
            column = self._course_ids.index(course_id)
            required = self._required[self._role_mask][:, column]
            done = self._done[self._role_mask][:, column]
            mask &= required & ~done
        if exam_id is not None and self._exams is not None and exam_id in self._exams.ids:
            column = self._exams.ids.index(exam_id)
            mask &= (self._exams.required & ~self._exams.passed)[self._role_mask][:, column]
        if department_id is not None:
            mask &= frame["department_key"].isin(self.subtrees.get(department_id, {department_id}))
        if query:
            mask &= frame["name"].str.contains(query, regex=False) | (frame["employee_no"] == query)
        return frame[mask]

    def exam_matrix(self) -> ExamMatrices | None:
        """The person × exam matrices for the people shown (rows aligned with ``people``)."""
        exams = self._exams
        if exams is None:
            return None
        mask = self._role_mask
        return ExamMatrices(
            ids=exams.ids,
            titles=exams.titles,
            rows=exams.rows,
            assigned=exams.assigned[mask],
            required=exams.required[mask],
            taken=exams.taken[mask],
            passed=exams.passed[mask],
            awaiting=exams.awaiting[mask],
            percent=exams.percent[mask],
            over=exams.over[mask],
        )

    def exam_scores(self) -> pd.DataFrame:
        """One row per exam and person shown who was assigned it or sat it: took part, score, passed."""
        columns = [
            "exam_id",
            "exam",
            "profile_id",
            "employee_no",
            "name",
            "department",
            "assigned",
            "required",
            "taken",
            "percent",
            "passed",
            "awaiting",
        ]
        exams = self._exams
        if exams is None or not exams.ids:
            return pd.DataFrame(columns=columns)
        mask = self._role_mask
        assigned, taken = exams.assigned[mask], exams.taken[mask]
        rows, cols = np.nonzero(assigned | taken)
        people = self.people
        order = np.lexsort((rows, cols))  # by exam, then in the people's order
        rows, cols = rows[order], cols[order]
        return pd.DataFrame(
            {
                "exam_id": np.array(exams.ids)[cols],
                "exam": np.array(exams.titles, dtype=object)[cols],
                "profile_id": people["profile_id"].to_numpy()[rows],
                "employee_no": people["employee_no"].to_numpy()[rows],
                "name": people["name"].to_numpy()[rows],
                "department": people["department"].to_numpy()[rows],
                "assigned": assigned[rows, cols],
                "required": exams.required[mask][rows, cols],
                "taken": taken[rows, cols],
                "percent": exams.percent[mask][rows, cols],
                "passed": exams.passed[mask][rows, cols],
                "awaiting": exams.awaiting[mask][rows, cols],
            },
            columns=columns,
        )

    def session_roster(self, session_id: int) -> list[dict]:
        """Everyone expected at a held session in the scope, with what they did (签到/请假/缺席)."""
        if session_id not in self._session_ids:
            return []
        column = self._session_ids.index(session_id)
        expected = self._expected[self._role_mask][:, column]
        present = self._present[self._role_mask][:, column]
        leave = self._leave[self._role_mask][:, column]
        rows = []
        people = self.people.reset_index(drop=True)
        for index in np.flatnonzero(expected | present | leave):
            person = people.iloc[index]
            status = "已签到" if present[index] else ("请假" if leave[index] else "缺席")
            rows.append(
                {
                    "profile_id": int(person["profile_id"]),
                    "name": person["name"],
                    "employee_no": person["employee_no"],
                    "department": person["department"],
                    "status": status,
                }
            )
        return rows


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
    return _role_queryset(_people_scope(year, departments, None), role)


def role_choices() -> list[tuple[str, str]]:
    """The role filter's options: enforcement staff or not, then every role except plain 职工."""
    return [("", "全部人员"), (ENFORCEMENT, ENFORCEMENT), (NON_ENFORCEMENT, NON_ENFORCEMENT)] + [
        (name, name) for name in roles.ALL_ROLES if name != roles.STAFF
    ]


def _role_queryset(scope, role: str):
    if role == ENFORCEMENT:
        return scope.filter(is_law_enforcement=True)
    if role == NON_ENFORCEMENT:
        return scope.filter(is_law_enforcement=False)
    if role:
        return scope.filter(user__groups__name=role)
    return scope


@contextmanager
def without_cycle_collection():
    """Build large results with Python's cycle collector paused.

    The figures (and the workbook openpyxl builds from them) create hundreds of thousands of
    short-lived objects; each burst of allocations makes the collector walk every object in the
    process again, which cost 0.2 s of the dashboard's 0.6 s at 5,000 people. Reference counting
    still frees everything at once; the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def year_figures(**kwargs) -> YearFigures:
    """The figures of a year (see ``compute_year_figures`` for the arguments), built with the cycle collector paused."""
    with without_cycle_collection():
        return compute_year_figures(**kwargs)


def compute_year_figures(
    *,
    year: int,
    departments=None,
    role: str = "",
    profiles=None,
    now: datetime.datetime | None = None,
    people_only: bool = False,
) -> YearFigures:
    """The figures of ``year`` for the people in ``departments`` (ids; None for all) and ``role``.

    ``profiles`` (StaffProfile ids) narrows the computation to a few people; with ``people_only``
    (a start-page panel) the department rows, monthly hours and publicity are left out.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    year_end = datetime.date(year, 12, 31)
    as_of = min(today, year_end)
    tree, subtrees = department_tree()
    department_names = {row["pk"]: row["name"] for row in tree}
    tree_position = {row["pk"]: index for index, row in enumerate(tree)}
    scope = _people_scope(year, departments, profiles)

    columns = ["pk", "user_id", "employee_no", "real_name", "department_id", "is_law_enforcement", "joined_on"]
    people = pd.DataFrame.from_records(list(scope.order_by().values_list(*columns)), columns=columns)
    people = people.rename(columns={"pk": "profile_id", "real_name": "name"})
    people["department_key"] = people["department_id"].fillna(NO_DEPARTMENT).astype(int)
    people["department"] = people["department_key"].map(department_names).fillna(NO_DEPARTMENT_NAME)
    people["_order"] = people["department_key"].map(tree_position).fillna(len(tree)).astype(int)
    people = people.sort_values(["_order", "employee_no"], kind="stable").reset_index(drop=True)
    people["is_law_enforcement"] = people["is_law_enforcement"].astype(bool)
    n = len(people)
    # Later queries name the people: by id when they are few (a panel, a department), else by subquery.
    scope_users = people["user_id"].tolist() if n <= SMALL_SCOPE else scope.values("user_id")
    position = dict(zip(people["user_id"].tolist(), range(n), strict=True))

    # Roles -------------------------------------------------------------------------------------
    membership = get_user_model().groups.through
    members: dict[int, set[int]] = defaultdict(set)
    members_by_name: dict[str, set[int]] = defaultdict(set)
    user_roles: dict[int, list[str]] = defaultdict(list)
    for user_id, group_id, group_name in membership.objects.filter(user_id__in=scope_users).values_list(
        "user_id", "group_id", "group__name"
    ):
        members[group_id].add(user_id)
        members_by_name[group_name].add(user_id)
        if group_name != roles.STAFF:
            user_roles[user_id].append(group_name)
    people["roles"] = [("、".join(sorted(user_roles.get(u, [])))) for u in people["user_id"]]

    # Targets -----------------------------------------------------------------------------------
    specs = target_rules.load_targets(year)
    resolved = target_rules.resolve(specs, people, members=members, subtrees=subtrees)
    months = target_rules.months_in_post(people["joined_on"], year)
    share = target_rules.elapsed_share(people["joined_on"], year, today)
    people["months_in_post"] = months
    people["targets"] = resolved.labels
    people["has_target"] = resolved.has_target
    people["hours_target"] = np.round(resolved.base_hours * months / 12.0, 1)
    people["attendance_required"] = resolved.min_rate

    # Hours ---------------------------------------------------------------------------------------
    # The whole bureau's sums by person and source come from oversight.ledger, cached for as long
    # as the year's ledger is unchanged; a department's view uses them when cached, else asks for
    # its own people; a start-page panel always asks for its person only.
    whole_bureau = departments is None and profiles is None
    year_sums = None if people_only else ledger.ledger_year(year, compute=whole_bureau)
    if year_sums is not None:
        ledger_rows = year_sums.by_person
    else:
        ledger_rows = ledger.person_sums(LearningRecord.objects.filter(year=year, user_id__in=scope_users))
    hours = np.zeros((n, len(SOURCES)))
    courses_in_year = np.zeros(n, dtype=int)
    source_column = {source: index for index, source in enumerate(SOURCES)}
    if ledger_rows:
        user_of, source_of, totals, credited = zip(*ledger_rows, strict=True)
        r, c = lookup(user_of, position), lookup(source_of, source_column)
        keep = (r >= 0) & (c >= 0)  # the whole bureau's query also returns people not counted this year
        np.add.at(hours, (r[keep], c[keep]), np.array([float(v or 0) for v in totals])[keep])
        np.add.at(courses_in_year, r[keep], np.array(credited, dtype=int)[keep])
    for source, column in source_column.items():
        people[f"hours_{source}"] = np.round(hours[:, column], 2)
    people["hours"] = np.round(hours.sum(axis=1), 2)
    people["courses_completed_in_year"] = courses_in_year
    target_hours = people["hours_target"].to_numpy()
    people["hours_ok"] = np.isnan(target_hours) | (people["hours"].to_numpy() >= target_hours)
    people["hours_short"] = np.round(np.where(people["hours_ok"], 0.0, target_hours - people["hours"]), 2)
    people["hours_expected_now"] = np.round(target_hours * share, 1)
    hours_behind = ~people["hours_ok"].to_numpy() & (people["hours"].to_numpy() < np.nan_to_num(target_hours * share))

    # Required courses ------------------------------------------------------------------------------
    course_rows = list(
        CoursePage.objects.live()
        .filter(
            Q(is_required=True, due_date__year=year)
            | Q(is_required=True, due_date__isnull=True)
            | Q(pk__in=resolved.course_ids)
        )
        .order_by(F("due_date").asc(nulls_last=True), "title", "pk")
        .values("pk", "title", "due_date", "credit_hours", "is_required", "assign_everyone", "assign_enforcement_staff")
    )
    course_ids = [row["pk"] for row in course_rows]
    course_column = {pk: index for index, pk in enumerate(course_ids)}
    course_departments: dict[int, set[int]] = defaultdict(set)
    course_people: dict[int, set[int]] = defaultdict(set)
    if course_ids:
        for course_id, department_id in CoursePage.assign_departments.through.objects.filter(
            coursepage_id__in=course_ids
        ).values_list("coursepage_id", "department_id"):
            course_departments[course_id].add(department_id)
        for course_id, user_id in CoursePage.assign_people.through.objects.filter(
            coursepage_id__in=course_ids
        ).values_list("coursepage_id", "user_id"):
            course_people[course_id].add(user_id)
    is_enforcer = people["is_law_enforcement"].to_numpy(dtype=bool)
    assigned = np.zeros((n, len(course_ids)), dtype=bool)
    for index, row in enumerate(course_rows):
        mask = np.full(n, bool(row["assign_everyone"]))
        if row["assign_enforcement_staff"]:
            mask |= is_enforcer
        covered = set().union(*(subtrees.get(d, {d}) for d in course_departments[row["pk"]]))
        if covered:
            mask |= people["department_key"].isin(covered).to_numpy()
        if course_people[row["pk"]]:
            mask |= people["user_id"].isin(course_people[row["pk"]]).to_numpy()
        assigned[:, index] = mask
    assigned_required = np.array(
        [bool(row["is_required"]) and (row["due_date"] is None or row["due_date"].year == year) for row in course_rows],
        dtype=bool,
    )
    required = assigned & assigned_required[None, :] & resolved.include_assigned[:, None]
    for target_column, course_id in enumerate(resolved.course_ids):
        if course_id in course_column:
            required[:, course_column[course_id]] |= resolved.target_courses[:, target_column]
    done = np.zeros((n, len(course_ids)), dtype=bool)
    if course_ids:
        keys = {f"course:{pk}": pk for pk in course_ids}
        # Excluding blank keys lets SQLite use the partial unique index on (user, award_key).
        credited = LearningRecord.objects.filter(award_key__in=keys, user_id__in=scope_users).exclude(award_key="")
        for user_id, key in credited.order_by().values_list("user_id", "award_key"):
            index = position.get(user_id)
            if index is not None:
                done[index, course_column[keys[key]]] = True
    due = [row["due_date"] or year_end for row in course_rows]
    past_due = np.array([day < as_of for day in due], dtype=bool)
    missing = required & ~done
    people["courses_required"] = required.sum(axis=1)
    people["courses_done"] = (required & done).sum(axis=1)
    people["courses_overdue"] = (missing & past_due[None, :]).sum(axis=1)
    titles = [row["title"] for row in course_rows]
    people["courses_missing"] = names(missing, titles)

    # Exams -----------------------------------------------------------------------------------------
    exams = exam_matrices(year, people, position, resolved, subtrees, scope_users, now)
    people["exams_required"] = exams.required.sum(axis=1)
    people["exams_taken"] = (exams.required & exams.taken).sum(axis=1)
    people["exams_passed"] = (exams.required & exams.passed).sum(axis=1)
    people["exams_overdue"] = (exams.required & ~exams.passed & exams.over).sum(axis=1)
    not_sat = names(exams.required & ~exams.taken, exams.titles, prefix="未参加考试：")
    failed = names(exams.required & exams.taken & ~exams.passed, exams.titles, prefix="考试未合格：")
    people["exams_missing"] = ["；".join(part for part in pair if part) for pair in zip(not_sat, failed, strict=True)]

    # Group study -----------------------------------------------------------------------------------
    tz = timezone.get_current_timezone()
    sessions_query = GroupStudySession.objects.filter(
        starts_at__gte=datetime.datetime(year, 1, 1, tzinfo=tz),
        starts_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=tz),
        cancelled=False,
    )
    session_rows = list(
        sessions_query.order_by("starts_at", "pk").values(
            "pk", "kind", "topic", "starts_at", "ends_at", "place", "credit_hours", "invite_everyone"
        )
    )
    session_ids = [row["pk"] for row in session_rows]
    session_column = {pk: index for index, pk in enumerate(session_ids)}
    s = len(session_ids)
    invited = np.zeros((n, s), dtype=bool)
    present = np.zeros((n, s), dtype=bool)
    leave = np.zeros((n, s), dtype=bool)
    if s:
        session_departments: dict[int, set[int]] = defaultdict(set)
        session_people: dict[int, set[int]] = defaultdict(set)
        for session_id, department_id in GroupStudySession.invited_departments.through.objects.filter(
            groupstudysession_id__in=session_ids
        ).values_list("groupstudysession_id", "department_id"):
            session_departments[session_id].add(department_id)
        for session_id, user_id in GroupStudySession.invited_people.through.objects.filter(
            groupstudysession_id__in=session_ids
        ).values_list("groupstudysession_id", "user_id"):
            session_people[session_id].add(user_id)
        joined = np.array(
            [
                np.datetime64(d, "D") if d is not None and not pd.isna(d) else np.datetime64("NaT")
                for d in people["joined_on"]
            ],
            dtype="datetime64[D]",
        )
        never_joined = np.isnat(joined)
        department_keys = people["department_key"].to_numpy()
        user_ids = people["user_id"].to_numpy()
        for index, row in enumerate(session_rows):
            mask = np.full(n, bool(row["invite_everyone"]))
            covered = set().union(*(subtrees.get(d, {d}) for d in session_departments[row["pk"]]))
            if covered:
                mask |= np.isin(department_keys, list(covered))
            if session_people[row["pk"]]:
                mask |= np.isin(user_ids, list(session_people[row["pk"]]))
            day = np.datetime64(timezone.localdate(row["starts_at"]), "D")
            invited[:, index] = mask & (never_joined | (joined <= day))
        marks = Attendance.objects.filter(session_id__in=session_ids)
        if not whole_bureau:  # the whole bureau's marks are all wanted; those of people not counted are skipped
            marks = marks.filter(user_id__in=scope_users)
        marks = list(marks.order_by().values_list("session_id", "user_id", "status"))
        if marks:
            session_of, user_of, status = zip(*marks, strict=True)
            rows_, columns_ = lookup(user_of, position), lookup(session_of, session_column)
            status = np.array(status, dtype=object)
            for flag, matrix in ((AttendanceStatus.PRESENT, present), (AttendanceStatus.LEAVE, leave)):
                keep = (rows_ >= 0) & (status == flag)
                matrix[rows_[keep], columns_[keep]] = True
    held = np.array([row["ends_at"] <= now for row in session_rows], dtype=bool)
    expected = (invited | present | leave) & held[None, :]
    present_held = present & held[None, :]
    leave_held = leave & held[None, :]
    people["sessions_expected"] = expected.sum(axis=1)
    people["sessions_present"] = present_held.sum(axis=1)
    people["sessions_leave"] = leave_held.sum(axis=1)
    people["sessions_absent"] = people["sessions_expected"] - people["sessions_present"] - people["sessions_leave"]
    with np.errstate(divide="ignore", invalid="ignore"):
        attendance_rate = np.where(
            people["sessions_expected"] > 0,
            np.round(100.0 * people["sessions_present"] / people["sessions_expected"].replace(0, 1), 1),
            np.nan,
        )
    people["attendance_rate"] = attendance_rate
    required_rate = people["attendance_required"].to_numpy()
    attendance_ok = (
        np.isnan(required_rate)
        | np.isnan(attendance_rate)
        | (np.nan_to_num(attendance_rate) >= np.nan_to_num(required_rate))
    )
    people["attendance_ok"] = attendance_ok

    # Status --------------------------------------------------------------------------------------
    courses_ok = people["courses_required"].to_numpy() == people["courses_done"].to_numpy()
    exams_ok = people["exams_required"].to_numpy() == people["exams_passed"].to_numpy()
    met = people["hours_ok"].to_numpy() & courses_ok & exams_ok & attendance_ok
    overdue = (people["courses_overdue"].to_numpy() > 0) | (people["exams_overdue"].to_numpy() > 0)
    behind = ~met & (hours_behind | overdue | ~attendance_ok)
    has_target = people["has_target"].to_numpy()
    people["met"] = met & has_target
    people["status"] = np.select([~has_target, met, behind], [NO_TARGET, MET, BEHIND], default=IN_PROGRESS).astype(
        object
    )
    people["missing"] = [
        _missing_text(row) if row["status"] in (BEHIND, IN_PROGRESS) else ""
        for row in people[
            [
                "status",
                "hours_ok",
                "hours",
                "hours_target",
                "hours_short",
                "courses_missing",
                "exams_missing",
                "attendance_ok",
                "attendance_rate",
                "attendance_required",
            ]
        ].to_dict("records")
    ]
    people = people.drop(columns=["_order"])
    status = people["status"].to_numpy()
    people["_met"] = (status == MET).astype(int)
    people["_behind"] = (status == BEHIND).astype(int)
    people["_in_progress"] = (status == IN_PROGRESS).astype(int)
    people["_no_target"] = (status == NO_TARGET).astype(int)
    people["_hours_required"] = people["hours_target"].notna().astype(int)
    people["_hours_met"] = (people["hours_ok"] & people["hours_target"].notna()).astype(int)
    people["_attended"] = (people["sessions_present"] > 0).astype(int)
    people["has_target"] = people["has_target"].astype(bool)

    # The role filter ------------------------------------------------------------------------------
    if role == ENFORCEMENT:
        role_mask = is_enforcer
    elif role == NON_ENFORCEMENT:
        role_mask = ~is_enforcer
    elif role:
        role_mask = people["user_id"].isin(members_by_name.get(role, set())).to_numpy()
    else:
        role_mask = np.ones(n, dtype=bool)
    shown = people[role_mask].reset_index(drop=True)

    # Departments, sessions, courses, months (of the people shown) ---------------------------------
    department_rows = [] if people_only else _department_rows(shown, tree, departments, subtrees)
    sessions = pd.DataFrame(
        {
            "session_id": session_ids,
            "starts_at": [row["starts_at"] for row in session_rows],
            "kind": [row["kind"] for row in session_rows],
            "kind_label": [dict(SessionKind.choices).get(row["kind"], row["kind"]) for row in session_rows],
            "topic": [row["topic"] for row in session_rows],
            "place": [row["place"] for row in session_rows],
            "credit_hours": [float(row["credit_hours"]) for row in session_rows],
            "held": held,
            "expected": expected[role_mask].sum(axis=0) if s else [],
            "present": present_held[role_mask].sum(axis=0) if s else [],
            "leave": leave_held[role_mask].sum(axis=0) if s else [],
        }
    )
    if s:
        sessions["absent"] = sessions["expected"] - sessions["present"] - sessions["leave"]
        sessions["rate"] = [
            rate(p, e) if h else None
            for p, e, h in zip(sessions["present"], sessions["expected"], sessions["held"], strict=True)
        ]
    else:
        sessions["absent"], sessions["rate"] = [], []
    courses = pd.DataFrame(
        {
            "course_id": course_ids,
            "title": titles,
            "due_date": [row["due_date"] for row in course_rows],
            "credit_hours": [float(row["credit_hours"]) for row in course_rows],
            "required": required[role_mask].sum(axis=0) if course_ids else [],
            "done": (required & done)[role_mask].sum(axis=0) if course_ids else [],
            "overdue": (missing & past_due[None, :])[role_mask].sum(axis=0) if course_ids else [],
        }
    )
    courses["rate"] = [rate(d, r) for d, r in zip(courses["done"], courses["required"], strict=True)]
    monthly = _monthly(_month_totals(year, scope, role, whole_bureau, year_sums, skip=people_only))
    totals = aggregate(shown)
    totals.update(_session_totals(sessions))
    return YearFigures(
        year=year,
        as_of=as_of,
        role=role,
        departments=departments,
        all_people=people,
        people=shown,
        department_rows=department_rows,
        sessions=sessions,
        courses=courses,
        exams=exam_frame(exams, role_mask, now),
        monthly=monthly,
        totals=totals,
        targets=specs,
        subtrees=subtrees,
        publicity=None if people_only else publicity_figures(year, departments),
        _session_ids=session_ids,
        _expected=expected,
        _present=present_held,
        _leave=leave_held,
        _course_ids=course_ids,
        _required=required,
        _done=done,
        _role_mask=role_mask,
        _exams=exams,
    )


def _missing_text(row: dict) -> str:
    parts = []
    if not row["hours_ok"]:
        parts.append(
            f"学时差 {_number(row['hours_short'])}（已完成 {_number(row['hours'])}/{_number(row['hours_target'])}）"
        )
    if row["courses_missing"]:
        parts.append(f"未完成必修课程：{row['courses_missing']}")
    if row["exams_missing"]:
        parts.append(row["exams_missing"])
    if not row["attendance_ok"]:
        parts.append(
            f"集中学法出勤率 {_number(row['attendance_rate'])}%（要求 {_number(row['attendance_required'])}%）"
        )
    return "；".join(parts)


def _number(value) -> str:
    """1.50 → "1.5", 40.0 → "40"."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _department_rows(people: pd.DataFrame, tree: list[dict], departments, subtrees: dict[int, set[int]]) -> list[dict]:
    """One row per department in the scope, in tree order, counting the units below it as its filter,
    its drill-down lists and its letter do (``has_units`` marks such rows); a department without
    staff says so."""
    sums = people.groupby("department_key")[COUNTS].sum() if len(people) else None
    sizes = people["department_key"].value_counts() if len(people) else None
    empty = dict.fromkeys(COUNTS, 0)
    rows = []
    for department in tree:
        pk = department["pk"]
        if departments is not None and pk not in departments:
            continue
        subtree = subtrees.get(pk, {pk})
        if departments is not None:
            subtree = subtree & departments
        keys = [key for key in subtree if sums is not None and key in sums.index]
        staff = int(sizes.loc[keys].sum()) if keys else 0
        if not department["is_active"] and not staff:
            continue
        rows.append(
            {
                "department_id": pk,
                "name": department["name"],
                "short_name": department["short_name"] or department["name"],
                "depth": department["depth"],
                "has_units": len(subtree) > 1,
                **_summary(staff, sums.loc[keys].sum() if keys else empty),
            }
        )
    if sizes is not None and NO_DEPARTMENT in sizes.index:
        rows.append(
            {
                "department_id": NO_DEPARTMENT,
                "name": NO_DEPARTMENT_NAME,
                "short_name": NO_DEPARTMENT_NAME,
                "depth": 0,
                "has_units": False,
                **_summary(int(sizes.loc[NO_DEPARTMENT]), sums.loc[NO_DEPARTMENT]),
            }
        )
    return rows


def _session_totals(sessions: pd.DataFrame) -> dict:
    held = sessions[sessions["held"]] if len(sessions) else sessions
    by_kind = {label: 0 for _, label in SessionKind.choices}
    for label, count in held["kind_label"].value_counts().items() if len(held) else []:
        by_kind[label] = int(count)
    return {
        "sessions_held": len(held),
        "sessions_planned": len(sessions) - len(held),
        "sessions_by_kind": by_kind,
        "session_attendances": int(held["present"].sum()) if len(held) else 0,
        "session_leaves": int(held["leave"].sum()) if len(held) else 0,
        "session_expected": int(held["expected"].sum()) if len(held) else 0,
        "session_hours": round(float(held["credit_hours"].sum()), 1) if len(held) else 0.0,
    }


def _month_totals(year: int, scope, role: str, whole_bureau: bool, year_sums, *, skip: bool):
    """Hours per month and source of the people shown: for the whole bureau, the cached sums less
    the few accounts not counted (left, disabled, no staff profile); otherwise the shown people's rows."""
    if skip:
        return np.zeros((12, len(SOURCES)))
    if whole_bureau and not role and year_sums is not None:
        not_counted = get_user_model().objects.exclude(pk__in=scope.values("user_id")).values("pk")
        others = ledger.day_sums(LearningRecord.objects.filter(year=year, user_id__in=not_counted))
        return ledger.month_totals(year_sums.by_day, SOURCES) - ledger.month_totals(others, SOURCES)
    shown = _role_queryset(scope, role).values("user_id")
    return ledger.month_totals(ledger.day_sums(LearningRecord.objects.filter(year=year, user_id__in=shown)), SOURCES)


def _monthly(totals: np.ndarray) -> pd.DataFrame:
    """Hours per month (rows) and source (columns), with the month's total and the running total."""
    frame = pd.DataFrame(totals, index=pd.RangeIndex(1, 13, name="month"), columns=SOURCES).round(2)
    frame["total"] = frame[SOURCES].sum(axis=1).round(2)
    frame["cumulative"] = frame["total"].cumsum().round(2)
    return frame.reset_index()
