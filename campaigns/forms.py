import unicodedata

from django import forms
from django.contrib.auth import get_user_model

from campaigns.models import Campaign, Event, EventOutcome, KeyDate, Quiz
from campaigns.models.quizzes import OBJECTIVE_TYPES
from campaigns.quiz import normalise_phone
from organisation.dates import DateRangeFormMixin
from organisation.ids import IdMultipleChoiceField
from organisation.models import Department, display_name
from organisation.validators import YEAR_MAX, YEAR_MIN
from website.models import Audience, Domain, LawPage

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PersonChoiceMixin:
    def label_from_instance(self, user):
        profile = getattr(user, "staff_profile", None)
        department = (
            f"（{profile.department.short_name or profile.department.name}）" if profile and profile.department else ""
        )
        return f"{display_name(user)}{department}"


class PersonChoiceField(PersonChoiceMixin, forms.ModelChoiceField):
    pass


class PeopleChoiceField(PersonChoiceMixin, IdMultipleChoiceField):
    pass


def people():
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__isnull=False)
        .select_related("staff_profile__department")
        .order_by("staff_profile__department__sort_order", "staff_profile__employee_no")
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class CampaignForm(DateRangeFormMixin, forms.ModelForm):
    coordinator = PersonChoiceField(label="联络人", queryset=people(), required=False)

    class Meta:
        model = Campaign
        fields = [
            "title",
            "key_date",
            "start_date",
            "end_date",
            "lead_department",
            "partner_departments",
            "coordinator",
            "description",
            "laws",
            "audiences",
            "budget",
            "summary",
        ]
        field_classes = {
            "partner_departments": IdMultipleChoiceField,
            "laws": IdMultipleChoiceField,
            "audiences": IdMultipleChoiceField,
        }
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "partner_departments": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "laws": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = people()
        self.fields["key_date"].queryset = KeyDate.objects.active()
        self.fields["lead_department"].queryset = Department.objects.active()
        self.fields["partner_departments"].queryset = Department.objects.active()
        self.fields["laws"].queryset = LawPage.objects.live().order_by("title")
        self.fields["audiences"].queryset = Audience.objects.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and start > end:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        return cleaned


class EventForm(DateRangeFormMixin, forms.ModelForm):
    staff = PeopleChoiceField(
        label="工作人员", queryset=people(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "description",
            "staff",
            "partner_departments",
            "budget",
            "materials",
            "is_public",
        ]
        field_classes = {"partner_departments": IdMultipleChoiceField}
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "partner_departments": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people()
        self.fields["partner_departments"].queryset = Department.objects.active()
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and starts_at >= ends_at:
            self.add_error("ends_at", "结束时间应晚于开始时间。")
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.ImageField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class OutcomeForm(forms.ModelForm):
    photos = PhotosField(label="活动照片", required=False, help_text="可多选，JPG/PNG，每张不超过 10 MB")

    class Meta:
        model = EventOutcome
        fields = ["participants", "materials_distributed", "online_reach", "media_coverage", "summary"]
        widgets = {"media_coverage": forms.Textarea(attrs={"rows": 3}), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quiz = self.instance.quiz_participants if self.instance.pk else 0
        if quiz:
            # The quiz's participants are counted by the system; the team enters only the rest.
            self.initial["online_reach"] = self.instance.other_reach
            field = self.fields["online_reach"]
            field.label = "其他线上覆盖（人次）"
            field.help_text = f"阅读、观看等人次；知识竞答的 {quiz} 人次已由系统自动计入，不必重复填写"


class QuizSettingsForm(DateRangeFormMixin, forms.ModelForm):
    question_types = forms.TypedMultipleChoiceField(
        label="题型",
        choices=[(qtype.value, qtype.label) for qtype in OBJECTIVE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text="只抽取题库中“启用”且可用于练习的客观题",
    )

    class Meta:
        model = Quiz
        fields = [
            "opens_at",
            "closes_at",
            "question_count",
            "question_types",
            "domains",
            "tags",
            "multiple_policy",
            "intro",
        ]
        field_classes = {"domains": IdMultipleChoiceField}
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "domains": forms.CheckboxSelectMultiple,
            "intro": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = Domain.objects.all()
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and opens_at >= closes_at:
            self.add_error("closes_at", "截止答题时间应晚于开始答题时间。")
        return cleaned


class QuizEntryForm(forms.Form):
    """Who hands in a public quiz. ``website`` is a honeypot: hidden from people, filled in by scripts."""

    name = forms.CharField(label="姓名", max_length=30, help_text="如获奖，凭姓名和手机号领取")
    phone = forms.CharField(
        label="手机号码（选填）",
        max_length=20,
        required=False,
        help_text="同一手机号每天可参加一次；只保存加密摘要和打码后的号码",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    website = forms.CharField(label="网址（请勿填写）", required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, max_length=4000)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name or any(unicodedata.category(char).startswith("C") for char in name):
            raise forms.ValidationError("请填写姓名。")
        return name

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="审批意见", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=YEAR_MIN, max_value=YEAR_MAX)
