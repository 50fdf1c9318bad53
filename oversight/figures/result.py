"""``YearFigures``: what one computation of a year's figures holds, and the drill-down lists read from it."""

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oversight.figures.exams import ExamMatrices
from oversight.figures.summary import BEHIND, COUNTS, IN_PROGRESS, summarise
from oversight.publicity import Publicity


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
            return summarise(0, dict.fromkeys(COUNTS, 0))
        return summarise(int(sizes.loc[keys].sum()), sums.loc[keys].sum())

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
