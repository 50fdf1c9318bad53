"""An exam's statistics, as a page and as .xlsx."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from wagtail.admin.auth import permission_required

from learning.exams.admin_views.common import XLSX
from learning.exams.models import Exam
from learning.exams.services.statistics import exam_statistics, exam_statistics_xlsx


@permission_required("learning.view_exam_statistics")
@require_GET
def statistics_view(request, pk):
    exam = get_object_or_404(Exam, pk=pk)
    statistics = exam_statistics(exam)
    return render(
        request,
        "learning/exams/admin/statistics.html",
        {
            "exam": exam,
            "summary": statistics.summary,
            "distribution": statistics.rows("distribution"),
            "departments": statistics.rows("departments"),
            "people": statistics.rows("people"),
            "items": statistics.rows("items"),
        },
    )


@permission_required("learning.view_exam_statistics")
@require_GET
def statistics_xlsx(request, pk):
    exam = get_object_or_404(Exam, pk=pk)
    response = HttpResponse(exam_statistics_xlsx(exam_statistics(exam)), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=exam-{exam.pk}-statistics.xlsx"
    return response
