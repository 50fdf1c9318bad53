"""The question chooser used by fixed papers: searchable by stem, filterable by type, active questions only."""

from django import forms

from wagtail.admin.auth import permission_denied
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views

from learning.exams.answers import QuestionType
from learning.exams.models import Question
from organisation import choosers


class QuestionFilterForm(BaseFilterForm):
    q = forms.CharField(label="题干包含", required=False)
    qtype = forms.ChoiceField(label="题型", required=False, choices=[("", "全部题型"), *QuestionType.choices])

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            objects = objects.filter(stem__icontains=query)
            self.is_searching, self.search_query = True, query
        if self.cleaned_data.get("qtype"):
            objects = objects.filter(qtype=self.cleaned_data["qtype"])
        return objects


class BankReadersOnly:
    """Wagtail's choosers ask only for admin access; this one lists the bank's stems, so it asks for
    the permission to read the bank too (普法宣传, say, works in the admin but may not browse questions)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("learning.view_question"):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class QuestionChooseView(BankReadersOnly, chooser_views.ChooseView):
    filter_form_class = QuestionFilterForm


class QuestionChooseResultsView(BankReadersOnly, chooser_views.ChooseResultsView):
    filter_form_class = QuestionFilterForm


class QuestionChosenView(BankReadersOnly, choosers.ChosenView):
    pass


class QuestionChosenMultipleView(BankReadersOnly, choosers.ChosenMultipleView):
    pass


class QuestionChooserViewSet(choosers.ValidIdsChooserViewSet):
    model = Question
    icon = "help"
    choose_one_text = "选择题目"
    choose_another_text = "选择其他题目"
    edit_item_text = "编辑题目"
    page_title = "选择题目"
    per_page = 30
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    chosen_view_class = QuestionChosenView
    chosen_multiple_view_class = QuestionChosenMultipleView

    def get_object_list(self):
        return Question.objects.active().order_by("-pk")


question_chooser_viewset = QuestionChooserViewSet("question_chooser", url_prefix="exams/question-chooser")
