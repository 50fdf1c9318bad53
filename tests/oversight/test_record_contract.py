"""The contract between a person's learning record and the bureau's figures.

The record page (learning.study.records, learning.exams.record), the dashboard's people row
(oversight.figures) and the export's row (oversight.exports.people_frame) show the same person's
year: hours by source, required courses, exams taken and passed, group study attendance. The
person's own figures (``person_figures``: their start page's and record's target panel, computed
through learning's per-person rules) equal their dashboard row in every column. For every person of
a data set they must agree, field by field: here for a constructed year and the quick bench data
set; tests/demo/test_oversight.py runs ``assert_contract`` over the demo it seeds (one seeding for
both), at several moments of the year.
"""

import math
import random

import pytest

from django.utils import timezone

from learning.exams.record import exam_results
from learning.study.models import session_held
from learning.study.records import record_year
from learning.study.sessions import session_sign_in
from organisation.models import StaffProfile
from oversight.exports import PEOPLE_COLUMNS, people_frame
from oversight.figures import SOURCES, person_figures, year_figures
from tests.clock import SUITE_YEAR, at, on
from tests.learning.study_helpers import make_session
from tests.learning.test_audience import disagreements as audience_disagreements

pytestmark = pytest.mark.django_db

ATTENDANCE = {"已签到": "sessions_present", "请假": "sessions_leave", "缺席": "sessions_absent"}


def record_figures(profile, year, now) -> dict:
    """What the record page shows for ``profile``, as the dashboard's numbers."""
    record = record_year(person=profile, year=year, now=now)
    figures = {f"hours_{source}": round(float(hours), 2) for source, _, hours in record.hours_by_source}
    figures["hours"] = round(float(record.total), 2)
    figures["courses_required"] = len(record.required)
    figures["courses_done"] = sum(1 for row in record.required if row.credited_on)
    counts = dict.fromkeys(ATTENDANCE.values(), 0)
    for row in record.attendance:
        # Leave taken ahead of a session reads 请假 on the record; like a sign-in, it counts once the session is held.
        if row.status in ATTENDANCE and session_held(ends_at=row.session.ends_at, now=now):
            counts[ATTENDANCE[row.status]] += 1
    figures.update(counts)
    figures["sessions_expected"] = sum(counts.values())
    results = exam_results(user=profile.user, year=year)
    figures["exams_taken"] = sorted(result.exam_id for result in results)
    figures["exams_passed"] = sorted(result.exam_id for result in results if result.passed)
    return figures


def dashboard_figures(figures, row_index: int, year: int) -> dict:
    """The same numbers from the dashboard's people row (and its exam matrix)."""
    row = figures.people.iloc[row_index]
    result = {f"hours_{source}": round(float(row[f"hours_{source}"]), 2) for source in SOURCES}
    result["hours"] = round(float(row["hours"]), 2)
    for name in ("courses_required", "courses_done", *ATTENDANCE.values(), "sessions_expected"):
        result[name] = int(row[name])
    exams = figures.exam_matrix()
    this_year = [index for index, exam in enumerate(exams.rows) if exam["year"] == year]
    result["exams_taken"] = sorted(exams.ids[c] for c in this_year if exams.taken[row_index, c])
    result["exams_passed"] = sorted(
        exams.ids[c] for c in this_year if exams.taken[row_index, c] and exams.passed[row_index, c]
    )
    return result


def export_figures(export, row_index: int) -> dict:
    """The export's row, in the dashboard's names (exams are not a people column)."""
    row = export.iloc[row_index]
    names = {label: name for name, label in PEOPLE_COLUMNS.items()}
    result = {}
    for label, value in row.items():
        name = names[label]
        if name.startswith("hours_") and name[len("hours_") :] in SOURCES or name == "hours":
            result[name] = round(float(value), 2)
        elif name.startswith(("courses_required", "courses_done", "sessions_")):
            result[name] = int(value)
    return result


def assert_contract(year: int) -> int:
    now = timezone.now()
    figures = year_figures(year=year, now=now)
    export = people_frame(figures)
    profiles = StaffProfile.objects.select_related("user", "department").in_bulk(figures.people["profile_id"].tolist())
    disagreements = []
    for index, profile_id in enumerate(figures.people["profile_id"].tolist()):
        profile = profiles[profile_id]
        record = record_figures(profile, year, now)
        dashboard = dashboard_figures(figures, index, year)
        exported = export_figures(export, index)
        for name, value in record.items():
            if dashboard[name] != value:
                disagreements.append(f"{profile.real_name} {name}: record {value}, dashboard {dashboard[name]}")
            if name in exported and exported[name] != value:
                disagreements.append(f"{profile.real_name} {name}: record {value}, export {exported[name]}")
        disagreements += own_figures_disagreements(figures.people.iloc[index].to_dict(), profile, year, now)
    assert not disagreements, "\n".join(disagreements)
    return len(profiles)


def own_figures_disagreements(row: dict, profile, year: int, now) -> list[str]:
    """Where the person's own figures differ from their row of the bureau's, column by column."""
    own = person_figures(person=profile, year=year, now=now)
    if own is None:
        return [f"{profile.real_name}: no figures of their own"]
    if set(own.row) != set(row):
        return [f"{profile.real_name} columns: own {sorted(own.row)}, dashboard {sorted(row)}"]
    return [
        f"{profile.real_name} {name}: own {own.row[name]!r}, dashboard {value!r}"
        for name, value in row.items()
        if not _same(own.row[name], value)
    ]


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@pytest.mark.clock(at(11, 27, 17))
def test_the_contract_holds_for_a_person_who_joined_mid_year_and_a_cancelled_session(world, clock):
    """A session held before a person joined is not expected of them (not 缺席 on their record); a
    cancelled session counts for no one, even if someone had signed in before it was cancelled."""
    newcomer = world.user("staff")
    StaffProfile.objects.filter(user=newcomer).update(joined_on=on(6, 1))
    head = world.user("head")
    make_session(head, starts_at=at(4, 1, 9), topic="入职前的讲座")
    make_session(head, starts_at=at(7, 1, 9), topic="入职后缺席的讲座")
    named = make_session(head, starts_at=at(8, 1, 9), everyone=False, topic="点名参加的培训")
    named.invited_people.set([newcomer])
    by_department = make_session(head, starts_at=at(9, 1, 9), everyone=False, topic="处室集中学法")
    by_department.invited_departments.set([world.b])
    session_sign_in(
        session=by_department,
        user=world.user("other_staff"),
        method="qr",
        recorded_by=head,
        now=by_department.starts_at,
    )
    cancelled = make_session(head, starts_at=at(10, 1, 9), topic="取消的讲座")
    session_sign_in(session=cancelled, user=newcomer, method="qr", recorded_by=newcomer, now=cancelled.starts_at)
    cancelled.cancelled = True
    cancelled.save()
    make_session(head, starts_at=at(12, 20, 9), topic="尚未举行的讲座")

    assert assert_contract(SUITE_YEAR) == StaffProfile.objects.count()
    statuses = {
        row.session.topic: row.status
        for row in record_year(person=StaffProfile.objects.get(user=newcomer), year=SUITE_YEAR).attendance
    }
    assert statuses == {"入职后缺席的讲座": "缺席", "点名参加的培训": "缺席", "尚未举行的讲座": "未开始"}
    # In January the year is over: every session held, every window closed, the whole year elapsed.
    clock.move_to(at(1, 10, year=SUITE_YEAR + 1))
    assert assert_contract(SUITE_YEAR) == StaffProfile.objects.count()


def test_the_record_the_dashboard_and_the_export_agree_for_every_person_of_the_quick_bench_data_set(clock):
    """The quick bench data set's people, courses, group study (invited by department), ledger,
    targets and exams (the builders the figures read; the website, question bank and campaigns are
    left out)."""
    from bench import data

    sizes = data.SCALES["quick"]
    for builder in (data.build_organisation, data.build_learning, data.build_oversight, data.build_exam_results):
        builder(sizes, random.Random(f"20261127:{builder.__name__}"))
    assert assert_contract(clock.year) == sizes["staff"] + 3  # and the three role holders
    assert audience_disagreements(clock.year) == []
