"""Import (upload, dry-run report, confirm), the Excel template and export of the question bank."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.admin.auth import permission_required

from learning.exams.admin_forms import QuestionImportForm
from learning.exams.admin_views.bank import question_viewset
from learning.exams.admin_views.common import XLSX
from learning.exams.integrity import questions_with_hidden_keys
from learning.exams.interchange.excel import template_excel
from learning.exams.models import Question, QuestionStatus
from learning.exams.services.exporting import EXPORT_FORMATS, questions_export
from learning.exams.services.importing import question_import
from learning.exams.services.staging import (
    STAGING,
    staged_import_discard,
    staged_import_exists,
    staged_import_open,
    staged_import_save,
)


# Import: upload, see a dry-run report, then confirm; the upload waits in private storage meanwhile, and a
# scheduled job deletes what nobody confirmed within a day (learning.exams.tasks.discard_stale_question_imports).
def _staged_name(staged: dict) -> str:
    # Sessions from before staged files were named by learning.exams.services.staging kept token and suffix.
    return staged.get("file") or f"{STAGING}/{staged['token']}{staged['suffix']}"


def _discard_staged(request) -> None:
    """Forget this person's waiting upload and delete its file."""
    staged = request.session.pop("question_import", None)
    if staged:
        staged_import_discard(name=_staged_name(staged))


def _stage(request, upload, *, skip_unsupported: bool, as_draft: bool) -> None:
    request.session["question_import"] = {
        "file": staged_import_save(upload=upload, now=timezone.now()),
        "name": upload.name,
        "skip_unsupported": skip_unsupported,
        "as_draft": as_draft,
    }


@permission_required("learning.import_questions")
@require_http_methods(["GET", "POST"])
def question_import_view(request):
    report = None
    staged = request.session.get("question_import")
    form = QuestionImportForm()
    if request.method == "POST" and request.POST.get("confirm") and staged:
        name = _staged_name(staged)
        if not staged_import_exists(name=name):
            _discard_staged(request)
            messages.error(request, "待导入的文件已过期，请重新上传。")
            return redirect("exams_question_import")
        with staged_import_open(name=name) as fileobj:
            report = question_import(
                fileobj=fileobj,
                filename=staged["name"],
                skip_unsupported=staged["skip_unsupported"],
                status=QuestionStatus.DRAFT if staged["as_draft"] else QuestionStatus.ACTIVE,
                created_by=request.user,
            )
        _discard_staged(request)
        if report.ok:
            messages.success(request, report.summary())
            return redirect(question_viewset.get_url_name("index"))
    elif request.method == "POST":
        _discard_staged(request)
        form = QuestionImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = question_import(
                fileobj=upload,
                filename=upload.name,
                dry_run=True,
                skip_unsupported=form.cleaned_data["skip_unsupported"],
            )
            if report.ok and report.created:
                _stage(
                    request,
                    upload,
                    skip_unsupported=form.cleaned_data["skip_unsupported"],
                    as_draft=form.cleaned_data["as_draft"],
                )
    can_confirm = bool(report and report.ok and report.dry_run and report.created)
    return render(
        request,
        "learning/exams/admin/question_import.html",
        {"form": form, "report": report, "can_confirm": can_confirm},
    )


@permission_required("learning.import_questions")
@require_GET
def question_template_view(request):
    response = HttpResponse(template_excel(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''question-template.xlsx"
    return response


@permission_required("learning.export_questions")
@require_GET
def question_export_view(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    # The file carries keys: questions of a running exam the exporter must sit are left out of it.
    hidden = questions_with_hidden_keys(request.user, timezone.now()).values("pk")
    filename, content_type, data = questions_export(fmt=fmt, queryset=Question.objects.exclude(pk__in=hidden))
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response
