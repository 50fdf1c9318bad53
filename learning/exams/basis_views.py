"""Admin report 依据已修订: questions and pages citing an article a law's revision renumbered, amended or
repealed, with the two ways out for a question (confirm the old basis, or cite the new article)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from wagtail.admin.auth import permission_required

from learning.exams.models import Question
from learning.exams.services.basis import BasisReviewRefused, question_basis_confirm, question_basis_repoint
from organisation.errors import show_refusal
from organisation.ids import is_id
from website.models import LawArticle
from website.versioning import pages_citing_superseded

REVIEWER_PERMISSION = "learning.change_question"


def flagged_questions():
    return (
        Question.objects.basis_superseded()
        .select_related(
            "legal_basis__law", "legal_basis__version", "legal_basis__successor__law", "legal_basis__successor__version"
        )
        .defer(
            "legal_basis__law__text",
            "legal_basis__version__text",
            "legal_basis__successor__law__text",
            "legal_basis__successor__version__text",
        )
        .order_by("legal_basis__law__title", "legal_basis__sort_order", "pk")
    )


@permission_required(REVIEWER_PERMISSION)
@require_GET
def superseded_basis_report(request):
    page = Paginator(flagged_questions(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/exams/admin/superseded_basis.html",
        {"page_obj": page, "citing_pages": pages_citing_superseded()},
    )


def _flagged_question(request, pk) -> Question:
    question = get_object_or_404(Question.objects.select_related("legal_basis"), pk=pk)
    if not request.user.has_perm(REVIEWER_PERMISSION, question):
        raise BasisReviewRefused("你没有修改这道题的权限。")
    return question


@permission_required(REVIEWER_PERMISSION)
@require_POST
def question_basis_confirm_view(request, pk):
    try:
        question = question_basis_confirm(question=_flagged_question(request, pk), user=request.user)
    except BasisReviewRefused as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"已确认：{question.legal_basis}仍是这道题的依据，题目恢复抽取。")
    return redirect("exams_superseded_basis")


@permission_required(REVIEWER_PERMISSION)
@require_POST
def question_basis_repoint_view(request, pk):
    article_id = request.POST.get("article", "")
    article = LawArticle.objects.filter(pk=article_id).first() if is_id(article_id) else None
    try:
        if article is None:
            raise BasisReviewRefused("请选择要引用的现行条文。")
        question = question_basis_repoint(question=_flagged_question(request, pk), article=article, user=request.user)
    except BasisReviewRefused as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"已改为引用{question.legal_basis}，题目恢复抽取。")
    return redirect("exams_superseded_basis")
