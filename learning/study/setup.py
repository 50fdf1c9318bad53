"""Start-page panel and navigation checks (registered in learning/study/wagtail_hooks.py) and the course index's
sign-in restriction (connected from LearningConfig.ready)."""

from django.db.models.signals import post_save
from django.utils import timezone

from organisation.panels import Panel, once_per_request


def _is_staff(request) -> bool:
    return hasattr(request.user, "staff_profile")


def my_course_cards(request) -> list:
    """Cards of the live courses assigned to the request user, read once for the start page's panel and 待办."""
    from learning.study.models import CoursePage
    from learning.study.progress import course_cards

    def read():
        courses = CoursePage.objects.live().assigned_to(request.user).order_by("path")
        return course_cards(user=request.user, courses=courses, all_assigned=True)[0]

    return once_per_request(request, "course_cards", read)


def my_start_panel(request, **context):
    """我的学习: assigned courses with progress and due dates, upcoming group study, hours this year."""
    if not _is_staff(request):
        return None
    from learning.study.models import GroupStudySession
    from learning.study.progress import hours_this_year

    now = timezone.now()
    assigned = my_course_cards(request)
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

    post_save.connect(restrict_course_index, sender=CourseIndexPage, dispatch_uid="restrict_course_index")
