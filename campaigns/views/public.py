"""The public's pages: upcoming 普法活动 and one event's details (with its quiz, when it has one)."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from campaigns.models import Event, Quiz
from website.cache import mark_cacheable


def _public_events():
    return Event.objects.upcoming_public(timezone.now()).select_related("campaign", "campaign__lead_department", "quiz")


def _quiz_of(event: Event) -> Quiz | None:
    """The event's quiz (none for a cancelled event), read from ``select_related("quiz")``."""
    try:
        return event.quiz if not event.is_cancelled else None
    except Quiz.DoesNotExist:
        return None


def public_event_list_view(request):
    now = timezone.now()
    page = Paginator(_public_events(), 20).get_page(request.GET.get("page"))
    quizzes = [quiz for quiz in map(_quiz_of, page) if quiz is not None]
    if not any(_quiz_changes_soon(quiz, now) for quiz in quizzes):
        mark_cacheable(request)  # visitors get a stored copy until an event changes (see campaigns.panels)
    open_quiz_events = {quiz.event_id for quiz in quizzes if quiz.is_open(now)}
    return render(request, "campaigns/public/event_list.html", {"page_obj": page, "open_quiz_events": open_quiz_events})


def _quiz_changes_soon(quiz: Quiz | None, now: datetime.datetime) -> bool:
    """Whether the quiz opens or closes before a stored copy of the page would expire (its link would be stale)."""
    if quiz is None:
        return False
    horizon = now + datetime.timedelta(seconds=getattr(settings, "WEBSITE_PAGE_CACHE_SECONDS", 600))
    return any(now <= moment <= horizon for moment in (quiz.opens_at, quiz.closes_at))


def public_event_view(request, pk: int):
    event = get_object_or_404(
        Event.objects.published().select_related("campaign", "campaign__lead_department", "quiz"),
        pk=pk,
    )
    now = timezone.now()
    quiz = _quiz_of(event)
    if not _quiz_changes_soon(quiz, now):
        mark_cacheable(request)
    partners = event.partner_departments.all()
    return render(
        request,
        "campaigns/public/event_detail.html",
        {
            "event": event,
            "partners": partners,
            "is_past": event.ends_at < now,
            "quiz": quiz,
            "quiz_open": quiz is not None and quiz.is_open(now),
            "quiz_upcoming": quiz is not None and now < quiz.opens_at,
        },
    )
