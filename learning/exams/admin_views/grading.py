"""Blind grading of 简答 answers: the queue and one answer at a time."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.admin.auth import permission_required

from learning.exams.admin_forms import GradeForm
from learning.exams.admin_views.common import refused
from learning.exams.answers import QuestionType
from learning.exams.integrity import EXAM_CONFLICT, KEY_HIDDEN, exam_in_conflict, gradable_items, hidden_key_ids
from learning.exams.models import AttemptItem, AttemptStatus
from learning.exams.paper import review_views
from learning.exams.services.grading import GradingError, essay_grade
from organisation.errors import show_refusal


def _gradable(request):
    return gradable_items(request.user, timezone.now())


@permission_required("learning.grade_essays")
@require_GET
def grading_queue(request):
    """简答 answers waiting for a grade, oldest first, without candidates' names (blind grading)."""
    items = _gradable(request).select_related("attempt__exam").order_by("attempt__submitted_at", "position")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "learning/exams/admin/grading_queue.html", {"page_obj": page})


@permission_required("learning.grade_essays")
@require_http_methods(["GET", "POST"])
def grade_item(request, pk):
    # Only handed-in answers: an attempt still being sat is nobody's to read (and its rubric is not shown beside it).
    item = get_object_or_404(
        AttemptItem.objects.select_related("attempt__exam")
        .filter(snapshot__qtype=QuestionType.ESSAY)
        .exclude(attempt__status=AttemptStatus.OPEN),
        pk=pk,
    )
    if item.attempt.user_id == request.user.pk:
        raise Http404
    if exam_in_conflict(user=request.user, exam_id=item.attempt.exam_id, now=timezone.now()):
        return refused(request, EXAM_CONFLICT)
    if item.question_id in hidden_key_ids(request):
        return refused(request, KEY_HIDDEN)
    form = GradeForm(
        request.POST or None, points=item.points, initial={"score": item.score, "comment": item.grader_comment}
    )
    if request.method == "POST" and form.is_valid():
        try:
            essay_grade(
                item=item,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                now=timezone.now(),
            )
        except GradingError as exc:
            show_refusal(request, exc, form=form)
        else:
            messages.success(request, "已评分。")
            following = _gradable(request).order_by("attempt__submitted_at", "position").first()
            return redirect("exams_grade_item", pk=following.pk) if following else redirect("exams_grading")
    review = review_views([item])[0]
    return render(request, "learning/exams/admin/grade_item.html", {"item": item, "review": review, "form": form})
