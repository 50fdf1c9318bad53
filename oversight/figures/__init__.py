"""A year's study figures: one computation that the dashboard, the exports, the annual report, the
responsibility letters and the reminders all read, so every number agrees wherever it is shown.

One module per criterion, each a function over the people's frame and matrices: people and targets
(``people``), hours (``hours``), required courses (``courses``), exams (``exams``), group study
(``sessions``) and status (``status``); ``summary`` sums them for groups, ``result`` holds them
(``YearFigures``) and ``compute`` runs them in order. Who is assigned, invited and expected is
learning's rule (learning.assignment, learning.exams.assignment, learning.study.expected), the
same one the learning record uses.

``person_figures`` is one person's row of them, for their own pages, through learning's per-person
rules (oversight.figures.person).

``year_figures`` runs a fixed number of set-based queries (``.values()`` of people, memberships,
targets, courses and their assignment, course credit, hours by person and source, sessions,
invitations, attendance, exams and results, hours by day, campaigns' outcomes) whatever the
number of people, and does the rest with pandas and numpy: person × course, person × exam and
person × session boolean matrices (oversight.figures.exams, oversight.publicity). The year's
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

from oversight.figures.compute import compute_year_figures, without_cycle_collection, year_figures
from oversight.figures.exams import ExamMatrices
from oversight.figures.people import SMALL_SCOPE, department_tree, people_queryset, role_choices
from oversight.figures.person import PersonFigures, person_figures
from oversight.figures.result import YearFigures
from oversight.figures.summary import (
    BEHIND,
    COUNTS,
    CRITERIA,
    ENFORCEMENT,
    IN_PROGRESS,
    MET,
    NO_DEPARTMENT,
    NO_DEPARTMENT_NAME,
    NO_TARGET,
    NON_ENFORCEMENT,
    SOURCE_LABELS,
    SOURCES,
    STATUSES,
    aggregate,
)

__all__ = [
    "BEHIND",
    "COUNTS",
    "CRITERIA",
    "ENFORCEMENT",
    "IN_PROGRESS",
    "MET",
    "NON_ENFORCEMENT",
    "PersonFigures",
    "NO_DEPARTMENT",
    "NO_DEPARTMENT_NAME",
    "NO_TARGET",
    "SMALL_SCOPE",
    "SOURCES",
    "SOURCE_LABELS",
    "STATUSES",
    "ExamMatrices",
    "YearFigures",
    "aggregate",
    "compute_year_figures",
    "department_tree",
    "people_queryset",
    "person_figures",
    "role_choices",
    "without_cycle_collection",
    "year_figures",
]
