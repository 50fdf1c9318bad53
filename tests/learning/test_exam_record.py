import datetime
from decimal import Decimal

import pytest

from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from learning.exams.models import Attempt, ExamResult
from learning.exams.record import exam_results_frame, record_panel
from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from learning.exams.services.reminders import exam_reminders_send
from organisation.models import Notification
from organisation.panels import RECORD_PANELS, panels_for
from tests.clock import SUITE_YEAR
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db


def sit(exam, user, right=True, now=None):
    now = now or timezone.now()
    attempt = attempt_start(exam=exam, user=user, now=now)
    item = attempt.items.get()
    attempt_save(attempt=attempt, answers={item.pk: ([0] if right else [1], 0)}, now=now)
    return attempt_submit(attempt=attempt, now=now)


def test_exam_results_for_the_record_page_and_spreadsheet():
    person = staff("wang")
    passed = sit(make_exam([make_question("single", key=[0])], title="学法考试"), person)
    sit(make_exam([make_question("single", key=[0])], title="专题测试"), person, right=False)
    sit(make_exam([make_question("single", key=[0])], title="去年的考试", year=SUITE_YEAR - 1), person)
    frame = exam_results_frame(user=person, year=SUITE_YEAR)
    assert list(frame["考试"]) == ["学法考试", "专题测试"]
    assert list(frame["是否合格"]) == ["合格", "不合格"]
    assert frame.loc[0, "证书验证码"] == passed.certificate.code
    panel = record_panel(RequestFactory().get("/"), person=person.staff_profile, year=SUITE_YEAR)
    assert panel.template == "learning/exams/record_panel.html" and len(panel.context["results"]) == 2


def test_the_record_panel_is_registered_for_the_learning_record_slot():
    person = staff("wang")
    request = RequestFactory().get("/")
    request.user = person
    templates = [panel.template for panel in panels_for(RECORD_PANELS, request, person=person, year=SUITE_YEAR)]
    assert "learning/exams/record_panel.html" in templates


def test_queryset_methods_for_oversight_participation_best_scores_and_passes():
    a, b = staff("a"), staff("b")
    exam = make_exam([make_question("single", key=[0], points=10)], max_attempts=2)
    sit(exam, a, right=False)
    sit(exam, a, right=True)
    sit(exam, b, right=False)
    rows = {row["user"]: row for row in Attempt.objects.for_year(SUITE_YEAR).participation()}
    assert rows[a.pk]["attempts"] == 2 and rows[a.pk]["best_score"] == Decimal("10.00")
    assert rows[b.pk]["best_score"] == Decimal("0.00")
    passes = {row["user"]: row["passes"] for row in ExamResult.objects.for_year(SUITE_YEAR).passes_per_person()}
    assert passes == {a.pk: 1}


def test_reminders_go_out_once_a_day_to_those_still_to_pass():
    now = timezone.now()
    make_exam(
        [make_question("single", key=[0])],
        title="即将开始",
        opens_at=now + datetime.timedelta(hours=20),
        closes_at=now + datetime.timedelta(days=5),
    )
    closing = make_exam(
        [make_question("single", key=[0])], title="即将截止", closes_at=now + datetime.timedelta(hours=30)
    )
    done, waiting = staff("done"), staff("waiting")
    sit(closing, done)
    sent = exam_reminders_send(now=now)
    titles = sorted(Notification.objects.filter(user=waiting).values_list("title", flat=True))
    assert titles == ["考试即将开始：即将开始", "考试即将截止：即将截止"]
    assert list(Notification.objects.filter(user=done).values_list("title", flat=True)) == ["考试即将开始：即将开始"]
    assert sent == 3
    assert exam_reminders_send(now=now) == 0  # the same day again: nothing new


def test_a_resit_reminder_reaches_only_those_who_failed():
    now = timezone.now()
    exam = make_exam(
        [make_question("single", key=[0])],
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(days=1),
        resit_opens_at=now + datetime.timedelta(hours=10),
        resit_closes_at=now + datetime.timedelta(days=3),
    )
    failed, passed = staff("failed"), staff("passed")
    sit(exam, failed, right=False, now=now - datetime.timedelta(days=2))
    sit(exam, passed, now=now - datetime.timedelta(days=2))
    exam_reminders_send(now=now)
    assert Notification.objects.filter(user=failed, title__startswith="补考安排").exists()
    assert not Notification.objects.filter(user=passed).exists()


def test_schedules_install_idempotently():
    from django_q.models import Schedule

    call_command("setup_schedules")
    call_command("setup_schedules")
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {"考试到时自动交卷", "考试开始与截止提醒"} <= names
    assert Schedule.objects.filter(name="考试到时自动交卷").count() == 1


def test_the_record_spreadsheet_gets_an_exam_sheet():
    import io

    from openpyxl import load_workbook

    from learning.study.records import record_xlsx

    person = staff("wang")
    sit(make_exam([make_question("single", key=[0])], title="学法考试"), person)
    workbook = load_workbook(io.BytesIO(record_xlsx(person=person.staff_profile, year=SUITE_YEAR)))
    assert "考试成绩" in workbook.sheetnames
    rows = list(workbook["考试成绩"].iter_rows(values_only=True))
    assert rows[0][0] == "考试" and rows[1][0] == "学法考试" and rows[1][5] == "合格"
