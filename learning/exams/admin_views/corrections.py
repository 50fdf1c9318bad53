"""Answer key corrections: propose one (with regrading), list and read them, and the second person's decision."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.admin.auth import any_permission_required, permission_required

from learning.exams.admin_forms import KeyCorrectionForm
from learning.exams.admin_views.common import refused
from learning.exams.answers import QuestionType, format_key
from learning.exams.integrity import CONFLICT, KEY_HIDDEN, conflicted_ids, hidden_key_ids
from learning.exams.models import AnswerKeyCorrection, AttemptItem, CorrectionStatus, Question, RegradeEntry
from learning.exams.services.grading import (
    GradingError,
    key_correction_confirm,
    key_correction_reject,
    question_correct_key,
)
from organisation.errors import show_refusal
from organisation.models import StaffProfile


@permission_required("learning.correct_answer_key")
@require_http_methods(["GET", "POST"])
def question_correct_key_view(request, pk):
    question = get_object_or_404(Question, pk=pk)
    if question.qtype == QuestionType.ESSAY:
        raise Http404
    if question.pk in conflicted_ids(request):
        return refused(request, CONFLICT)
    form = KeyCorrectionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            correction = question_correct_key(
                question=question,
                key=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                now=timezone.now(),
            )
        except GradingError as exc:
            show_refusal(request, exc, form=form)
        else:
            if correction.status == CorrectionStatus.PENDING:
                messages.warning(
                    request,
                    "这项更正会改变已结束考试的成绩，须由法治办另一位同志复核确认后才生效；在此之前答案和成绩都不变。",
                )
                return redirect("exams_correction", pk=correction.pk)
            messages.success(request, f"答案已更正，{correction.entries.count()} 份答卷已重新评分。")
            if correction.not_regraded:
                numbers = "、".join(f"#{pk}" for pk in correction.not_regraded)
                messages.warning(
                    request,
                    f"另有 {len(correction.not_regraded)} 份答卷用的是该题的旧版本"
                    f"（选项或空数不同，找不到新答案对应的内容），未自动重新评分，请人工核对：答卷编号 {numbers}。",
                )
            return redirect("exams_correction", pk=correction.pk)
    affected = AttemptItem.objects.filter(question=question).values("attempt").distinct().count()
    return render(
        request,
        "learning/exams/admin/correct_key.html",
        {"question": question, "form": form, "affected": affected, "current": format_key(question.qtype, question.key)},
    )


CORRECTION_READERS = ("learning.correct_answer_key", "learning.view_exam_statistics")


@any_permission_required(*CORRECTION_READERS)
@require_GET
def correction_list(request):
    corrections = (
        AnswerKeyCorrection.objects.select_related("question", "corrected_by", "confirmed_by")
        .annotate(attempts=Count("entries"))
        .order_by("-corrected_at", "-pk")
    )
    page = Paginator(corrections, 30).get_page(request.GET.get("page"))
    return render(request, "learning/exams/admin/corrections.html", {"page_obj": page})


@any_permission_required(*CORRECTION_READERS)
@require_GET
def correction_detail(request, pk):
    correction = get_object_or_404(
        AnswerKeyCorrection.objects.select_related("question", "corrected_by", "confirmed_by"), pk=pk
    )
    entries = list(
        RegradeEntry.objects.filter(correction=correction).select_related(
            "attempt__exam", "attempt__user__staff_profile"
        )
    )
    # Link a person's result only for those whose record this reader may open (else the link is a 404).
    owners = {entry.attempt.user_id for entry in entries}
    readable = set(
        StaffProfile.objects.visible_to(request.user).filter(user_id__in=owners).values_list("user_id", flat=True)
    )
    for entry in entries:
        entry.result_readable = request.user.is_superuser or entry.attempt.user_id in readable
    qtype = correction.question.qtype
    key_hidden = correction.question_id in hidden_key_ids(request)
    may_decide = (
        correction.status == CorrectionStatus.PENDING
        and request.user.has_perm("learning.confirm_answerkeycorrection")
        and correction.corrected_by_id != request.user.pk
        and correction.question_id not in conflicted_ids(request)
    )
    return render(
        request,
        "learning/exams/admin/correction_detail.html",
        {
            "correction": correction,
            "entries": entries,
            "key_hidden": key_hidden,
            "hidden_message": KEY_HIDDEN,
            "old_key": "" if key_hidden else format_key(qtype, correction.old_key),
            "new_key": "" if key_hidden else format_key(qtype, correction.new_key),
            "may_decide": may_decide,
        },
    )


DECISIONS = {"confirm": key_correction_confirm, "reject": key_correction_reject}


@permission_required("learning.confirm_answerkeycorrection")
@require_http_methods(["POST"])
def correction_decide(request, pk):
    """The second person confirms (the key changes and everyone is regraded) or rejects a pending correction."""
    correction = get_object_or_404(AnswerKeyCorrection, pk=pk)
    decide = DECISIONS.get(request.POST.get("decision", ""))
    if decide is None:
        messages.error(request, "请选择确认或驳回。")
        return redirect("exams_correction", pk=correction.pk)
    try:
        correction = decide(correction=correction, by=request.user, now=timezone.now())
    except GradingError as exc:
        show_refusal(request, exc)
        return redirect("exams_correction", pk=correction.pk)
    if correction.status == CorrectionStatus.APPLIED:
        messages.success(request, f"已确认，答案已更正，{correction.entries.count()} 份答卷已重新评分。")
    else:
        messages.success(request, "已驳回，答案和成绩不变。")
    return redirect("exams_correction", pk=correction.pk)
