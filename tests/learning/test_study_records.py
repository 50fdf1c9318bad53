"""The learning record: year view, who may read it, the .xlsx, corrections, and query counts."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail import hooks

from learning.models import Attendance, LearningRecord
from learning.study import records as record_module
from learning.study.awards import learning_record_award, learning_record_correct
from learning.study.sessions import session_leave, session_sign_in
from organisation import panels
from organisation.panels import Panel
from tests.clock import SUITE_YEAR, at, on
from tests.factories import staff
from tests.learning.study_helpers import make_course, make_session, study_lesson
from tests.spreadsheets import assert_layout, column, render

# A year of study seen in late November: the spring's sessions are over, one required course overdue.
NOW = at(11, 27, 17)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def award(user, key, source, hours, day=None):
    return learning_record_award(
        user=user, award_key=key, source=source, title=f"记录 {key}", hours=Decimal(hours), occurred_on=day or on(5, 1)
    )[0]


def complete_course(user, course):
    for lesson in course.lessons():
        study_lesson(user, lesson, now=NOW)


@pytest.fixture
def year_of_study(world):
    person = world.user("staff")
    head = world.user("head")
    done = make_course(
        "已完成的必修课",
        lessons=1,
        credit_hours=Decimal("3"),
        is_required=True,
        assign_everyone=True,
        due_date=on(6, 30),
    )
    make_course("逾期的必修课", lessons=2, is_required=True, assign_everyone=True, due_date=on(3, 1))
    complete_course(person, done)
    past = make_session(head, starts_at=at(4, 1, 9), topic="局务会议学法")
    missed = make_session(head, starts_at=at(5, 1, 9), topic="缺席的讲座")
    leave = make_session(head, starts_at=at(6, 1, 9), topic="请假的培训")
    session_sign_in(session=past, user=person, method="qr", recorded_by=person, now=past.starts_at)
    session_leave(session=leave, user=person, reason="外出执法", recorded_by=head, now=leave.starts_at)
    award(person, "exam:1", "exam", "1.5")
    award(world.user("other_staff"), "exam:1", "exam", "9")
    return {"person": person, "missed": missed}


def test_my_record_shows_the_year_by_source_courses_attendance_and_ledger(client, world, year_of_study):
    client.force_login(world.user("staff"))
    response = client.get(reverse("study:record") + f"?year={SUITE_YEAR}")
    data = response.context["record"]
    assert {value: hours for value, _, hours in data.hours_by_source} == {
        "self_study": Decimal("3.00"),
        "group_study": Decimal("2.00"),
        "external": Decimal("0"),
        "exam": Decimal("1.50"),
    }
    assert data.total == Decimal("6.50")
    assert [(row.course.title, row.status) for row in data.required] == [
        ("逾期的必修课", "已逾期"),
        ("已完成的必修课", "已完成"),
    ]
    assert [(row.session.topic, row.status) for row in data.attendance] == [
        ("局务会议学法", "已签到"),
        ("缺席的讲座", "缺席"),
        ("请假的培训", "请假"),
    ]
    html = response.content.decode()
    assert "我的学习档案" in html and "外出执法" in html and "@media print" not in html
    assert "study.css" in html


def test_another_year_shows_only_that_year(client, world, year_of_study):
    client.force_login(world.user("staff"))
    data = client.get(reverse("study:record") + f"?year={SUITE_YEAR - 1}").context["record"]
    assert data.total == 0 and data.attendance == []


@pytest.mark.parametrize(
    ("viewer", "target", "status"),
    [
        ("staff", "other_staff", 404),  # someone else's record: not even its existence is told
        ("staff", "enforcer", 404),  # same department, but not a head
        ("head", "enforcer", 200),
        ("head", "other_staff", 404),  # another department
        ("oversight", "enforcer", 200),
        ("oversight", "other_staff", 200),
        ("publicity", "staff", 404),
        ("admin", "staff", 200),
    ],
)
def test_who_may_read_whose_record(client, world, viewer, target, status):
    client.force_login(world.user(viewer))
    person = world.user(target).staff_profile
    assert client.get(reverse("study:person_record", args=[person.pk])).status_code == status
    assert client.get(reverse("study:person_record_xlsx", args=[person.pk])).status_code == status


def test_the_head_sees_a_person_of_their_department_and_their_hours(client, world, year_of_study):
    client.force_login(world.user("head"))
    html = client.get(reverse("study:person_record", args=[world.user("staff").staff_profile.pk])).content.decode()
    assert "张三的学习档案" in html and "6.5" in html
    people = client.get(reverse("study:people")).content.decode()
    assert "张三" in people and "赵六" not in people


def test_the_xlsx_has_every_section_and_the_sheets_others_register(client, world, year_of_study):
    def exam_sheet(person, year):
        return "考试成绩", pd.DataFrame([{"考试": "年度学法考试", "成绩": 95, "年度": year}])

    record_module.register_record_sheet(exam_sheet)
    try:
        client.force_login(world.user("staff"))
        response = client.get(reverse("study:record_xlsx") + f"?year={SUITE_YEAR}")
    finally:
        record_module._sheet_providers.remove(exam_sheet)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["学时汇总", "学时明细", "必修课程", "集中学法", "上级培训与考试", "考试成绩"]
    summary = {row[0]: row[1] for row in workbook["学时汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["合计"] == 6.5 and summary["集中学法"] == 2
    assert workbook["考试成绩"]["B2"].value == 95


def test_the_record_xlsx_prints_on_a4_with_typed_dates_and_fitted_columns(client, world, year_of_study):
    """No column is left at ten characters: times fit (no ``###``), contents are not cut, and LibreOffice prints
    it on A4 (the PNGs are left in tests/artifacts/spreadsheets/record/)."""
    client.force_login(world.user("staff"))
    response = client.get(reverse("study:record_xlsx") + f"?year={SUITE_YEAR}")
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        assert_layout(sheet)
    ledger = workbook["学时明细"]
    widths = {cell.value: ledger.column_dimensions[cell.column_letter].width for cell in ledger[1]}
    assert widths["记录时间"] >= 17 and widths["内容"] > 10 and widths["学时"] < 10
    assert {cell.number_format for cell in column(ledger, "日期")} == {"yyyy-mm-dd"}
    assert {cell.number_format for cell in column(ledger, "记录时间")} == {"yyyy-mm-dd hh:mm"}
    assert {cell.number_format for cell in column(ledger, "学时")} == {"0.0"}
    attendance = workbook["集中学法"]
    assert {cell.number_format for cell in column(attendance, "时间")} == {"yyyy-mm-dd hh:mm"}
    render(response.content, "record")


def test_record_sections_registered_by_other_parts_appear_on_the_page(client, world):
    seen = {}

    def exams_section(request, *, person, year):
        seen.update(person=person, year=year)
        return Panel("learning/study/blocks/heading.html", {}, order=50)

    with hooks.register_temporarily(panels.RECORD_PANELS, exams_section):
        client.force_login(world.user("staff"))
        client.get(reverse("study:record") + f"?year={SUITE_YEAR - 1}")
    assert seen == {"person": world.user("staff").staff_profile, "year": SUITE_YEAR - 1}


def test_a_correction_is_a_new_row_with_a_reason_and_its_author(client, world, year_of_study):
    person = year_of_study["person"]
    original = LearningRecord.objects.get(user=person, source="group_study")
    corrector = staff("corrector", department=world.b)
    corrector.user_permissions.add(Permission.objects.get(codename="correct_learningrecord"))
    client.force_login(corrector)
    url = reverse("study:record_correct", args=[person.staff_profile.pk])
    # corrector is in department b and not a head: they cannot even see this person's record
    assert client.get(url).status_code == 404
    client.force_login(world.user("admin"))
    assert (
        client.post(
            url,
            {
                "corrects": original.pk,
                "source": "group_study",
                "hours": "-2",
                "occurred_on": on(4, 1).isoformat(),
                "reason": "",
            },
        ).status_code
        == 200
    )
    response = client.post(
        url,
        {
            "corrects": original.pk,
            "source": "group_study",
            "hours": "-2",
            "occurred_on": on(4, 1).isoformat(),
            "reason": "代签，经核实未参加",
        },
    )
    assert response.status_code == 302
    correction = LearningRecord.objects.get(corrects=original)
    assert (correction.hours, correction.reason, correction.created_by) == (
        Decimal("-2.00"),
        "代签，经核实未参加",
        world.user("admin"),
    )
    original.refresh_from_db()
    assert original.hours == Decimal("2.00")
    client.force_login(person)
    html = client.get(reverse("study:record") + f"?year={SUITE_YEAR}").content.decode()
    assert "代签，经核实未参加" in html
    assert client.get(reverse("study:record")).context["record"].total == Decimal("4.50")


def test_oversight_and_heads_cannot_correct_records(client, world, year_of_study):
    url = reverse("study:record_correct", args=[world.user("staff").staff_profile.pk])
    for role in ("oversight", "head", "staff"):
        client.force_login(world.user(role))
        assert (
            client.post(
                url, {"source": "exam", "hours": "5", "occurred_on": on(5, 1).isoformat(), "reason": "想加学时"}
            ).status_code
            == 403
        )
    assert not LearningRecord.objects.filter(reason="想加学时").exists()


def test_a_record_cannot_be_edited_or_deleted(year_of_study):
    record = LearningRecord.objects.filter(user=year_of_study["person"]).first()
    record.hours = Decimal("99")
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()


# Query counts -------------------------------------------------------------------------------


def busy_year(world, courses=8, sessions=12):
    person = world.user("staff")
    head = world.user("head")
    for n in range(courses):
        course = make_course(
            f"课程{n}", lessons=2, is_required=n % 2 == 0, assign_everyone=True, due_date=on(12, 1 + n)
        )
        if n % 3 == 0:
            complete_course(person, course)
    for n in range(sessions):
        session = make_session(head, starts_at=at(1 + n % 11, 3, 9), topic=f"学法{n}")
        if n % 2:
            session_sign_in(session=session, user=person, method="qr", recorded_by=person, now=session.starts_at)
    return person


def test_the_record_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    person = busy_year(world)
    client.force_login(person)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("study:record") + f"?year={SUITE_YEAR}")
    assert len(response.context["record"].records) == 3 + 6
    assert Attendance.objects.filter(user=person).count() == 6


def test_the_course_index_and_start_page_take_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    person = busy_year(world, courses=12, sessions=3)
    client.force_login(person)
    index_url = make_course("另一门", lessons=1).get_parent().url
    with django_assert_max_num_queries(25):
        response = client.get(index_url)
    assert len(response.context["assigned"]) == 12
    # The start page also carries the exams (2 queries), campaigns and oversight (1 query without
    # targets) panels: a fixed cost, not per course.
    with django_assert_max_num_queries(31):
        response = client.get("/")
    assert "我的课程" in response.content.decode()


def test_a_lesson_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    course = make_course("长课程", lessons=10, assign_everyone=True)
    client.force_login(world.user("staff"))
    lesson = list(course.lessons())[5]
    with django_assert_max_num_queries(30):
        assert client.get(lesson.url).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(course.url).status_code == 200


def test_the_people_list_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        user = staff(f"p{n}", department=world.a)
        award(user, f"exam:{n}", "exam", "1")
    client.force_login(world.user("oversight"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("study:people") + f"?year={SUITE_YEAR}")
    assert len(response.context["rows"]) == 30 + 8  # the world has eight staff


def test_a_correction_never_takes_away_more_than_the_record_holds(world, year_of_study):
    person = year_of_study["person"]
    original = LearningRecord.objects.get(user=person, source="group_study")  # 2 hours
    admin = world.user("admin")

    def correct(hours, **fields):
        return learning_record_correct(
            user=person,
            hours=Decimal(hours),
            reason="核实更正",
            created_by=admin,
            occurred_on=fields.pop("occurred_on", on(6, 1)),
            **fields,
        )

    with pytest.raises(ValidationError, match="冲减不能超过原记录现有的 2 学时"):
        correct("-3", corrects=original)
    correct("-1.5", corrects=original)
    with pytest.raises(ValidationError, match="冲减不能超过原记录现有的 0.5 学时"):
        correct("-1", corrects=original)
    # Without a record to correct, a reduction stops at the person's hours of that source and year.
    with pytest.raises(ValidationError, match="将为负数"):
        correct("-4", source="exam")
    assert LearningRecord.objects.filter(user=person, reason="核实更正").count() == 1
    assert LearningRecord.objects.filter(user=person, year=SUITE_YEAR).hours() == Decimal("5.00")


def test_a_correction_counts_in_the_year_and_source_of_the_record_it_corrects(client, world, year_of_study, clock):
    person = year_of_study["person"]
    original = LearningRecord.objects.get(user=person, source="group_study")
    client.force_login(world.user("admin"))
    url = reverse("study:record_correct", args=[person.staff_profile.pk])
    data = {"corrects": original.pk, "source": "group_study", "hours": "-2", "reason": "代签，经核实未参加"}
    response = client.post(url, {**data, "occurred_on": on(1, 5, year=SUITE_YEAR + 1).isoformat()})
    assert response.status_code == 200 and f"须计入原记录所在的 {SUITE_YEAR} 年度" in response.content.decode()
    response = client.post(url, {**data, "source": "exam", "occurred_on": on(12, 30).isoformat()})
    assert "来源须与原记录一致（集中学法）" in response.content.decode()
    assert not LearningRecord.objects.filter(corrects=original).exists()
    clock.move_to(at(1, 5, 10, year=SUITE_YEAR + 1))  # early next year, correcting last year
    client.force_login(world.user("admin"))  # a session of this (travelled) time
    form = client.get(f"{url}?record={original.pk}").context["form"]
    clock.move_to(NOW)
    assert form.initial["occurred_on"] == original.occurred_on
    assert client.post(url, {**data, "occurred_on": on(12, 30).isoformat()}).status_code == 302
    assert LearningRecord.objects.filter(user=person, year=SUITE_YEAR, source="group_study").hours() == 0


def test_the_record_xlsx_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    person = busy_year(world)
    client.force_login(world.user("head"))
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("study:person_record_xlsx", args=[person.staff_profile.pk]) + f"?year={SUITE_YEAR}"
        )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["学时明细"].max_row == 1 + 3 + 6
    assert workbook["集中学法"].max_row == 1 + 12
