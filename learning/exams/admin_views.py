"""Wagtail admin screens: the question bank, exams, practice sets, import/export, grading, key correction, statistics.

Who does what (granted in migration 0003_exam_roles):
内容编辑 author the bank, exams and practice sets, import and export; 法制审核 review the bank's
legal content, grade 简答 answers and correct answer keys (with regrading); 法治办/局党委 read
everything, statistics included, and change nothing.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.admin.auth import any_permission_required, permission_denied, permission_required
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from learning.exams.admin_forms import ExamForm, GradeForm, KeyCorrectionForm, QuestionForm, QuestionImportForm
from learning.exams.answers import QuestionType, format_key
from learning.exams.integrity import (
    CONFLICT,
    EXAM_CONFLICT,
    KEY_HIDDEN,
    conflicted_ids,
    exam_in_conflict,
    gradable_items,
    hidden_key_ids,
    questions_with_hidden_keys,
)
from learning.exams.interchange.excel import template_excel
from learning.exams.models import (
    AnswerKeyCorrection,
    AttemptItem,
    AttemptStatus,
    CorrectionStatus,
    Exam,
    PracticeSet,
    Question,
    QuestionStatus,
    RegradeEntry,
)
from learning.exams.paper import review_views
from learning.exams.pictures import pictures_html
from learning.exams.services.exporting import EXPORT_FORMATS, questions_export
from learning.exams.services.grading import (
    GradingError,
    essay_grade,
    key_correction_confirm,
    key_correction_reject,
    question_correct_key,
)
from learning.exams.services.importing import question_import
from learning.exams.services.staging import (
    STAGING,
    staged_import_discard,
    staged_import_exists,
    staged_import_open,
    staged_import_save,
)
from learning.exams.services.statistics import exam_statistics, exam_statistics_xlsx
from organisation import choosers
from organisation.errors import show_refusal
from organisation.models import StaffProfile
from website.choosers import law_article_chooser_viewset

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The question chooser (used by fixed papers): searchable by stem, filterable by type, active questions only.
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


def refused(request, message: str):
    """A 403 page saying why, in the admin's frame (a conflict of interest is not a missing permission)."""
    return render(request, "learning/exams/admin/refused.html", {"message": message}, status=403)


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


question_viewset = QuestionViewSet("exam_questions", url_prefix="exams/questions")
exam_viewset = ExamViewSet("exam_papers", url_prefix="exams/papers")
practice_set_viewset = PracticeSetViewSet("practice_sets", url_prefix="exams/practice-sets")


class ExamsGroup(ModelViewSetGroup):
    menu_label = "考试题库"
    menu_icon = "help"
    menu_order = 300
    submenu_hook = "register_exams_menu_item"
    items = (question_viewset, exam_viewset, practice_set_viewset)


# Import: upload, see a dry-run report, then confirm; the upload waits in private storage meanwhile, and a
# scheduled job deletes what nobody confirmed within a day (learning.exams.tasks.discard_stale_question_imports).
def _staged_name(staged: dict) -> str:
    # Sessions from before staged files were named by learning.exams.services.staging kept token and suffix.
    return staged.get("file") or f"{STAGING}/{staged['token']}{staged['suffix']}"


def _discard_staged(request) -> None:
    """Forget this person's waiting upload and delete its file."""
    staged = request.session.pop("question_import", None)
    if staged:
        staged_import_discard(name=_staged_name(staged))


def _stage(request, upload, *, skip_unsupported: bool, as_draft: bool) -> None:
    request.session["question_import"] = {
        "file": staged_import_save(upload=upload, now=timezone.now()),
        "name": upload.name,
        "skip_unsupported": skip_unsupported,
        "as_draft": as_draft,
    }


@permission_required("learning.import_questions")
@require_http_methods(["GET", "POST"])
def question_import_view(request):
    report = None
    staged = request.session.get("question_import")
    form = QuestionImportForm()
    if request.method == "POST" and request.POST.get("confirm") and staged:
        name = _staged_name(staged)
        if not staged_import_exists(name=name):
            _discard_staged(request)
            messages.error(request, "待导入的文件已过期，请重新上传。")
            return redirect("exams_question_import")
        with staged_import_open(name=name) as fileobj:
            report = question_import(
                fileobj=fileobj,
                filename=staged["name"],
                skip_unsupported=staged["skip_unsupported"],
                status=QuestionStatus.DRAFT if staged["as_draft"] else QuestionStatus.ACTIVE,
                created_by=request.user,
            )
        _discard_staged(request)
        if report.ok:
            messages.success(request, report.summary())
            return redirect(question_viewset.get_url_name("index"))
    elif request.method == "POST":
        _discard_staged(request)
        form = QuestionImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = question_import(
                fileobj=upload,
                filename=upload.name,
                dry_run=True,
                skip_unsupported=form.cleaned_data["skip_unsupported"],
            )
            if report.ok and report.created:
                _stage(
                    request,
                    upload,
                    skip_unsupported=form.cleaned_data["skip_unsupported"],
                    as_draft=form.cleaned_data["as_draft"],
                )
    can_confirm = bool(report and report.ok and report.dry_run and report.created)
    return render(
        request,
        "learning/exams/admin/question_import.html",
        {"form": form, "report": report, "can_confirm": can_confirm},
    )


@permission_required("learning.import_questions")
@require_GET
def question_template_view(request):
    response = HttpResponse(template_excel(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''question-template.xlsx"
    return response


@permission_required("learning.export_questions")
@require_GET
def question_export_view(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    # The file carries keys: questions of a running exam the exporter must sit are left out of it.
    hidden = questions_with_hidden_keys(request.user, timezone.now()).values("pk")
    filename, content_type, data = questions_export(fmt=fmt, queryset=Question.objects.exclude(pk__in=hidden))
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@permission_required("learning.correct_answer_key")
@require_http_methods(["GET", "POST"])
def question_correct_key_view(request, pk):
    question = get_object_or_404(Question, pk=pk)
    if question.qtype == QuestionType.ESSAY:
        raise Http404
    if question.pk in conflicted_ids(request):
        return refused(request, CONFLICT)
    form = KeyCorrectionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            correction = question_correct_key(
                question=question,
                key=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                now=timezone.now(),
            )
        except GradingError as exc:
            show_refusal(request, exc, form=form)
        else:
            if correction.status == CorrectionStatus.PENDING:
                messages.warning(
                    request,
                    "这项更正会改变已结束考试的成绩，须由法治办另一位同志复核确认后才生效；在此之前答案和成绩都不变。",
                )
                return redirect("exams_correction", pk=correction.pk)
            messages.success(request, f"答案已更正，{correction.entries.count()} 份答卷已重新评分。")
            if correction.not_regraded:
                numbers = "、".join(f"#{pk}" for pk in correction.not_regraded)
                messages.warning(
                    request,
                    f"另有 {len(correction.not_regraded)} 份答卷用的是该题的旧版本"
                    f"（选项或空数不同，找不到新答案对应的内容），未自动重新评分，请人工核对：答卷编号 {numbers}。",
                )
            return redirect("exams_correction", pk=correction.pk)
    affected = AttemptItem.objects.filter(question=question).values("attempt").distinct().count()
    return render(
        request,
        "learning/exams/admin/correct_key.html",
        {"question": question, "form": form, "affected": affected, "current": format_key(question.qtype, question.key)},
    )


CORRECTION_READERS = ("learning.correct_answer_key", "learning.view_exam_statistics")


@any_permission_required(*CORRECTION_READERS)
@require_GET
def correction_list(request):
    corrections = (
        AnswerKeyCorrection.objects.select_related("question", "corrected_by", "confirmed_by")
        .annotate(attempts=Count("entries"))
        .order_by("-corrected_at", "-pk")
    )
    page = Paginator(corrections, 30).get_page(request.GET.get("page"))
    return render(request, "learning/exams/admin/corrections.html", {"page_obj": page})


@any_permission_required(*CORRECTION_READERS)
@require_GET
def correction_detail(request, pk):
    correction = get_object_or_404(
        AnswerKeyCorrection.objects.select_related("question", "corrected_by", "confirmed_by"), pk=pk
    )
    entries = list(
        RegradeEntry.objects.filter(correction=correction).select_related(
            "attempt__exam", "attempt__user__staff_profile"
        )
    )
    # Link a person's result only for those whose record this reader may open (else the link is a 404).
    owners = {entry.attempt.user_id for entry in entries}
    readable = set(
        StaffProfile.objects.visible_to(request.user).filter(user_id__in=owners).values_list("user_id", flat=True)
    )
    for entry in entries:
        entry.result_readable = request.user.is_superuser or entry.attempt.user_id in readable
    qtype = correction.question.qtype
    key_hidden = correction.question_id in hidden_key_ids(request)
    may_decide = (
        correction.status == CorrectionStatus.PENDING
        and request.user.has_perm("learning.confirm_answerkeycorrection")
        and correction.corrected_by_id != request.user.pk
        and correction.question_id not in conflicted_ids(request)
    )
    return render(
        request,
        "learning/exams/admin/correction_detail.html",
        {
            "correction": correction,
            "entries": entries,
            "key_hidden": key_hidden,
            "hidden_message": KEY_HIDDEN,
            "old_key": "" if key_hidden else format_key(qtype, correction.old_key),
            "new_key": "" if key_hidden else format_key(qtype, correction.new_key),
            "may_decide": may_decide,
        },
    )


DECISIONS = {"confirm": key_correction_confirm, "reject": key_correction_reject}


@permission_required("learning.confirm_answerkeycorrection")
@require_http_methods(["POST"])
def correction_decide(request, pk):
    """The second person confirms (the key changes and everyone is regraded) or rejects a pending correction."""
    correction = get_object_or_404(AnswerKeyCorrection, pk=pk)
    decide = DECISIONS.get(request.POST.get("decision", ""))
    if decide is None:
        messages.error(request, "请选择确认或驳回。")
        return redirect("exams_correction", pk=correction.pk)
    try:
        correction = decide(correction=correction, by=request.user, now=timezone.now())
    except GradingError as exc:
        show_refusal(request, exc)
        return redirect("exams_correction", pk=correction.pk)
    if correction.status == CorrectionStatus.APPLIED:
        messages.success(request, f"已确认，答案已更正，{correction.entries.count()} 份答卷已重新评分。")
    else:
        messages.success(request, "已驳回，答案和成绩不变。")
    return redirect("exams_correction", pk=correction.pk)


def _gradable(request):
    return gradable_items(request.user, timezone.now())


@permission_required("learning.grade_essays")
@require_GET
def grading_queue(request):
    """简答 answers waiting for a grade, oldest first, without candidates' names (blind grading)."""
    items = _gradable(request).select_related("attempt__exam").order_by("attempt__submitted_at", "position")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "learning/exams/admin/grading_queue.html", {"page_obj": page})


@permission_required("learning.grade_essays")
@require_http_methods(["GET", "POST"])
def grade_item(request, pk):
    # Only handed-in answers: an attempt still being sat is nobody's to read (and its rubric is not shown beside it).
    item = get_object_or_404(
        AttemptItem.objects.select_related("attempt__exam")
        .filter(snapshot__qtype=QuestionType.ESSAY)
        .exclude(attempt__status=AttemptStatus.OPEN),
        pk=pk,
    )
    if item.attempt.user_id == request.user.pk:
        raise Http404
    if exam_in_conflict(user=request.user, exam_id=item.attempt.exam_id, now=timezone.now()):
        return refused(request, EXAM_CONFLICT)
    if item.question_id in hidden_key_ids(request):
        return refused(request, KEY_HIDDEN)
    form = GradeForm(
        request.POST or None, points=item.points, initial={"score": item.score, "comment": item.grader_comment}
    )
    if request.method == "POST" and form.is_valid():
        try:
            essay_grade(
                item=item,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                now=timezone.now(),
            )
        except GradingError as exc:
            show_refusal(request, exc, form=form)
        else:
            messages.success(request, "已评分。")
            following = _gradable(request).order_by("attempt__submitted_at", "position").first()
            return redirect("exams_grade_item", pk=following.pk) if following else redirect("exams_grading")
    review = review_views([item])[0]
    return render(request, "learning/exams/admin/grade_item.html", {"item": item, "review": review, "form": form})


@permission_required("learning.view_exam_statistics")
@require_GET
def statistics_view(request, pk):
    exam = get_object_or_404(Exam, pk=pk)
    statistics = exam_statistics(exam)
    return render(
        request,
        "learning/exams/admin/statistics.html",
        {
            "exam": exam,
            "summary": statistics.summary,
            "distribution": statistics.rows("distribution"),
            "departments": statistics.rows("departments"),
            "people": statistics.rows("people"),
            "items": statistics.rows("items"),
        },
    )


@permission_required("learning.view_exam_statistics")
@require_GET
def statistics_xlsx(request, pk):
    exam = get_object_or_404(Exam, pk=pk)
    response = HttpResponse(exam_statistics_xlsx(exam_statistics(exam)), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=exam-{exam.pk}-statistics.xlsx"
    return response
