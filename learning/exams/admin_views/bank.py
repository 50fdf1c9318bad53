"""The question bank (题库) in the admin: list, edit, inspect and delete, refused where one has a stake."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from learning.exams.admin_forms import QuestionForm
from learning.exams.admin_views.common import refused
from learning.exams.integrity import CONFLICT, KEY_HIDDEN, conflicted_ids, hidden_key_ids
from learning.exams.models import Question
from learning.exams.pictures import pictures_html
from website.choosers import law_article_chooser_viewset


class ProtectedDeleteView(generic.DeleteView):
    """Deleting a question or exam that attempts used is refused with a message, not an error page."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, "已有人作答过，不能删除；请改为停用题目或取消发布考试，以保留作答记录。")
            return redirect(self.get_success_url())


class QuestionIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user = self.request.user
        if user.has_perm("learning.import_questions"):
            buttons.append(HeaderButton("导入题目", url=reverse("exams_question_import"), icon_name="upload"))
        if user.has_perm("learning.export_questions"):
            for fmt, label in (("xlsx", "导出 Excel"), ("moodle-xml", "导出 Moodle XML")):
                url = reverse("exams_question_export") + f"?format={fmt}"
                buttons.append(HeaderButton(label, url=url, icon_name="download"))
        return buttons


class ConflictRefusedMixin:
    """Editing or deleting a question of an exam one has a stake in is refused (``learning.exams.integrity``)."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and str(pk).isdecimal() and int(pk) in conflicted_ids(request):
            return refused(request, CONFLICT)
        return super().dispatch(request, *args, **kwargs)


class QuestionEditView(ConflictRefusedMixin, generic.EditView):
    pass


class QuestionDeleteView(ConflictRefusedMixin, ProtectedDeleteView):
    pass


class QuestionInspectView(generic.InspectView):
    """The keys, 解析 and 评分要点 of questions in a running exam one must sit are not shown to them."""

    SECRET_FIELDS = ("key_display", "explanation", "rubric")

    def get_field_display_value(self, field_name, field):
        if field_name in self.SECRET_FIELDS and self.object.pk in hidden_key_ids(self.request):
            return KEY_HIDDEN
        if field_name == "picture_list":
            return pictures_html(self.object)
        return super().get_field_display_value(field_name, field)


class CorrectKeyColumn(Column):
    """A link to correct a question's answer key, for those allowed to (法制审核) and with no stake in its exams."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        allowed = (
            request
            and request.user.has_perm("learning.correct_answer_key")
            and instance.qtype != "essay"
            and instance.pk not in conflicted_ids(request)
        )
        url = reverse("exams_question_correct_key", args=[instance.pk])
        context["value"] = format_html('<a href="{}">更正答案</a>', url) if allowed else ""
        return context


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = "题库"
    add_to_admin_menu = False
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    delete_view_class = QuestionDeleteView
    inspect_view_class = QuestionInspectView
    list_display = ["__str__", "qtype", "difficulty", "domain", "status", CorrectKeyColumn("correct", label="")]
    list_filter = ["qtype", "status", "difficulty", "domain"]
    search_fields = ["stem", "explanation", "legal_basis_text"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        *("qtype", "stem", "options", "picture_list", "key_display", "explanation", "rubric", "legal_basis_label")
    ]
    copy_view_enabled = False
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("qtype"), FieldPanel("status")]),
            FieldPanel("stem"),
            MultiFieldPanel(
                [FieldPanel(name) for name in QuestionForm.OPTION_FIELDS],
                heading="选项（单选、多选题）",
                classname="collapsible",
            ),
            FieldPanel("answer_text"),
            FieldPanel("rubric"),
            FieldPanel("explanation"),
            MultiFieldPanel(
                [
                    FieldPanel("legal_basis", widget=law_article_chooser_viewset.widget_class),
                    FieldPanel("legal_basis_text"),
                ],
                heading="法律依据",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("domain"), FieldPanel("difficulty"), FieldPanel("points")]),
                    FieldPanel("tags"),
                    FieldPanel("practice_allowed"),
                ],
                heading="分类",
            ),
        ],
        base_form_class=QuestionForm,
    )

    def get_queryset(self, request):
        return Question.objects.select_related("domain")


question_viewset = QuestionViewSet("exam_questions", url_prefix="exams/questions")
