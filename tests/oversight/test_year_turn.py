"""The turn of the year for the committee: last year's report season, the new year one click away,
marking the report done, and the new year's targets and letters copied from last year's once."""

import datetime
import re
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from organisation import roles
from oversight.models import LetterItem, Measure, ReportCompletion, ResponsibilityLetter, StudyTarget
from oversight.rollover import targets_copy_year
from oversight.years import planning_year, report_mark_done, working_year
from tests.clock import SUITE_YEAR, at, nth_weekday, on
from tests.factories import DepartmentFactory, UserFactory
from tests.learning.exam_helpers import make_exam
from tests.learning.study_helpers import make_course
from tests.oversight import helpers as h

pytestmark = pytest.mark.django_db

LAST = SUITE_YEAR  # "last year", seen from January of the year after the suite's
NEW = SUITE_YEAR + 1


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def committee(db):
    return UserFactory(username="committee", roles=[roles.OVERSIGHT])


@pytest.fixture
def department(db):
    return DepartmentFactory(name="执法队", is_law_enforcement=True)


@pytest.fixture
def last_year(department):
    """Last year's targets (with a course and an exam) and the department's letter."""
    course = make_course("宪法学习", lessons=1, credit_hours=Decimal("2"), is_required=True, assign_everyone=True)
    exam = make_exam(title="年度学法考试", opens_at=at(11, 1, year=LAST), closes_at=at(11, 30, year=LAST))
    everyone = h.target("everyone", year=LAST, required_hours=Decimal("40"), courses=[course], exams=[exam])
    enforcement = h.target("enforcement", year=LAST, required_hours=Decimal("60"), min_attendance_rate=80)
    letter = h.letter(
        department,
        ("学法目标达标", Measure.TARGET_MET_RATE, 60, 100),
        ("集中学法出勤", Measure.ATTENDANCE_RATE, 40, 80),
        year=LAST,
    )
    letter.title = f"执法队{LAST}年度法治建设目标责任书"
    letter.signed_on = on(2, 20, year=LAST)
    letter.save()
    return {"course": course, "exam": exam, "everyone": everyone, "enforcement": enforcement, "letter": letter}


@pytest.mark.parametrize(
    ("day", "done", "expected"),
    [
        (on(12, 31, year=LAST), False, LAST),
        (on(1, 1, year=NEW), False, LAST),
        (on(2, 28, year=NEW), False, LAST),
        (on(3, 1, year=NEW), False, NEW),
        (on(1, 2, year=NEW), True, NEW),
        (on(7, 1, year=NEW), False, NEW),
    ],
)
def test_the_working_year_is_last_year_until_its_report_is_done_or_march_begins(
    day, done, expected, committee, last_year
):
    if done:
        ReportCompletion.objects.create(year=LAST, done_by=committee, done_at=at(1, 2, year=NEW))
    assert working_year(day) == expected


def test_a_last_year_without_targets_has_no_report_season():
    """A bureau that starts on the platform in January (or a demo seeded then) works on the new year."""
    assert working_year(on(1, 2, year=NEW)) == NEW


def test_targets_are_planned_for_next_year_in_december_only():
    assert planning_year(on(11, 30)) == SUITE_YEAR
    assert planning_year(on(12, 1)) == SUITE_YEAR + 1
    assert planning_year(on(1, 2, year=NEW)) == NEW


@pytest.mark.clock(at(1, 2, year=NEW), tick=False)
def test_in_january_the_dashboard_export_and_report_open_on_last_year_with_the_new_year_one_click_away(
    client, committee, last_year, django_assert_max_num_queries
):
    client.force_login(committee)
    with django_assert_max_num_queries(40):  # the same bound as any other day's dashboard
        page = text(client.get(reverse("oversight:dashboard")))
    assert f"<h1>{LAST} 年度学法情况</h1>" in page
    assert f'href="/oversight/?year={NEW}">查看 {NEW} 年度 →</a>' in page
    assert f"标记 {LAST} 年度报告已完成" in page
    export = client.get(reverse("oversight:export_xlsx"))
    assert f"oversight-{LAST}.xlsx" in export["Content-Disposition"]
    report = text(client.get(reverse("oversight:report")))
    assert f'<option value="{LAST}" selected>' in report
    assert f'href="/oversight/report/?year={NEW}">查看 {NEW} 年度 →</a>' in report
    new_year = text(client.get(reverse("oversight:dashboard"), {"year": NEW}))
    assert f"<h1>{NEW} 年度学法情况</h1>" in new_year and "查看 " not in new_year


@pytest.mark.clock(at(1, 2, year=NEW), tick=False)
def test_marking_last_years_report_done_turns_the_dashboard_to_the_new_year_and_records_who(
    client, committee, last_year
):
    client.force_login(committee)
    response = client.post(reverse("oversight:report_done"), {"year": LAST})
    assert response.status_code == 302
    completion = ReportCompletion.objects.get()
    assert (completion.year, completion.done_by, completion.done_at) == (LAST, committee, at(1, 2, year=NEW))
    page = text(client.get(reverse("oversight:dashboard")))
    assert f"<h1>{NEW} 年度学法情况</h1>" in page
    assert f"已标记 {LAST} 年度报告完成" in page
    last = text(client.get(reverse("oversight:dashboard"), {"year": LAST}))
    assert f"正在查看 {LAST} 年度（年度报告已由committee于 {NEW}年1月2日 标记完成）" in last
    assert f"标记 {LAST} 年度报告已完成" not in last
    client.post(reverse("oversight:report_done"), {"year": LAST})  # a second press changes nothing
    assert ReportCompletion.objects.get() == completion


@pytest.mark.clock(at(1, 2, year=NEW), tick=False)
def test_a_year_not_yet_over_cannot_be_marked_done_and_hostile_years_store_nothing(client, committee):
    client.force_login(committee)
    for value in (str(NEW), "１９９９", "-1", "9" * 5000, ""):
        response = client.post(reverse("oversight:report_done"), {"year": value}, follow=True)
        assert response.status_code == 200
    assert f"{NEW} 年度尚未结束，不能标记年度报告已完成。" in text(
        client.post(reverse("oversight:report_done"), {"year": NEW}, follow=True)
    )
    assert not ReportCompletion.objects.exists()


@pytest.mark.clock(at(1, 2, year=NEW), tick=False)
def test_a_department_head_sees_last_year_but_may_not_mark_its_report_done(client, department, last_year):
    head = h.person("head", department=department, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    client.force_login(head)
    page = text(client.get(reverse("oversight:dashboard")))
    assert f"<h1>{LAST} 年度学法情况</h1>" in page and f"查看 {NEW} 年度" in page
    assert "标记 " not in page and "复制上一年度目标" not in page
    with pytest.raises(PermissionDenied):
        report_mark_done(year=LAST, user=head, now=at(1, 2, year=NEW))


@pytest.mark.clock(at(1, 2, year=NEW), tick=False)
def test_staff_see_the_new_years_target_on_their_start_page_from_the_first_of_january(client, department):
    h.target("everyone", year=LAST, required_hours=Decimal("40"), include_assigned_courses=False)
    h.target("everyone", year=NEW, required_hours=Decimal("48"), include_assigned_courses=False)
    person = h.person("staff", department=department, joined_on=on(1, 1, year=LAST - 5))
    h.credit(person, 3, on=on(1, 2, year=NEW))
    client.force_login(person)
    page = text(client.get("/"))
    assert f"{NEW} 年度学法目标" in page and f"{LAST} 年度学法目标" not in page
    assert "<strong>3</strong> / 48 学时" in page


def test_copying_last_years_targets_creates_the_new_years_targets_and_letters_once(committee, last_year):
    result = targets_copy_year(year=NEW, user=committee)

    assert (result.targets, result.letters, result.skipped_exams) == (2, 1, 1)
    assert "已从" in result.summary() and "请为新年度重新选择" in result.summary()
    everyone = StudyTarget.objects.get(year=NEW, scope="everyone")
    assert everyone.required_hours == Decimal("40")
    assert list(everyone.required_courses.all()) == [last_year["course"]]
    assert not everyone.required_exams.exists()  # last year's exam is not this year's
    enforcement = StudyTarget.objects.get(year=NEW, scope="enforcement")
    assert (enforcement.required_hours, enforcement.min_attendance_rate) == (Decimal("60"), 80)
    letter = ResponsibilityLetter.objects.get(year=NEW)
    assert letter.title == f"执法队{NEW}年度法治建设目标责任书"
    assert letter.signed_on is None and letter.signatory == "负责人"
    assert list(letter.items.values_list("name", "measure", "weight", "target_value")) == list(
        last_year["letter"].items.values_list("name", "measure", "weight", "target_value")
    )

    everyone.required_hours = Decimal("50")  # edited afterwards, and pressing again keeps the edit
    everyone.save()
    again = targets_copy_year(year=NEW, user=committee)
    assert again.created == 0 and "未重复创建" in again.summary()
    assert StudyTarget.objects.filter(year=NEW).count() == 2
    assert StudyTarget.objects.get(year=NEW, scope="everyone").required_hours == Decimal("50")
    assert ResponsibilityLetter.objects.filter(year=NEW).count() == 1
    assert LetterItem.objects.filter(letter__year=NEW).count() == 2
    assert StudyTarget.objects.filter(year=LAST).count() == 2  # last year's untouched


def test_copying_adds_only_what_the_new_year_lacks_and_leaves_out_people_who_left(committee, department, last_year):
    gone = h.person("gone", department=department)
    h.target("person", year=LAST, person=gone, required_hours=Decimal("10"))
    gone.is_active = False
    gone.save()
    h.target("everyone", year=NEW, required_hours=Decimal("45"))  # already set by hand

    result = targets_copy_year(year=NEW, user=committee)

    assert result.targets == 1  # the enforcement target only
    assert StudyTarget.objects.get(year=NEW, scope="everyone").required_hours == Decimal("45")
    assert not StudyTarget.objects.filter(year=NEW, scope="person").exists()


def test_only_those_who_set_targets_may_copy_them(department, last_year):
    for role in (roles.STAFF, roles.DEPARTMENT_HEAD, roles.PUBLICITY):
        with pytest.raises(PermissionDenied):
            targets_copy_year(year=NEW, user=UserFactory(roles=[role]))
    with pytest.raises(ValidationError):
        targets_copy_year(year=1999, user=UserFactory(roles=[roles.OVERSIGHT]))
    assert not StudyTarget.objects.filter(year=NEW).exists()


@pytest.mark.clock(at(12, 2), tick=False)
def test_in_december_the_committee_presses_copy_once_on_the_dashboard(client, committee, last_year):
    """In December the button fills next year; after one press it is gone and a second post adds nothing."""
    year = SUITE_YEAR + 1
    client.force_login(committee)
    page = text(client.get(reverse("oversight:dashboard")))
    assert "复制上一年度目标" in page and f'name="year" value="{year}"' in page
    assert f'<option value="{year}">{year} 年</option>' in page  # next year is in the year filter
    response = client.post(reverse("oversight:copy_targets"), {"year": year})
    assert response.status_code == 302 and response["Location"] == f"/admin/oversight_targets/?year={year}"
    assert StudyTarget.objects.filter(year=year).count() == 2
    assert "复制上一年度目标" not in text(client.get(reverse("oversight:dashboard")))
    client.post(reverse("oversight:copy_targets"), {"year": year})
    assert StudyTarget.objects.filter(year=year).count() == 2
    for hostile in (str(SUITE_YEAR + 5), "x", "9" * 5000, "-1", ""):
        assert client.post(reverse("oversight:copy_targets"), {"year": hostile}).status_code == 302
    assert StudyTarget.objects.filter(year__gt=year).count() == 0


def test_in_december_those_who_set_targets_are_reminded_weekly_until_next_year_has_targets(committee, department):
    from organisation.models import Notification
    from oversight.reminders import next_year_target_reminders
    from oversight.tasks import send_next_year_target_reminders

    admin = UserFactory(username="root", is_superuser=True)
    head = h.person("head", department=department, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    first_monday = nth_weekday(SUITE_YEAR, 12, 0, 1)
    assert next_year_target_reminders(today=on(11, 30)).sent == 0
    assert next_year_target_reminders(today=first_monday).sent == 2  # the committee and the superuser
    assert send_next_year_target_reminders(first_monday.isoformat()) == 0  # the job again, same week
    assert next_year_target_reminders(today=first_monday + datetime.timedelta(days=7)).sent == 2  # next week
    notice = Notification.objects.filter(user=committee).first()
    assert notice.title == f"请设定 {SUITE_YEAR + 1} 年度学法目标和责任书"
    assert notice.key.startswith(f"plan-targets:{SUITE_YEAR + 1}:") and notice.url == reverse("oversight:dashboard")
    assert not Notification.objects.filter(user=head).exists()
    assert Notification.objects.filter(user=admin).exists()
    h.target("everyone", year=SUITE_YEAR + 1, required_hours=Decimal("40"))
    assert next_year_target_reminders(today=first_monday + datetime.timedelta(days=14)).sent == 0
