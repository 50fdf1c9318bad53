from django.urls import path, reverse
from django.utils import timezone

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from learning.exams import basis_views
from learning.exams.admin_views import choosers, corrections, grading, interchange, papers, statistics
from learning.exams.integrity import corrections_to_decide, gradable_items
from learning.exams.models import Question
from learning.exams.record import record_panel
from learning.exams.setup import my_exam_cards, my_exams_panel
from organisation.navigation import NAV_HOOK, NavItem
from organisation.panels import RECORD_PANELS, START_PANELS
from organisation.todo import TODO_HOOK, Todo


class PermissionMenuItem(MenuItem):
    """A menu item shown to those holding any of the named permissions."""

    def __init__(self, *args, permissions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return any(request.user.has_perm(perm) for perm in self.permissions)


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return [papers.ExamsGroup(), choosers.question_chooser_viewset]


@hooks.register("register_exams_menu_item")
def register_grading_menu_item():
    return PermissionMenuItem(
        "简答题阅卷", reverse("exams_grading"), icon_name="edit", order=10, permissions=["learning.grade_essays"]
    )


@hooks.register("register_exams_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        "导入题目",
        reverse("exams_question_import"),
        icon_name="upload",
        order=11,
        permissions=["learning.import_questions"],
    )


@hooks.register("register_exams_menu_item")
def register_corrections_menu_item():
    return PermissionMenuItem(
        "答案更正记录",
        reverse("exams_corrections"),
        icon_name="history",
        order=12,
        permissions=corrections.CORRECTION_READERS,
    )


@hooks.register("register_exams_menu_item")
def register_superseded_basis_menu_item():
    return PermissionMenuItem(
        "依据已修订",
        reverse("exams_superseded_basis"),
        icon_name="warning",
        order=13,
        permissions=[basis_views.REVIEWER_PERMISSION],
    )


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [
        path("exams/legal-basis/", basis_views.superseded_basis_report, name="exams_superseded_basis"),
        path(
            "exams/legal-basis/<int:pk>/confirm/",
            basis_views.question_basis_confirm_view,
            name="exams_question_basis_confirm",
        ),
        path(
            "exams/legal-basis/<int:pk>/repoint/",
            basis_views.question_basis_repoint_view,
            name="exams_question_basis_repoint",
        ),
        path("exams/import/", interchange.question_import_view, name="exams_question_import"),
        path("exams/import/template.xlsx", interchange.question_template_view, name="exams_question_template"),
        path("exams/export/", interchange.question_export_view, name="exams_question_export"),
        path(
            "exams/questions/<int:pk>/correct-key/",
            corrections.question_correct_key_view,
            name="exams_question_correct_key",
        ),
        path("exams/corrections/", corrections.correction_list, name="exams_corrections"),
        path("exams/corrections/<int:pk>/", corrections.correction_detail, name="exams_correction"),
        path("exams/corrections/<int:pk>/decide/", corrections.correction_decide, name="exams_correction_decide"),
        path("exams/grading/", grading.grading_queue, name="exams_grading"),
        path("exams/grading/<int:pk>/", grading.grade_item, name="exams_grade_item"),
        path("exams/papers/<int:pk>/statistics/", statistics.statistics_view, name="exams_statistics"),
        path("exams/papers/<int:pk>/statistics.xlsx", statistics.statistics_xlsx, name="exams_statistics_xlsx"),
    ]


def _has_profile(request) -> bool:
    return hasattr(request.user, "staff_profile")


@hooks.register(NAV_HOOK, order=30)
def exams_nav_items():
    return [
        NavItem("考试", "exams:index", group="study", order=20, visible=_has_profile),
        NavItem("练习", "exams:practice", group="study", order=30, visible=_has_profile),
    ]


hooks.register(START_PANELS, my_exams_panel)
hooks.register(RECORD_PANELS, record_panel)


@hooks.register(TODO_HOOK, order=10)
def essays_to_grade(request):
    if not request.user.has_perm("learning.grade_essays"):
        return None
    return Todo("简答题待阅卷", gradable_items(request.user, timezone.now()).count(), reverse("exams_grading"))


@hooks.register(TODO_HOOK, order=15)
def key_corrections_to_decide(request):
    if not request.user.has_perm("learning.confirm_answerkeycorrection"):
        return None
    return Todo(
        "答案更正待复核", corrections_to_decide(request.user, timezone.now()).count(), reverse("exams_corrections")
    )


@hooks.register(TODO_HOOK, order=20)
def questions_with_superseded_basis(request):
    """依据已修订: the questions this person entered whose cited article a revision changed (the admin
    report lists every flagged question and page, whoever entered it)."""
    if not request.user.has_perm(basis_views.REVIEWER_PERMISSION):
        return None
    count = Question.objects.basis_superseded().filter(created_by=request.user).count()
    return Todo("题目法律依据已修订待确认", count, reverse("exams_superseded_basis"))


@hooks.register(TODO_HOOK, order=40)
def exams_to_take(request):
    """Exams open now (or their resit) that the person has not passed and is not waiting to hear about."""
    if not _has_profile(request):
        return None
    cards = my_exam_cards(request)
    waiting = [
        card
        for card in cards
        if card.can_start and not (card.result and (card.result.passed or card.result.awaiting_grading))
    ]
    return Todo("考试进行中", len(waiting), reverse("exams:index"))
