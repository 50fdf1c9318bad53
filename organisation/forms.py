from django import forms
from django.contrib.auth.forms import AuthenticationForm

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from organisation.security import login_attempt_begin, login_attempt_succeeded

THROTTLED_MESSAGE = "登录失败次数过多，请 15 分钟后再试。"


class ThrottleMixin:
    """Refuse sign-in after repeated failures for the same account or from the same address."""

    def clean(self):
        username = self.data.get("username", "")
        if not login_attempt_begin(self.request, username):
            raise forms.ValidationError(THROTTLED_MESSAGE, code="throttled")
        cleaned = super().clean()  # a failure stays counted
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
        label="职工名单（.xlsx）", help_text="列：工号、姓名、处室、职务、是否执法人员、执法证号、手机"
    )
    dry_run = forms.BooleanField(label="仅检查，不导入", required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        return upload
