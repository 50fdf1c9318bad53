"""The public online quiz (知识竞答) of an event, and the publicity team's page for setting it up.

The visitor's pages are never stored by the visitors' page cache or a browser: the form carries a
per-visitor token, the result page the visitor's answers (``never_cache`` marks both private,
no-store, and neither view opts in with ``mark_cacheable``). Nothing here opens a session, so
taking a quiz sets no cookie but the CSRF one.
"""

import copy
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import permissions, services
from campaigns.forms import QuizEntryForm, QuizSettingsForm
from campaigns.models import Event, EventKind, Quiz, QuizAnswer, QuizParticipant
from campaigns.models.quizzes import default_question_types
from campaigns.quiz import (
    AlreadySubmitted,
    FormExpired,
    FormInvalid,
    PaperChanged,
    PhoneUsedToday,
    QuizUnavailable,
    filled_too_fast,
    ip_take,
    paper_from_token,
    paper_items,
    paper_token,
    phone_digest,
    phone_mark_used,
    phone_used_today,
    public_items,
    quiz_draw,
)
from learning.exams.paper import question_views, response_from_post, review_views
from learning.exams.queries import keys_withheld, with_law_links
from organisation.errors import show_refusal
from organisation.ids import id_or_404
from organisation.security import client_ip

PHONE_USED = "该手机号今天已参加过本次竞答，请明天再来。"
TOO_MANY = "提交过于频繁，请稍后再试。"


def _public_quiz(pk: int) -> Quiz:
    return get_object_or_404(
        Quiz.objects.public().select_related("event__campaign__lead_department"), event_id=id_or_404(pk)
    )


def _notice_page(request, quiz, *, title: str, message: str, status: int, participant=None, retry_after=None):
    response = render(
        request,
        "campaigns/public/quiz_notice.html",
        {"quiz": quiz, "event": quiz.event, "title": title, "message": message, "participant": participant},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _form_page(request, quiz, *, items, form, status=200, notice=""):
    return render(
        request,
        "campaigns/public/quiz.html",
        {"quiz": quiz, "event": quiz.event, "questions": question_views(items), "form": form, "notice": notice},
        status=status,
    )


def _fresh_form(request, quiz, now, *, status=200, notice="", name="", phone=""):
    try:
        paper = quiz_draw(quiz=quiz, now=now)
    except QuizUnavailable as error:
        return _notice_page(request, quiz, title="暂时无法答题", message=str(error), status=503, retry_after=600)
    form = QuizEntryForm(initial={"token": paper_token(paper), "name": name, "phone": phone})
    return _form_page(request, quiz, items=paper.items, form=form, status=status, notice=notice)


def _closed(request, quiz, now, *, status: int):
    if now < quiz.opens_at:
        opens = timezone.localtime(quiz.opens_at)
        message = f"本次竞答将于 {opens.year}年{opens.month}月{opens.day}日 {opens:%H:%M} 开始，欢迎届时参加。"
        return _notice_page(request, quiz, title="竞答尚未开始", message=message, status=status)
    return _notice_page(request, quiz, title="竞答已结束", message="本次竞答已结束，感谢关注。", status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def quiz_view(request, pk: int):
    """GET: a fresh paper. POST: hand it in (rate limits, honeypot, token checks), then the result page."""
    quiz = _public_quiz(pk)
    now = timezone.now()
    if not quiz.is_open(now):
        return _closed(request, quiz, now, status=200 if request.method == "GET" else 403)
    if request.method == "GET":
        return _fresh_form(request, quiz, now)

    take = ip_take(request, now)
    if not take.allowed:
        return _notice_page(
            request, quiz, title="请稍后再试", message=TOO_MANY, status=429, retry_after=take.retry_after
        )
    form = QuizEntryForm(request.POST)
    if form.is_bot:
        return _notice_page(
            request, quiz, title="提交未被接受", message="答卷未被接受，请重新打开答题页面作答。", status=400
        )
    name, phone = request.POST.get("name", ""), request.POST.get("phone", "")
    try:
        paper = paper_from_token(quiz=quiz, token=request.POST.get("token", ""), now=now)
    except FormExpired:
        notice = "答题页面打开时间过长，已为您换一组新题，请重新作答。"
        return _fresh_form(request, quiz, now, status=400, notice=notice, name=name, phone=phone)
    except FormInvalid:
        notice = "答题页面无效，已为您换一组新题，请重新作答。"
        return _fresh_form(request, quiz, now, status=400, notice=notice, name=name, phone=phone)
    earlier = QuizParticipant.objects.filter(quiz=quiz, nonce=paper.nonce).first()
    if earlier is not None:
        return _notice_page(
            request,
            quiz,
            title="已经提交过",
            message="这份答卷已经提交过，不能重复提交。",
            status=409,
            participant=earlier,
        )
    try:
        items = paper_items(paper)
    except PaperChanged:
        notice = "竞答题目刚刚更新，已为您换一组新题，请重新作答。"
        return _fresh_form(request, quiz, now, status=409, notice=notice, name=name, phone=phone)
    for item in items:
        item.response = response_from_post(item, request.POST)
    if filled_too_fast(paper, now):
        notice = "提交太快了：请认真阅读每道题，检查答案后再提交。"
        return _form_page(request, quiz, items=public_items(items), form=form, status=400, notice=notice)
    if not form.is_valid():
        return _form_page(
            request, quiz, items=public_items(items), form=form, status=400, notice="请按提示修改后再提交。"
        )
    digest = phone_digest(form.cleaned_data["phone"])
    if phone_used_today(quiz=quiz, digest=digest, now=now):
        return _notice_page(request, quiz, title="今天已参加", message=PHONE_USED, status=429)
    try:
        participant = services.quiz_submit(
            quiz=quiz,
            nonce=paper.nonce,
            started_at=paper.issued_at,
            items=items,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            client_ip=client_ip(request),
            now=now,
        )
    except AlreadySubmitted as refused:
        return _notice_page(
            request, quiz, title="已经提交过", message=str(refused), status=409, participant=refused.participant
        )
    except PhoneUsedToday:
        return _notice_page(request, quiz, title="今天已参加", message=PHONE_USED, status=429)
    phone_mark_used(quiz=quiz, digest=digest, now=now)
    return redirect(participant.get_absolute_url())


@never_cache
@require_GET
def quiz_result_view(request, pk: int, key: str):
    """The visitor's score, and only now the right answers and 解析 (the link is unguessable, never listed)."""
    participant = get_object_or_404(
        QuizParticipant.objects.select_related("quiz__event__campaign"), quiz__event_id=id_or_404(pk), result_key=key
    )
    answers = list(participant.answers.all())
    withheld = keys_withheld([answer.question_id for answer in answers], now=timezone.now())
    reviews = with_law_links(review_views(answers, withheld=withheld))
    quiz = participant.quiz
    return render(
        request,
        "campaigns/public/quiz_result.html",
        {
            "participant": participant,
            "quiz": quiz,
            "event": quiz.event,
            "reviews": reviews,
        },
    )


# --- the publicity team's page ----------------------------------------------------------------


def _initial_settings(event: Event) -> dict:
    key_date = event.campaign.key_date
    return {
        "opens_at": event.starts_at,
        "closes_at": max(event.ends_at, event.starts_at + datetime.timedelta(days=1)),
        "question_count": 10,
        "question_types": default_question_types(),
        "domains": [key_date.domain_id] if key_date and key_date.domain_id else [],
    }


def _question_rates(quiz: Quiz) -> list[dict]:
    """Each question's share of right answers, the hardest first (one query)."""
    rows = (
        QuizAnswer.objects.filter(participant__quiz=quiz)
        .values("question_id", "question__stem")
        .annotate(answered=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .order_by()
    )
    rates = [{**row, "rate": round(100 * row["right"] / row["answered"])} for row in rows if row["answered"]]
    return sorted(rates, key=lambda row: (row["rate"], -row["answered"]))[:10]


@login_required
@require_http_methods(["GET", "POST"])
def quiz_settings_view(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("campaign__key_date"), pk=pk)
    if not permissions.can_view_campaign(request.user, event.campaign):
        raise PermissionDenied
    quiz = Quiz.objects.filter(event=event).first()
    if event.kind != EventKind.ONLINE_QUIZ and quiz is None:
        raise Http404
    can_edit = permissions.can_edit(request.user) and not event.is_cancelled
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = QuizSettingsForm(
        request.POST or None,
        instance=copy.copy(quiz),  # the form changes its instance; the page keeps showing what is saved
        initial=None if quiz else _initial_settings(event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quiz_save(event=event, actor=request.user, data=form.cleaned_data)
        except services.CampaignError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, "知识竞答设置已保存。")
            return redirect("campaigns:quiz_settings", pk=event.pk)
    context = {"event": event, "campaign": event.campaign, "quiz": quiz, "form": form, "can_edit": can_edit}
    if quiz is not None:
        participants = quiz.participants.all()
        context.update(
            summary=participants.summary(),
            rates=_question_rates(quiz),
            page_obj=Paginator(participants, 30).get_page(request.GET.get("page")),
            is_open=quiz.is_open(timezone.now()),
        )
    return render(request, "campaigns/quiz_settings.html", context)
