"""Admin screen: import a law from the file 国家法律法规数据库 offers (.docx or .txt), with a preview first.

The upload is read and shown (title, dates, counts of 编/章/节/条, first and last article) without saving;
the confirmation posts the text that was read back, which is read and checked again before anything is
saved, so no file is kept between the two steps.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wagtail.admin.auth import permission_denied

from organisation.errors import show_refusal
from website.lawfiles import LawFileError, law_file_read, official_law_read
from website.models.laws import LawLevel
from website.services import LawImportRefused, law_import, law_import_permitted, law_import_plan
from website.versioning import version_compare

LEVEL_CHOICES = [("", "按文件识别"), *LawLevel.choices]


class LawFileForm(forms.Form):
    file = forms.FileField(
        label="法规文件", help_text="从国家法律法规数据库（flk.npc.gov.cn）下载的 Word 文档（.docx）或文本文件（.txt）"
    )
    issuing_body = forms.CharField(
        label="制定机关", max_length=200, required=False, help_text="留空则按文件识别，如“全国人民代表大会常务委员会”"
    )
    level = forms.ChoiceField(label="效力级别", choices=LEVEL_CHOICES, required=False)


class LawImportConfirmForm(forms.Form):
    # The text that was read, posted back as it was shown (a textarea keeps its line breaks; never shown).
    text = forms.CharField(widget=forms.Textarea(attrs={"hidden": "hidden"}), strip=False)
    issuing_body = forms.CharField(label="制定机关", max_length=200, required=False)
    level = forms.ChoiceField(label="效力级别", choices=LEVEL_CHOICES, required=False)


@require_http_methods(["GET", "POST"])
def law_import_view(request):
    if not law_import_permitted(user=request.user):
        return permission_denied(request)
    if request.method == "POST" and "text" in request.POST:
        return _confirm(request)
    plan = confirm_form = comparison = None
    form = LawFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            law = law_file_read(data=upload.read(settings.IMPORT_MAX_BYTES + 1), filename=upload.name)
            plan = law_import_plan(
                law=law,
                user=request.user,
                issuing_body=form.cleaned_data["issuing_body"],
                level=form.cleaned_data["level"],
            )
        except (LawFileError, LawImportRefused) as error:
            _refuse(request, error, form)
        else:
            confirm_form = LawImportConfirmForm(
                initial={"text": law.text, "issuing_body": plan.issuing_body, "level": plan.level}
            )
            if plan.existing is not None:
                comparison = version_compare(law=plan.existing, parsed=law.parsed)
    context = {"form": form, "plan": plan, "confirm_form": confirm_form, "comparison": comparison}
    if comparison and comparison.current:
        context["same_date"] = comparison.current.version_date == plan.law.promulgated_on
    return render(request, "website/admin/law_import.html", context)


def _refuse(request, error, form) -> None:
    """Each problem of a refused file on its own line (a LawFileError may list several)."""
    for problem in getattr(error, "problems", None) or [error.message]:
        show_refusal(request, LawImportRefused(problem), form=form)


def _confirm(request):
    confirm_form = LawImportConfirmForm(request.POST)
    if confirm_form.is_valid():
        try:
            law = official_law_read(confirm_form.cleaned_data["text"])
            plan = law_import_plan(
                law=law,
                user=request.user,
                issuing_body=confirm_form.cleaned_data["issuing_body"],
                level=confirm_form.cleaned_data["level"],
            )
            result = law_import(plan=plan, user=request.user)
        except (LawFileError, LawImportRefused) as error:
            _refuse(request, error, confirm_form)
        else:
            messages.success(request, result.summary())
            return redirect("wagtailadmin_pages:edit", result.page.pk)
    refusals = ["未导入：" + error for error in confirm_form.non_field_errors()] or [
        "未导入：确认的内容不完整，请重新上传文件。"
    ]
    return render(
        request,
        "website/admin/law_import.html",
        {"form": LawFileForm(), "plan": None, "confirm_form": None, "refusals": refusals},
    )
