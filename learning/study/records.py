"""A person's learning record (我的学习档案) for one year: what the page and the .xlsx show.

Other parts of learning plug into the record without editing this module:
- page sections: a provider registered for the ``organisation.panels.RECORD_PANELS`` Wagtail hook, where
  ``provider(request, person=<StaffProfile>, year=<int>)`` returns a ``Panel`` or None;
- spreadsheet sheets: ``register_record_sheet(fn)``, where ``fn(person, year)`` returns
  ``(sheet name, pandas.DataFrame)`` or None, added to the .xlsx download.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from django.db.models import Q
from django.utils import timezone

from learning.models.records import LearningRecord, LearningSource
from learning.study.models import (
    Attendance,
    CoursePage,
    ExternalTraining,
    GroupStudySession,
    LessonPage,
    LessonProgress,
)
from learning.study.sessions import attendance_label
from organisation.spreadsheets import write_xlsx

_sheet_providers: list[Callable] = []


def register_record_sheet(provider: Callable) -> Callable:
    """Add a sheet to every record .xlsx: ``provider(person, year) -> (name, DataFrame) | None``."""
    if provider not in _sheet_providers:
        _sheet_providers.append(provider)
    return provider


@dataclass
class RequiredCourseRow:
    course: CoursePage
    lessons: int
    completed: int
    credited_on: datetime.date | None
    overdue: bool

    @property
    def status(self) -> str:
        if self.credited_on:
            return "已完成"
        if self.overdue:
            return "已逾期"
        return f"学习中（{self.completed}/{self.lessons}）" if self.completed else "未开始"


@dataclass
class AttendanceRow:
    session: GroupStudySession
    status: str
    reason: str = ""


@dataclass
class RecordYear:
    person: object
    year: int
    hours_by_source: list[tuple[str, str, Decimal]] = field(default_factory=list)
    total: Decimal = Decimal("0")
    records: list = field(default_factory=list)
    required: list[RequiredCourseRow] = field(default_factory=list)
    attendance: list[AttendanceRow] = field(default_factory=list)
    external: list = field(default_factory=list)

    @property
    def corrections(self):
        return [record for record in self.records if record.reason]


def record_year(*, person, year: int, now=None) -> RecordYear:
    """Everything on a person's record for ``year``, in a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    user = person.user
    result = RecordYear(person=person, year=year)
    records = list(
        LearningRecord.objects.filter(user=user, year=year)
        .select_related("created_by__staff_profile", "corrects")
        .order_by("occurred_on", "pk")
    )
    result.records = records
    sums = {value: Decimal("0") for value in LearningSource.values}
    for record in records:
        sums[record.source] += record.hours
    result.hours_by_source = [(value, label, sums[value]) for value, label in LearningSource.choices]
    result.total = sum(sums.values(), Decimal("0"))
    result.required = _required_courses(user=user, year=year, today=today)
    result.attendance = _attendance(user=user, year=year, now=now)
    result.external = list(
        ExternalTraining.objects.filter(user=user, completed_on__year=year)
        .select_related("reviewer__staff_profile")
        .order_by("completed_on")
    )
    return result


def _required_courses(*, user, year, today) -> list[RequiredCourseRow]:
    courses = list(CoursePage.objects.live().assigned_to(user).required_in(year).order_by("due_date", "title"))
    if not courses:
        return []
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path)
    lessons: dict[int, set[int]] = {course.pk: set() for course in courses}
    by_path = {course.path: course.pk for course in courses}
    for pk, path in LessonPage.objects.live().filter(condition, depth=courses[0].depth + 1).values_list("pk", "path"):
        lessons[by_path[path[: -LessonPage.steplen]]].add(pk)
    done = set(
        LessonProgress.objects.filter(user=user, course__in=courses, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    credited = dict(
        LearningRecord.objects.filter(user=user, award_key__in=[c.award_key for c in courses]).values_list(
            "award_key", "occurred_on"
        )
    )
    rows = []
    for course in courses:
        credited_on = credited.get(course.award_key)
        rows.append(
            RequiredCourseRow(
                course=course,
                lessons=len(lessons[course.pk]),
                completed=len(lessons[course.pk] & done),
                credited_on=credited_on,
                overdue=bool(not credited_on and course.due_date and course.due_date < today),
            )
        )
    return rows


def _attendance(*, user, year, now) -> list[AttendanceRow]:
    sessions = list(GroupStudySession.objects.expected_of(user).of_year(year).order_by("starts_at", "pk"))
    marks = {a.session_id: a for a in Attendance.objects.filter(user=user, session__in=[s.pk for s in sessions])}
    rows = []
    for session in sessions:
        attendance = marks.get(session.pk)
        label = attendance_label(attendance=attendance, session=session, now=now)
        rows.append(AttendanceRow(session, label, attendance.reason if attendance is not None else ""))
    return rows


def record_xlsx(*, person, year: int, now=None) -> bytes:
    data = record_year(person=person, year=year, now=now)
    summary = pd.DataFrame(
        [{"来源": label, "学时": float(hours)} for _, label, hours in data.hours_by_source]
        + [{"来源": "合计", "学时": float(data.total)}]
    )
    ledger = pd.DataFrame(
        [
            {
                "日期": r.occurred_on,
                "来源": r.get_source_display(),
                "内容": r.title,
                "学时": float(r.hours),
                "更正原因": r.reason,
                "记录人": _name(r.created_by),
                "记录时间": r.created_at,
            }
            for r in data.records
        ],
        columns=["日期", "来源", "内容", "学时", "更正原因", "记录人", "记录时间"],
    )
    required = pd.DataFrame(
        [
            {
                "课程": row.course.title,
                "学时": float(row.course.credit_hours),
                "完成期限": row.course.due_date,
                "状态": row.status,
                "完成日期": row.credited_on,
            }
            for row in data.required
        ],
        columns=["课程", "学时", "完成期限", "状态", "完成日期"],
    )
    attendance = pd.DataFrame(
        [
            {
                "时间": row.session.starts_at,
                "类型": row.session.get_kind_display(),
                "主题": row.session.topic,
                "学时": float(row.session.credit_hours),
                "出勤": row.status,
                "请假事由": row.reason,
            }
            for row in data.attendance
        ],
        columns=["时间", "类型", "主题", "学时", "出勤", "请假事由"],
    )
    external = pd.DataFrame(
        [
            {
                "完成日期": t.completed_on,
                "类型": t.get_kind_display(),
                "名称": t.title,
                "举办单位": t.organiser,
                "学时": float(t.hours),
                "成绩": t.score,
                "状态": t.get_status_display(),
                "审核意见": t.review_reason,
            }
            for t in data.external
        ],
        columns=["完成日期", "类型", "名称", "举办单位", "学时", "成绩", "状态", "审核意见"],
    )
    sheets = {
        "学时汇总": summary,
        "学时明细": ledger,
        "必修课程": required,
        "集中学法": attendance,
        "上级培训与考试": external,
    }
    for provider in _sheet_providers:
        extra = provider(person, year)
        if extra is not None:
            name, frame = extra
            sheets[name] = frame
    return write_xlsx(sheets)


def _name(user) -> str:
    if user is None:
        return "系统"
    from organisation.models import display_name

    return display_name(user)


def may_read_others(user) -> bool:
    """Department heads and oversight read other people's records (which ones: StaffProfile.visible_to)."""
    return user.is_authenticated and (
        user.is_superuser
        or user.has_perm("organisation.view_all_records")
        or user.has_perm("organisation.view_department_records")
    )


def people_hours(*, profiles, year: int) -> list[tuple[object, Decimal]]:
    """(profile, hours in ``year``) for each profile, with one aggregate query."""
    profiles = list(profiles.select_related("department", "user"))
    totals = _totals(year, [p.user_id for p in profiles])
    return [(profile, totals.get(profile.user_id, Decimal("0"))) for profile in profiles]


def _totals(year, user_ids) -> dict[int, Decimal]:
    from django.db.models import Sum

    rows = (
        LearningRecord.objects.filter(year=year, user__in=user_ids)
        .values("user")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return {row["user"]: row["total"] for row in rows}
