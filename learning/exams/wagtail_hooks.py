from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from learning.exams import admin_views


class PermissionMenuItem(MenuItem):
    """A menu item shown to those holding any of the named permissions."""

    def __init__(self, *args, permissions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return any(request.user.has_perm(perm) for perm in self.permissions)


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return [admin_views.ExamsGroup(), admin_views.question_chooser_viewset]


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
        permissions=admin_views.CORRECTION_READERS,
    )


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [
        path("exams/import/", admin_views.question_import_view, name="exams_question_import"),
        path("exams/import/template.xlsx", admin_views.question_template_view, name="exams_question_template"),
        path("exams/export/", admin_views.question_export_view, name="exams_question_export"),
        path(
            "exams/questions/<int:pk>/correct-key/",
            admin_views.question_correct_key_view,
            name="exams_question_correct_key",
        ),
        path("exams/corrections/", admin_views.correction_list, name="exams_corrections"),
        path("exams/corrections/<int:pk>/", admin_views.correction_detail, name="exams_correction"),
        path("exams/grading/", admin_views.grading_queue, name="exams_grading"),
        path("exams/grading/<int:pk>/", admin_views.grade_item, name="exams_grade_item"),
        path("exams/papers/<int:pk>/statistics/", admin_views.statistics_view, name="exams_statistics"),
        path("exams/papers/<int:pk>/statistics.xlsx", admin_views.statistics_xlsx, name="exams_statistics_xlsx"),
    ]
