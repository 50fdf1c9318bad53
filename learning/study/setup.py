"""Navigation items, start-page panels and the course index's sign-in restriction (called from LearningConfig.ready)."""

from django.db.models.signals import post_save
from django.utils import timezone

from organisation.navigation import NavItem, register_nav_item
from organisation.panels import Panel, register_panel


def _is_staff(request) -> bool:
    return hasattr(request.user, "staff_profile")


def _may_organise(request) -> bool:
    return request.user.has_perm("learning.organise_groupstudysession")


def _may_review(request) -> bool:
    return request.user.has_perm("learning.review_externaltraining")


def _may_read_others(request) -> bool:
    from learning.study.records import may_read_others

    return may_read_others(request.user)


def my_start_panel(request, **context):
    """我的学习: assigned courses with progress and due dates, upcoming group study, hours this year."""
    if not _is_staff(request):
        return None
    from learning.study.models import CoursePage, GroupStudySession
    from learning.study.progress import course_cards, hours_this_year

    now = timezone.now()
    courses = CoursePage.objects.live().assigned_to(request.user).order_by("path")
    assigned, _ = course_cards(user=request.user, courses=courses)
    sessions = list(GroupStudySession.objects.invited(request.user).upcoming(now)[:5])
    return Panel(
        "learning/study/panels/my_start.html",
        {
            "open_courses": [card for card in assigned if not card.credited_on],
            "done_courses": [card for card in assigned if card.credited_on],
            "sessions": sessions,
            "year": timezone.localdate(now).year,
            "hours": hours_this_year(user=request.user, year=timezone.localdate(now).year),
        },
        order=10,
    )


def restrict_course_index(sender, instance, created, raw=False, **kwargs):
    """Every course index is for signed-in users only, so public listings and search never show study content."""
    if raw:
        return
    from wagtail.models import PageViewRestriction

    if not PageViewRestriction.objects.filter(page=instance).exists():
        PageViewRestriction.objects.create(page=instance, restriction_type=PageViewRestriction.LOGIN)


def ready() -> None:
    from learning.study.models import CourseIndexPage

    register_nav_item(NavItem("课程学习", "study:courses", section="staff", order=10, visible=_is_staff))
    register_nav_item(NavItem("集中学法", "study:sessions", section="staff", order=20, visible=_is_staff))
    register_nav_item(NavItem("上级培训", "study:external", section="staff", order=30, visible=_is_staff))
    register_nav_item(NavItem("学习档案", "study:record", section="staff", order=40, visible=_is_staff))
    register_nav_item(NavItem("组织学法", "study:organise", section="manage", order=10, visible=_may_organise))
    register_nav_item(NavItem("培训审核", "study:review_list", section="manage", order=20, visible=_may_review))
    register_nav_item(NavItem("人员档案", "study:people", section="manage", order=30, visible=_may_read_others))
    register_panel("my_start", my_start_panel)
    post_save.connect(restrict_course_index, sender=CourseIndexPage, dispatch_uid="restrict_course_index")
