"""Exams and practice sets in the admin, grouped with the bank under 考试题库."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from learning.exams.admin_forms import ExamForm
from learning.exams.admin_views.bank import ProtectedDeleteView, question_viewset
from learning.exams.admin_views.choosers import question_chooser_viewset
from learning.exams.models import Exam, PracticeSet


class StatisticsColumn(Column):
    def get_value(self, instance):
        return format_html('<a href="{}">统计</a>', reverse("exams_statistics", args=[instance.pk]))


class ExamViewSet(ModelViewSet):
    model = Exam
    icon = "tasks"
    menu_label = "考试"
    add_to_admin_menu = False
    delete_view_class = ProtectedDeleteView
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "year",
        "published",
        "opens_at",
        "closes_at",
        "time_limit_minutes",
        "max_attempts",
        "pass_percent",
        "score_policy",
        "review_policy",
        "paper_mode",
        "multiple_policy",
        "hours",
        "resit_opens_at",
        "resit_closes_at",
    ]
    list_display = [
        "title",
        "year",
        "opens_at",
        "closes_at",
        BooleanColumn("published", label="已发布"),
        StatisticsColumn("stats", label=""),
    ]
    list_filter = ["year", "published"]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("year"), FieldPanel("published")]),
                    FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                    FieldRowPanel(
                        [FieldPanel("time_limit_minutes"), FieldPanel("max_attempts"), FieldPanel("pass_percent")]
                    ),
                    FieldRowPanel([FieldPanel("score_policy"), FieldPanel("review_policy")]),
                    FieldPanel("multiple_policy"),
                    FieldRowPanel([FieldPanel("hours"), FieldPanel("issues_certificate")]),
                ],
                heading="基本信息",
            ),
            ObjectList(
                [
                    FieldPanel("paper_mode"),
                    FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
                    InlinePanel(
                        "fixed_questions",
                        heading="固定试题",
                        label="试题",
                        panels=[
                            FieldPanel("question", widget=question_chooser_viewset.widget_class),
                            FieldPanel("points"),
                        ],
                    ),
                    InlinePanel(
                        "rules",
                        heading="抽题规则（随机组卷时使用；后一次考试优先抽取未做过的题）",
                        label="规则",
                        panels=[
                            FieldRowPanel([FieldPanel("qtype"), FieldPanel("count"), FieldPanel("points")]),
                            FieldRowPanel([FieldPanel("domain"), FieldPanel("tags")]),
                            FieldRowPanel([FieldPanel("easy"), FieldPanel("medium"), FieldPanel("hard")]),
                        ],
                    ),
                ],
                heading="试卷",
            ),
            ObjectList(
                [
                    FieldPanel("assign_everyone"),
                    FieldPanel("assign_enforcement_staff"),
                    FieldPanel("assign_departments", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("assign_people"),
                    InlinePanel(
                        "overrides",
                        heading="个人特殊安排（延长时间、单独时间段、增加次数）",
                        label="安排",
                        panels=[
                            FieldPanel("user"),
                            FieldRowPanel([FieldPanel("extra_minutes"), FieldPanel("extra_attempts")]),
                            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                            FieldPanel("reason"),
                        ],
                    ),
                ],
                heading="参考人员",
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("resit_opens_at"), FieldPanel("resit_closes_at")]),
                    FieldPanel("resit_attempts"),
                ],
                heading="补考",
            ),
        ],
        base_form_class=ExamForm,
    )


class PracticeSetViewSet(ModelViewSet):
    model = PracticeSet
    icon = "list-ul"
    menu_label = "练习"
    add_to_admin_menu = False
    list_display = ["title", "domain", "qtype", "question_count", BooleanColumn("is_active", label="启用")]
    form_fields = ["title", "description", "domain", "tags", "qtype", "question_count", "is_active", "sort_order"]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False


exam_viewset = ExamViewSet("exam_papers", url_prefix="exams/papers")
practice_set_viewset = PracticeSetViewSet("practice_sets", url_prefix="exams/practice-sets")


class ExamsGroup(ModelViewSetGroup):
    menu_label = "考试题库"
    menu_icon = "help"
    menu_order = 300
    submenu_hook = "register_exams_menu_item"
    items = (question_viewset, exam_viewset, practice_set_viewset)
