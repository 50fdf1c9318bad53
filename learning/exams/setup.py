from django.utils import timezone

from organisation.navigation import NavItem, register_nav_item
from organisation.panels import Panel, register_panel


def _has_profile(request) -> bool:
    return hasattr(request.user, "staff_profile")


def my_exams_panel(request, **context):
    """The 我的学习 start page: exams open now or soon, and how many questions wait in the 错题本."""
    from learning.exams.models import Mistake
    from learning.exams.queries import exam_cards

    cards = [card for card in exam_cards(user=request.user, now=timezone.now()) if card.state != "closed"]
    mistakes = Mistake.objects.of(request.user).outstanding().count()
    return Panel("learning/exams/start_panel.html", {"cards": cards[:3], "mistakes": mistakes}, order=20)


def ready() -> None:
    """Register navigation items and panels (called from LearningConfig.ready)."""
    from learning.exams.record import exam_record_sheet, record_panel
    from learning.study.records import register_record_sheet

    register_nav_item(NavItem("考试", "exams:index", section="staff", order=30, visible=_has_profile))
    register_nav_item(NavItem("练习", "exams:practice", section="staff", order=35, visible=_has_profile))
    register_panel("my_start", my_exams_panel)
    register_panel("learning_record", record_panel)
    register_record_sheet(exam_record_sheet)
