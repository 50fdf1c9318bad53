"""Wagtail admin screens where 法治办/局党委 set the year's targets and draw up responsibility letters."""

from django import forms
from django.contrib.auth import get_user_model

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from learning.exams.models import Exam
from learning.study.models import CoursePage
from oversight.models import ResponsibilityLetter, StudyTarget


def staff_label(user) -> str:
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return user.get_username()
    return f"{profile.real_name}（{profile.employee_no}，{profile.department or '未分配处室'}）"


class StudyTargetForm(WagtailAdminModelForm):
    """People are listed by name and department; only published courses can be required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = (
            get_user_model()
            .objects.filter(staff_profile__isnull=False, is_active=True)
            .select_related("staff_profile__department")
            .order_by("staff_profile__employee_no")
        )
        person.label_from_instance = staff_label
        self.fields["required_courses"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["required_exams"].queryset = Exam.objects.published().order_by("-year", "opens_at")


class StudyTargetViewSet(ModelViewSet):
    model = StudyTarget
    icon = "crosshairs"
    menu_label = "年度学法目标"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("year"), FieldPanel("scope")]),
            MultiFieldPanel(
                [FieldPanel("role"), FieldPanel("department"), FieldPanel("person")],
                heading="适用对象（按上方选择填写其一）",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("required_hours"),
                    FieldPanel("include_assigned_courses"),
                    FieldPanel("required_courses", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("required_exams", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("include_assigned_exams"),
                    FieldPanel("min_attendance_rate"),
                ],
                heading="要求",
                help_text="多条目标适用于同一人时，取最严格的要求（学时取最高、课程与考试取并集、出勤率取最高）；"
                "个人目标取代其他所有目标。",
            ),
            FieldPanel("note"),
        ],
        base_form_class=StudyTargetForm,
    )
    list_display = [
        "year",
        Column("subject_label", label="适用对象"),
        "required_hours",
        BooleanColumn("include_assigned_courses", label="含分配的必修课程"),
        "min_attendance_rate",
    ]
    list_filter = ["year", "scope"]
    copy_view_enabled = True

    def get_queryset(self, request):
        return StudyTarget.objects.select_related("role", "department", "person__staff_profile")


class ResponsibilityLetterViewSet(ModelViewSet):
    model = ResponsibilityLetter
    icon = "doc-full"
    menu_label = "目标责任书"
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("department")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("signatory"), FieldPanel("signed_on")]),
        FieldPanel("note"),
        InlinePanel(
            "items",
            label="考核项目",
            min_num=1,
            help_text="每项按平台数据计算：实际值达到满分标准得满分，不足按比例得分。",
        ),
    ]
    list_display = [Column("display_title", label="责任书"), "year", "department", "signatory", "signed_on"]
    list_filter = ["year", "department"]
    copy_view_enabled = True

    def get_queryset(self, request):
        return ResponsibilityLetter.objects.select_related("department")


class OversightGroup(ModelViewSetGroup):
    menu_label = "法治督查"
    menu_icon = "crosshairs"
    menu_order = 300
    items = (StudyTargetViewSet("oversight_targets"), ResponsibilityLetterViewSet("oversight_letters"))
