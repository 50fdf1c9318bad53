"""Exam results in a person's learning record (/me/record/), as a page section and as a spreadsheet sheet."""

import pandas as pd

from django.utils import timezone

from learning.exams.models import Certificate, ExamResult
from organisation.panels import Panel

RESULT_COLUMNS = ["考试", "最后交卷", "交卷次数", "成绩", "满分", "是否合格", "证书验证码"]


def _user(person):
    """Providers get the person as a user or as their staff profile."""
    return getattr(person, "user", person)


def exam_results(*, user, year: int) -> list[ExamResult]:
    results = list(
        ExamResult.objects.for_year(year)
        .filter(user=user, attempts__gt=0)
        .select_related("exam")
        .order_by("exam__opens_at")
    )
    certificates = {
        c.exam_id: c
        for c in Certificate.objects.filter(user=user, exam__year=year, revoked_at__isnull=True).only(
            "pk", "exam_id", "code"
        )
    }
    for result in results:
        result.certificate = certificates.get(result.exam_id)
    return results


def exam_results_frame(*, user, year: int) -> pd.DataFrame:
    """This person's exam results for a year, one row per exam (for the record's .xlsx)."""
    rows = [
        [
            result.exam.title,
            timezone.localtime(result.last_submitted_at).strftime("%Y-%m-%d %H:%M") if result.last_submitted_at else "",
            result.attempts,
            float(result.score) if result.score is not None else None,
            float(result.max_score),
            "阅卷中" if result.awaiting_grading and result.score is None else ("合格" if result.passed else "不合格"),
            result.certificate.code if result.certificate else "",
        ]
        for result in exam_results(user=_user(user), year=year)
    ]
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def exam_record_sheet(person, year: int):
    """The record .xlsx's exam sheet (registered with ``learning.study.records.register_record_sheet``)."""
    frame = exam_results_frame(user=person, year=year)
    return ("考试成绩", frame) if not frame.empty else None


def record_panel(request, *, person, year, **context):
    user = _user(person)
    return Panel(
        "learning/exams/record_panel.html", {"results": exam_results(user=user, year=year), "year": year}, order=40
    )
