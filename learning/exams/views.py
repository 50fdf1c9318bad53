"""Staff pages: my exams, sitting an exam, results and review, certificates and their public check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.exams.access import can_read_results_of
from learning.exams.certificates import certificate_pdf_bytes, certificate_qr_svg, normalise_code
from learning.exams.lifecycle import can_answer, can_submit
from learning.exams.models import Attempt, Certificate, Exam
from learning.exams.paper import posted_answers, posted_item_ids, question_views, review_views
from learning.exams.queries import exam_cards, keys_withheld, with_law_links
from learning.exams.services.attempts import (
    ExamUnavailable,
    attempt_autosave,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
    exam_eligibility,
)
from organisation.addresses import site_url
from organisation.errors import show_refusal


def _own_attempt(request, pk) -> Attempt:
    """The signed-in person's own attempt; anyone else's is a 404, whatever their role."""
    attempt = get_object_or_404(Attempt.objects.select_related("exam"), pk=pk, user=request.user)
    return attempt_close_if_expired(attempt=attempt, now=timezone.now())


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_GET
def exam_list(request):
    cards = exam_cards(user=request.user, now=timezone.now())
    return render(request, "learning/exams/exam_list.html", {"cards": cards})


@login_required
@require_GET
def exam_detail(request, pk):
    exam = get_object_or_404(Exam.objects.published(), pk=pk)
    now = timezone.now()
    eligibility = exam_eligibility(exam=exam, user=request.user, now=now)
    attempts = list(Attempt.objects.filter(exam=exam, user=request.user).order_by("number"))
    if not eligibility.assigned and not attempts:
        raise Http404
    certificate = Certificate.objects.filter(exam=exam, user=request.user).first()
    return render(
        request,
        "learning/exams/exam_detail.html",
        {"exam": exam, "eligibility": eligibility, "attempts": attempts, "certificate": certificate, "now": now},
    )


@login_required
@require_POST
def exam_start(request, pk):
    exam = get_object_or_404(Exam.objects.published(), pk=pk)
    try:
        attempt = attempt_start(exam=exam, user=request.user, now=timezone.now())
    except ExamUnavailable as exc:
        show_refusal(request, exc)
        return redirect("exams:detail", pk=exam.pk)
    return redirect(attempt.get_absolute_url())


def _position(request, total: int) -> int | None:
    if request.GET.get("view") == "all":
        return None
    value = request.GET.get("q", "1")
    return min(max(int(value), 1), total) if value.isdecimal() else 1


@login_required
@require_GET
def attempt_take(request, pk):
    attempt = _own_attempt(request, pk)
    if not can_answer(attempt):
        return redirect("exams:result", pk=attempt.pk)
    items = list(attempt.items.all())
    views = question_views(items)
    position = _position(request, len(views))
    shown = views if position is None else [views[position - 1]]
    now = timezone.now()
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "questions": shown,
        "all_questions": views,
        "position": position,
        "previous": position - 1 if position and position > 1 else None,
        "next": position + 1 if position and position < len(views) else None,
        "answered": sum(1 for view in views if view.answered),
        "remaining": max(int((attempt.deadline - now).total_seconds()), 0),
        "now": now,
    }
    return render(request, "learning/exams/take.html", context)


@login_required
@require_POST
def attempt_save_view(request, pk):
    now = timezone.now()
    try:
        # Only the posted items are read (their snapshots tell how to read the fields), under the attempt's lock.
        attempt, items, result = attempt_autosave(
            attempt_id=pk,
            user=request.user,
            item_ids=posted_item_ids(request.POST),
            read_answers=lambda items: posted_answers(items, request.POST),
            now=now,
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    if _wants_json(request):
        body = {
            "saved": {str(k): v for k, v in result.saved.items()},
            "conflicts": {str(k): v for k, v in result.conflicts.items()},
            "closed": result.closed,
            "remaining": max(int((attempt.deadline - now).total_seconds()), 0),
        }
        if result.closed:
            body["result_url"] = reverse("exams:result", args=[attempt.pk])
        return JsonResponse(body, status=409 if result.conflicts else 200)
    if result.closed:
        messages.warning(request, "作答时间已到，试卷已按到时前保存的答案自动交卷。")
        return redirect("exams:result", pk=attempt.pk)
    if result.conflicts:
        numbers = sorted(item.position for item in items if item.pk in result.conflicts)
        messages.error(
            request,
            f"第 {'、'.join(map(str, numbers))} 题已在其他窗口或设备上更新，本页的修改没有保存；请核对后重新作答。",
        )
    go = request.POST.get("go", "")
    if go == "submit":
        return redirect("exams:submit", pk=attempt.pk)
    target = reverse("exams:take", args=[attempt.pk])
    if go == "all":
        return redirect(f"{target}?view=all")
    if go.isdecimal():
        return redirect(f"{target}?q={go}")
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_submit_view(request, pk):
    attempt = _own_attempt(request, pk)
    if not can_submit(attempt):
        return redirect("exams:result", pk=attempt.pk)
    if request.method == "POST":
        attempt = attempt_submit(attempt=attempt, now=timezone.now())
        messages.success(request, "已交卷。")
        return redirect("exams:result", pk=attempt.pk)
    views = question_views(attempt.items.all())
    unanswered = [view.position for view in views if not view.answered]
    now = timezone.now()
    return render(
        request,
        "learning/exams/submit_confirm.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "total": len(views),
            "answered": len(views) - len(unanswered),
            "unanswered": unanswered,
            "remaining": max(int((attempt.deadline - now).total_seconds()), 0),
        },
    )


@login_required
@require_GET
def attempt_result(request, pk):
    attempt = get_object_or_404(Attempt.objects.select_related("exam", "user__staff_profile"), pk=pk)
    if not can_read_results_of(request.user, attempt.user_id):
        raise Http404
    now = timezone.now()
    if attempt.user_id == request.user.pk:
        attempt = attempt_close_if_expired(attempt=attempt, now=now)
        if can_answer(attempt):
            return redirect("exams:take", pk=attempt.pk)
    finished = not can_answer(attempt)
    review_allowed = finished and attempt.exam.review_allowed(now)
    reviews = []
    if review_allowed:
        # The exam's own review policy decides for its questions; those also in another running exam stay hidden.
        items = list(attempt.items.all())
        withheld = keys_withheld([item.question_id for item in items], now=now, besides=attempt.exam)
        reviews = with_law_links(review_views(items, withheld=withheld))
    certificate = Certificate.objects.filter(attempt=attempt, revoked_at__isnull=True).first()
    return render(
        request,
        "learning/exams/result.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "finished": finished,
            "own": attempt.user_id == request.user.pk,
            "review_allowed": review_allowed,
            "reviews": reviews,
            "certificate": certificate,
        },
    )


def _certificate(request, pk) -> Certificate:
    certificate = get_object_or_404(Certificate.objects.select_related("exam"), pk=pk)
    if not can_read_results_of(request.user, certificate.user_id):
        raise Http404
    return certificate


def _verify_url(request, certificate) -> str:
    return site_url(certificate.get_verify_url())


@login_required
@require_GET
def certificate_detail(request, pk):
    certificate = _certificate(request, pk)
    return render(
        request,
        "learning/exams/certificate.html",
        {
            "certificate": certificate,
            "verify_url": _verify_url(request, certificate),
            "qr_svg": certificate_qr_svg(_verify_url(request, certificate)),
        },
    )


@login_required
@require_GET
def certificate_pdf(request, pk):
    certificate = _certificate(request, pk)
    response = HttpResponse(certificate_pdf_bytes(certificate, _verify_url(request, certificate)), "application/pdf")
    response["Content-Disposition"] = f"inline; filename=certificate-{certificate.code}.pdf"
    return response


@require_GET
def verify_lookup(request):
    code = normalise_code(request.GET.get("code", ""))
    if code:
        return redirect("exams:verify", code=code)
    return render(request, "learning/exams/verify.html", {"searched": "code" in request.GET})


@require_GET
def verify(request, code):
    certificate = (
        Certificate.objects.select_related("exam").filter(code=normalise_code(code)).first()
        if normalise_code(code)
        else None
    )
    return render(
        request,
        "learning/exams/verify.html",
        {"certificate": certificate, "code": code, "searched": True},
        status=200 if certificate else 404,
    )
