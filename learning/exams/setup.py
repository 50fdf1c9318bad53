from django.utils import timezone

from organisation.panels import Panel, once_per_request


def my_exam_cards(request) -> list:
    """The request user's exam cards, read once for the start page's panel and its 待办."""
    from learning.exams.queries import exam_cards

    return once_per_request(request, "exam_cards", lambda: exam_cards(user=request.user, now=timezone.now()))


def my_exams_panel(request, **context):
    """The 我的学习 start page: exams open now or soon, and how many questions wait in the 错题本."""
    from learning.exams.models import Mistake

    cards = [card for card in my_exam_cards(request) if not card.is_past]
    mistakes = Mistake.objects.of(request.user).outstanding().count()
    return Panel("learning/exams/start_panel.html", {"cards": cards[:3], "mistakes": mistakes}, order=20)


def ready() -> None:
    """Add the exams' sheet to the learning record (called from LearningConfig.ready); the navigation
    and panels are registered in learning/exams/wagtail_hooks.py."""
    from learning.exams.record import exam_record_sheet
    from learning.study.records import register_record_sheet

    register_record_sheet(exam_record_sheet)
