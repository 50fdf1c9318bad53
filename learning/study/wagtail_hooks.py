import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail import hooks

from learning.study.models import ExternalTraining, GroupStudySession
from learning.study.records import may_read_others
from learning.study.setup import my_course_cards, my_start_panel
from organisation.navigation import NAV_HOOK, NavItem
from organisation.panels import START_PANELS
from organisation.todo import TODO_HOOK, Todo


def _is_staff(request) -> bool:
    return hasattr(request.user, "staff_profile")


def _may_organise(request) -> bool:
    return request.user.has_perm("learning.organise_groupstudysession")


def _may_review(request) -> bool:
    return request.user.has_perm("learning.review_externaltraining")


def _may_read_others(request) -> bool:
    return may_read_others(request.user)


@hooks.register(NAV_HOOK, order=20)
def study_nav_items():
    return [
        NavItem("课程学习", "study:courses", group="study", order=10, visible=_is_staff),
        NavItem("集中学法", "study:sessions", group="study", order=40, visible=_is_staff),
        NavItem("上级培训", "study:external", group="study", order=50, visible=_is_staff),
        NavItem("学习档案", "study:record", group="study", order=60, visible=_is_staff),
        NavItem("组织学法", "study:organise", group="work", order=10, visible=_may_organise),
        NavItem("培训审核", "study:review_list", group="work", order=20, visible=_may_review),
        NavItem("人员档案", "study:people", group="work", order=30, visible=_may_read_others),
    ]


hooks.register(START_PANELS, my_start_panel)


@hooks.register(TODO_HOOK, order=20)
def trainings_to_review(request):
    if not _may_review(request):
        return None
    pending = ExternalTraining.objects.reviewable_by(request.user).pending()
    return Todo("上级培训待审核", pending.count(), reverse("study:review_list"))


@hooks.register(TODO_HOOK, order=50)
def courses_due(request):
    """Assigned courses not yet credited whose due date has passed or is a week away at most."""
    if not _is_staff(request):
        return None
    due = [card for card in my_course_cards(request) if card.overdue or card.due_soon]
    return Todo("课程即将到期", len(due), reverse("study:courses"))


@hooks.register(TODO_HOOK, order=60)
def sessions_tomorrow(request):
    if not _is_staff(request):
        return None
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    sessions = GroupStudySession.objects.invited(request.user).filter(
        cancelled=False, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    )
    return Todo("明天集中学法", sessions.count(), reverse("study:sessions"))
