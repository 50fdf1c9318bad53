from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.images.fields import WagtailImageField

from learning.models.records import LearningRecord, LearningSource
from learning.study.external import certificate_check
from learning.study.models import AttendanceStatus, ExternalTraining, GroupStudySession
from organisation.dates import DateRangeFormMixin
from organisation.ids import IdMultipleChoiceField
from organisation.models import Department, display_name

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MATERIAL_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "txt", "odt", "ods")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        profile = getattr(obj, "staff_profile", None)
        department = f"（{profile.department}）" if profile and profile.department_id else ""
        return f"{display_name(obj)}{department}"


class StaffMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return StaffChoiceField.label_from_instance(self, obj)


def staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__isnull=False, staff_profile__left_on__isnull=True)
        .select_related("staff_profile__department")
        .order_by("staff_profile__department__sort_order", "staff_profile__employee_no")
    )


class SessionForm(DateRangeFormMixin, forms.ModelForm):
    invited_departments = IdMultipleChoiceField(
        label="参加处室（含下属单位）",
        queryset=Department.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invited_people = StaffMultipleChoiceField(
        label="参加人员", queryset=staff_users(), required=False, help_text="按住 Ctrl（手机上直接点选）可多选"
    )
    material_file = forms.FileField(
        label="上传学习材料", required=False, help_text="PDF、Word、PPT 等，不超过 20 MB；上传后学员可下载"
    )

    class Meta:
        model = GroupStudySession
        fields = [
            "kind",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "speaker",
            "description",
            "credit_hours",
            "invite_everyone",
            "invited_departments",
            "invited_people",
            "allow_uninvited",
            "cancelled",
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "description": forms.Textarea(attrs={"rows": 4})}

    def clean_material_file(self):
        upload = self.cleaned_data.get("material_file")
        if upload:
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension not in MATERIAL_EXTENSIONS:
                raise ValidationError("学习材料须为 PDF、Word、Excel、PPT 或文本文件。")
            if upload.size > 20 * 1024 * 1024:
                raise ValidationError("学习材料不能超过 20 MB。")
        return upload

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "结束时间须晚于开始时间。")
        if not (cleaned.get("invite_everyone") or cleaned.get("invited_departments") or cleaned.get("invited_people")):
            raise ValidationError("请选择参加对象：全体人员、处室或人员。")
        self._keep_what_attendance_recorded(cleaned)
        return cleaned

    def _keep_what_attendance_recorded(self, cleaned):
        """Once someone is signed in, their hours and date are on record: the session's hours, day and
        cancellation no longer change (a mistake is put right by a correction record)."""
        session = self.instance
        if session.pk is None or not session.attendance.filter(status=AttendanceStatus.PRESENT).exists():
            return
        signed_in = "已有人员签到，学时已按签到时的设置计入学习档案"
        hours = cleaned.get("credit_hours")
        if hours is not None and hours != session.credit_hours:
            self.add_error("credit_hours", f"{signed_in}，学时不能再修改；如需调整，请由管理员登记更正。")
        starts = cleaned.get("starts_at")
        if starts and timezone.localdate(starts) != timezone.localdate(session.starts_at):
            self.add_error("starts_at", f"{signed_in}，日期不能再修改；如需调整，请由管理员登记更正。")
        if cleaned.get("cancelled") and not session.cancelled:
            self.add_error("cancelled", f"{signed_in}，不能取消；如需冲减学时，请由管理员登记更正。")


class AttendanceForm(forms.Form):
    person = StaffChoiceField(label="人员", queryset=staff_users())
    action = forms.ChoiceField(
        label="登记为", choices=[("present", "签到"), ("leave", "请假")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="请假事由", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "leave" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "请填写请假事由。")
        return cleaned


class NotesForm(forms.ModelForm):
    class Meta:
        model = GroupStudySession
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}


class PhotoForm(forms.Form):
    image = WagtailImageField(label="现场照片")
    caption = forms.CharField(label="说明", max_length=200, required=False)


class ExternalTrainingForm(DateRangeFormMixin, forms.ModelForm):
    class Meta:
        model = ExternalTraining
        fields = ["kind", "title", "organiser", "completed_on", "hours", "score", "certificate"]
        widgets = {"completed_on": DATE}
        help_texts = {"certificate": "PDF、JPG 或 PNG，不超过 10 MB；仅本人、审核人和档案查阅人可见"}

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload:
            certificate_check(upload)
        return upload

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise ValidationError("完成日期不能晚于今天。")
        return value


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果", choices=[("approve", "通过，计入学时"), ("reject", "退回")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "退回须说明原因。")
        return cleaned


class CorrectionForm(DateRangeFormMixin, forms.Form):
    corrects = forms.ModelChoiceField(label="更正的记录", queryset=LearningRecord.objects.none(), required=False)
    source = forms.ChoiceField(label="学时来源", choices=LearningSource.choices)
    hours = forms.DecimalField(
        label="更正学时",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("-100"),
        max_value=Decimal("100"),
        help_text="补记填正数，冲减填负数",
    )
    occurred_on = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, records=None, **kwargs):
        super().__init__(*args, **kwargs)
        if records is not None:
            self.fields["corrects"].queryset = records
        self.fields["corrects"].label_from_instance = lambda r: f"{r.occurred_on} {r.title}（{r.hours} 学时）"

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours == 0:
            raise ValidationError("更正学时不能为 0。")
        return hours
