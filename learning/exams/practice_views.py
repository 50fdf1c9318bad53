"""Practice (练习) and the 错题本: questions one at a time, the answer and 解析 right after each."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.exams.models import Mistake, PracticeAnswer, PracticeKind, PracticeSession, PracticeSet
from learning.exams.paper import question_views, response_from_post, review_views
from learning.exams.queries import practice_overview, with_law_links
from learning.exams.services.practice import (
    HELD_MESSAGE,
    PracticeUnavailable,
    practice_answer,
    practice_current_question,
    practice_next,
    practice_question_held,
    practice_start,
)
from organisation.errors import show_refusal
from organisation.ids import is_id
from website.models import Domain


@dataclass
class PracticeItem:
    """A bank question shaped like an attempt item, so practice pages render with the same code as exams."""

    pk: int
    position: int
    snapshot: dict
    response: object = None

    @property
    def question_id(self) -> int:
        return self.pk

    option_order: tuple = ()
    revision: int = 0
    score: object = None
    is_correct: bool | None = None
    grader_comment: str = ""


def _item(session: PracticeSession, question, answer: PracticeAnswer | None) -> PracticeItem:
    return PracticeItem(
        pk=question.pk,
        position=session.position + 1,
        snapshot=question.snapshot(),
        response=answer.response if answer else None,
        is_correct=answer.is_correct if answer else None,
    )


@login_required
@require_GET
def practice_index(request):
    context = practice_overview(user=request.user, now=timezone.now())
    context["recent"] = PracticeSession.objects.filter(user=request.user).select_related("practice_set", "domain")[:5]
    return render(request, "learning/exams/practice_index.html", context)


def _chosen_id(request, key: str) -> int | None:
    """The id posted under ``key`` when a row could have it; None for nothing, words or twenty digits."""
    value = request.POST.get(key, "")
    return int(value) if is_id(value) else None


@login_required
@require_POST
def practice_begin(request):
    kind = request.POST.get("kind", "")
    practice_set = domain = None
    if kind == PracticeKind.SET:
        practice_set = PracticeSet.objects.filter(is_active=True, pk=_chosen_id(request, "set")).first()
        if practice_set is None:
            messages.error(request, "所选练习题集不存在或已停用，请重新选择。")
            return redirect("exams:practice")
    elif kind == PracticeKind.DOMAIN:
        domain = Domain.objects.filter(pk=_chosen_id(request, "domain")).first()
        if domain is None:
            messages.error(request, "所选法律领域不存在，请重新选择。")
            return redirect("exams:practice")
    elif kind not in (PracticeKind.RANDOM, PracticeKind.MISTAKES):
        messages.error(request, "请选择练习方式。")
        return redirect("exams:practice")
    try:
        session = practice_start(
            user=request.user, kind=kind, practice_set=practice_set, domain=domain, now=timezone.now()
        )
    except PracticeUnavailable as exc:
        show_refusal(request, exc)
        return redirect("exams:practice")
    return redirect(session)


@login_required
@require_http_methods(["GET", "POST"])
def practice_session(request, pk):
    session = get_object_or_404(
        PracticeSession.objects.select_related("practice_set", "domain"), pk=pk, user=request.user
    )
    question = practice_current_question(session)
    if question is None:
        return render(request, "learning/exams/practice_done.html", {"session": session})
    answer = PracticeAnswer.objects.filter(session=session, position=session.position).first()
    item = _item(session, question, answer)
    held = practice_question_held(question_id=question.pk, now=timezone.now())
    error = ""
    if request.method == "POST" and answer is None:
        response = response_from_post(item, request.POST)
        if held:
            error = HELD_MESSAGE
        elif response is None:
            error = "请先作答再提交。"
        else:
            practice_answer(session=session, response=response, now=timezone.now())
            return redirect(session)
    context = {
        "session": session,
        "question": question_views([item])[0],
        "error": error,
        "answer": answer,
        "held": held and answer is None,
        "held_message": HELD_MESSAGE,
    }
    if answer is not None:
        context["review"] = with_law_links(review_views([item], withheld={question.pk} if held else ()))[0]
    return render(request, "learning/exams/practice_question.html", context, status=400 if error else 200)


@login_required
@require_POST
def practice_advance(request, pk):
    session = get_object_or_404(PracticeSession, pk=pk, user=request.user)
    practice_next(session=session, now=timezone.now())
    return redirect(session)


@login_required
@require_GET
def mistake_list(request):
    mistakes = Mistake.objects.of(request.user).outstanding().select_related("question__domain")
    page = Paginator(mistakes, 20).get_page(request.GET.get("page"))
    return render(request, "learning/exams/mistakes.html", {"page_obj": page})
