from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from organisation.models import NotificationSettings
from organisation.security import login_attempt_begin, login_attempt_failed, login_attempt_succeeded


class ThrottleMixin:
    """Refuse sign-in after repeated failures for the same account; slow an address after many failures."""

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (username and password):  # nothing to check: the fields' own errors say what is missing
            return super().clean()
        now = timezone.now()
        refused = login_attempt_begin(self.request, username, now=now)
        if refused is not None:
            raise forms.ValidationError(refused.message, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_attempt_failed(self.request, now=now)  # the account keeps the attempt counted
            raise
        login_attempt_succeeded(self.request, username)
        return cleaned


class SignInForm(ThrottleMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
    }


class AdminSignInForm(ThrottleMixin, WagtailLoginForm):
    pass


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="职工名单（.xlsx）", help_text="列：工号、姓名、处室、职务、是否执法人员、执法证号、手机、离岗日期"
    )
    dry_run = forms.BooleanField(label="仅检查，不导入", required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        return upload


class NotificationSettingsForm(forms.ModelForm):
    """Which notices also come by email. The signed-in person's own: the form names no account."""

    class Meta:
        model = NotificationSettings
        fields = ["email_tasks", "email_decisions", "email_reminders"]
