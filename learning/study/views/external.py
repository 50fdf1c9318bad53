"""External training (上级培训): submitting, its certificate, and the reviewers' queue."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from learning.study import forms
from learning.study.external import certificate_content_type, external_review, external_submit
from learning.study.lifecycle import ReviewRefused, can_review
from learning.study.models import (
    ExternalTraining,
)
from learning.study.views.common import staff_required
from organisation.errors import show_refusal

# External training ---------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def external_list(request):
    form = forms.ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        external_submit(
            user=request.user,
            kind=data["kind"],
            title=data["title"],
            organiser=data["organiser"],
            completed_on=data["completed_on"],
            hours=data["hours"],
            score=data["score"],
            certificate=data["certificate"],
            now=timezone.now(),
        )
        messages.success(request, "已提交，审核通过后计入学时。")
        return redirect("study:external")
    mine = ExternalTraining.objects.filter(user=request.user).select_related("reviewer__staff_profile")
    return render(request, "learning/study/external_list.html", {"form": form, "trainings": mine})


@login_required
@require_GET
def external_certificate(request, pk):
    """The certificate file, only for its owner, its reviewers and those who may read the person's record."""
    training = get_object_or_404(ExternalTraining.objects.readable_by(request.user), pk=pk)
    response = FileResponse(training.certificate.open("rb"), content_type=certificate_content_type(training))
    extension = training.certificate.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f"inline; filename=certificate-{training.pk}.{extension}"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def reviewer_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.has_perm("learning.review_externaltraining")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@reviewer_required
@require_GET
def review_list(request):
    reviewable = ExternalTraining.objects.reviewable_by(request.user).select_related(
        "user__staff_profile__department", "reviewer__staff_profile"
    )
    decided = Paginator(reviewable.decided(), 20).get_page(request.GET.get("page"))
    return render(request, "learning/study/review_list.html", {"pending": reviewable.pending(), "page_obj": decided})


@reviewer_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    training = get_object_or_404(
        ExternalTraining.objects.reviewable_by(request.user).select_related("user__staff_profile__department"), pk=pk
    )
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            external_review(
                training=training,
                reviewer=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ReviewRefused as refusal:
            show_refusal(request, refusal)
        else:
            messages.success(request, "审核已完成。")
            return redirect("study:review_list")
    return render(
        request,
        "learning/study/review.html",
        {"training": training, "form": form, "can_review": can_review(request.user, training)},
    )
