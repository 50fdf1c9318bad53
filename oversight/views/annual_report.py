"""The annual report (法治建设年度报告): the page, .docx and .md, and its Word template."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation.errors import show_refusal
from oversight.access import may_view_all
from oversight.assessment import letter_scores
from oversight.figures import (
    year_figures,
)
from oversight.report import report_context, report_markdown, report_read
from oversight.report_document import (
    MAX_UPLOAD,
    ReportTemplateRefused,
    report_docx,
    report_template,
    report_template_replace,
    report_template_reset,
)
from oversight.views.common import DOCX, base_context, bureau_required, download, oversight_required


def _report_context(year: int) -> dict:
    figures = year_figures(year=year)
    return report_context(figures, scores=letter_scores(figures), bureau=settings.BUREAU_NAME)


def _report_docx(filters) -> bytes:
    return report_docx(_report_context(filters.year), template=report_template(), now=timezone.now())


@oversight_required
@bureau_required
def report(request, filters):
    context = base_context(request, filters, report=report_read(_report_docx(filters)))
    return render(request, "oversight/report.html", context)


@oversight_required
@bureau_required
def report_docx_view(request, filters):
    return download(_report_docx(filters), DOCX, f"annual-report-{filters.year}.docx")


@oversight_required
@bureau_required
def report_md_view(request, filters):
    content = report_markdown(report_read(_report_docx(filters))).encode("utf-8")
    return download(content, "text/markdown; charset=utf-8", f"annual-report-{filters.year}.md")


@oversight_required
@bureau_required
def report_template_view(request, filters):
    """The Word template in use, for the bureau to change the report's wording in Word."""
    return download(report_template(), DOCX, "annual-report-template.docx")


def _bureau_post(view):
    @login_required
    @require_POST
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_view_all(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_bureau_post
def report_template_upload_view(request):
    """Replace the template; one that is not a .docx or does not render this year's report is refused."""
    upload = request.FILES.get("template")
    if upload is None:
        messages.error(request, "请选择要上传的 Word 模板（.docx）。")
        return redirect("oversight:report")
    now = timezone.now()
    try:
        # Read one byte past the limit at most: the service refuses what is too large without holding all of it.
        content = upload.read(MAX_UPLOAD + 1)
        report_template_replace(content=content, context=_report_context(timezone.localdate().year), now=now)
    except ReportTemplateRefused as error:
        show_refusal(request, error)
    else:
        messages.success(request, "已启用新的报告模板。")
    return redirect("oversight:report")


@_bureau_post
def report_template_reset_view(request):
    report_template_reset()
    messages.success(request, "已恢复默认报告模板。")
    return redirect("oversight:report")
