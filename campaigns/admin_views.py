"""Wagtail admin screens: key dates, responsibility lists, templates, campaigns, holiday arrangements."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wagtail.admin.auth import permission_required
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from campaigns import services
from campaigns.forms import PlanYearForm
from campaigns.models import Campaign, CampaignTemplate, HolidayYear, KeyDate, ResponsibilityList
from campaigns.workdays import WorkdayCalendar
from organisation.dates import DateRangeViewSetMixin
from organisation.errors import show_refusal


class KeyDateViewSet(ModelViewSet):
    model = KeyDate
    icon = "date"
    menu_label = "普法节点"
    list_display = ["name", Column("rule_text", label="规则"), "first_year", BooleanColumn("is_active", label="启用")]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    copy_view_enabled = False


class ResponsibilityListViewSet(ModelViewSet):
    model = ResponsibilityList
    icon = "list-ul"
    menu_label = "普法责任清单"
    list_display = ["department", "year", "liaison"]
    list_filter = ["year", "department"]
    search_fields = ["department__name", "duties"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return ResponsibilityList.objects.select_related("department", "liaison")


class CampaignTemplateViewSet(ModelViewSet):
    model = CampaignTemplate
    icon = "form"
    menu_label = "活动模板"
    list_display = ["name", BooleanColumn("is_default", label="默认模板"), "event_kind"]
    copy_view_enabled = False


class CampaignPermissionPolicy(ModelPermissionPolicy):
    """Campaigns are cancelled with a reason (campaign_cancel, recorded), never deleted: deleting one would take
    its append-only approval records with it. The admin offers no delete, to anyone."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [action for action in actions if action != "delete"])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "delete"])


class CampaignIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user = self.request.user
        if user.is_superuser or user.has_perm("campaigns.plan_year"):
            buttons.append(HeaderButton("生成年度计划", url=reverse("campaigns_plan_year_admin"), icon_name="calendar"))
        return buttons


class CampaignSavedByServices:
    """The admin's campaign forms save through the services, as the team's pages do: the year follows the
    start date, milestones follow a moved date, a campaign under approval cannot be changed, each step is
    recorded. A refusal is shown on the form and changes nothing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.CampaignError as error:
            show_refusal(self.request, error, form=form)
            self.produced_error_code = "validation_error"
            self.produced_error_message = str(error)
            return self.form_invalid(form)


class CampaignCreateView(CampaignSavedByServices, generic.CreateView):
    def save_instance(self):
        return services.campaign_create(actor=self.request.user, data=self.form.cleaned_data)


class CampaignEditView(CampaignSavedByServices, generic.EditView):
    def save_instance(self):
        return services.campaign_update(campaign=self.object, actor=self.request.user, data=self.form.cleaned_data)


class CampaignViewSet(DateRangeViewSetMixin, ModelViewSet):
    model = Campaign
    icon = "calendar-alt"
    menu_label = "活动方案"
    index_view_class = CampaignIndexView
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    form_fields = [
        "title",
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
    list_display = ["title", "year", "key_date", "lead_department", "status", "start_date"]
    list_filter = ["year", "status", "lead_department"]
    search_fields = ["title"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Campaign.objects.select_related("key_date", "lead_department")


class HolidayYearViewSet(ModelViewSet):
    model = HolidayYear
    icon = "date"
    menu_label = "节假日安排"
    list_display = ["year", "source", "updated_at"]
    copy_view_enabled = False


class CampaignsGroup(ModelViewSetGroup):
    menu_label = "普法活动"
    menu_icon = "calendar-alt"
    menu_order = 300
    items = (
        CampaignViewSet("campaign_admin", url_prefix="campaigns/campaigns"),
        KeyDateViewSet("key_dates", url_prefix="campaigns/key-dates"),
        ResponsibilityListViewSet("responsibility_lists", url_prefix="campaigns/responsibility-lists"),
        CampaignTemplateViewSet("campaign_templates", url_prefix="campaigns/templates"),
        HolidayYearViewSet("holidays", url_prefix="campaigns/holidays"),
    )


@permission_required("campaigns.plan_year")
@require_http_methods(["GET", "POST"])
def plan_year_admin_view(request):
    """Admin button: draft campaigns for every key date of a year (running it again adds nothing twice)."""
    form = PlanYearForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        result = services.plan_year(year=form.cleaned_data["year"], actor=request.user)
        messages.success(request, result.summary())
        if warning := result.stale_lists_warning():
            messages.warning(request, warning)
        return redirect(reverse("campaign_admin:index") + f"?year={result.year}")
    year = timezone.localdate().year + 1
    return TemplateResponse(
        request,
        "campaigns/admin/plan_year.html",
        {"form": form, "next_year": year, "holiday_known": WorkdayCalendar.load([year]).is_known(year)},
    )
