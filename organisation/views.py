from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail.admin.auth import permission_required

from organisation.forms import NotificationSettingsForm, SignInForm, StaffImportForm
from organisation.ids import is_id
from organisation.models import Notification, NotificationSettings
from organisation.navigation import account_links
from organisation.notifications import notification_mark_read, notification_settings_update
from organisation.services import staff_import, staff_template_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (the header's button); an address typed or followed asks to confirm
    with the same button instead of a blank 405."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/logged_out.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("/")
        return render(request, "accounts/logout_confirm.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@permission_required("organisation.import_staff")
@require_http_methods(["GET", "POST"])
def staff_import_view(request):
    """Admin screen: upload an .xlsx, see row-level errors or what would change, then import."""
    report = None
    if request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = staff_import(fileobj=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
            if report.ok and not report.dry_run:
                messages.success(request, report.summary())
    else:
        form = StaffImportForm()
    return render(request, "organisation/admin/staff_import.html", {"form": form, "report": report})


@permission_required("organisation.import_staff")
def staff_template_view(request):
    response = HttpResponse(staff_template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''staff-template.xlsx"
    return response


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user).select_related("resolved_by__staff_profile")
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(request, "organisation/notifications.html", {"page_obj": page})


@login_required
@require_POST
def notification_read(request):
    ids = request.POST.getlist("id")
    notification_mark_read(user=request.user, notification_ids=[i for i in ids if is_id(i)] if ids else None)
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(next_url)
    return redirect("notifications")


@require_GET
def menu_view(request):
    """The navigation as a page: where the 菜单 link leads when the browser runs no script."""
    return render(request, "navigation/menu_page.html")


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request):
    """我的账户: who is signed in, sign-out, password, notifications and their emails, and what the other apps add
    (calendars). The email settings saved are always the signed-in person's own."""
    current = NotificationSettings.objects.filter(user=request.user).first() or NotificationSettings()
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        notification_settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, "邮件通知设置已保存。")
        return redirect("account")
    return render(
        request,
        "accounts/account.html",
        {
            "profile": getattr(request.user, "staff_profile", None),
            "unread": Notification.objects.for_user(request.user).unread().count(),
            "links": account_links(request),
            "settings_form": form,
        },
    )
