"""Yearly planning: departments and their campaigns, 普法责任清单, copying them and planning a year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns import permissions, services
from campaigns.forms import PlanYearForm
from campaigns.models import Campaign, CampaignStatus, Event, Milestone, ResponsibilityList
from campaigns.views.access import plan_editor, plan_viewer
from campaigns.views.common import year_param
from organisation.models import Department
from organisation.validators import YEAR_MAX, YEAR_MIN


@plan_viewer
def department_list_view(request):
    year = year_param(request)
    departments = (
        Department.objects.active()
        .annotate(
            led=Count(
                "led_campaigns",
                filter=Q(led_campaigns__year=year) & ~Q(led_campaigns__status=CampaignStatus.CANCELLED),
                distinct=True,
            ),
            partnered=Count(
                "partner_campaigns",
                filter=Q(partner_campaigns__year=year) & ~Q(partner_campaigns__status=CampaignStatus.CANCELLED),
                distinct=True,
            ),
            has_list=Count("responsibility_lists", filter=Q(responsibility_lists__year=year), distinct=True),
        )
        .select_related("parent")
    )
    return render(request, "campaigns/departments.html", {"year": year, "departments": departments})


@plan_viewer
def department_view(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    year = year_param(request)
    campaigns = (
        Campaign.objects.for_year(year)
        .for_department(department)
        .select_related("key_date", "lead_department")
        .prefetch_related(Prefetch("events", queryset=Event.objects.order_by("starts_at")))
        .order_by("start_date")
    )
    responsibility = (
        ResponsibilityList.objects.filter(department=department, year=year)
        .prefetch_related("laws", "audiences", "key_dates", "domains")
        .select_related("liaison__staff_profile")
        .first()
    )
    milestones = (
        Milestone.objects.open()
        .filter(campaign__lead_department=department, campaign__year=year)
        .select_related("campaign", "assignee__staff_profile")
    )
    context = {
        "department": department,
        "year": year,
        "campaigns": campaigns,
        "responsibility": responsibility,
        "milestones": milestones,
        "today": timezone.localdate(),
        "can_subscribe": permissions.can_subscribe_department(request.user, department),
    }
    return render(request, "campaigns/department.html", context)


@plan_viewer
def responsibility_list_view(request):
    year = year_param(request)
    lists = (
        ResponsibilityList.objects.for_year(year)
        .select_related("department", "liaison__staff_profile")
        .prefetch_related("laws", "audiences", "key_dates", "domains")
        .order_by("department__sort_order")
    )
    return render(request, "campaigns/responsibilities.html", {"year": year, "lists": lists})


@plan_editor
@require_POST
def copy_lists_view(request):
    """复制上一年度责任清单: each department's new list from last year's, once."""
    if not permissions.can_copy_lists(request.user):
        raise PermissionDenied
    form = PlanYearForm(request.POST)
    this_year = timezone.localdate().year
    if not form.is_valid() or form.cleaned_data["year"] not in (this_year, this_year + 1):
        messages.error(request, f"只能为{this_year}年或{this_year + 1}年复制普法责任清单。")
        return redirect("campaigns:home")
    year = form.cleaned_data["year"]
    result = services.responsibility_lists_copy_year(year=year)
    (messages.success if result.created else messages.info)(request, result.summary())
    return redirect(f"{reverse('campaigns:home')}?year={year}")


@plan_editor
@require_POST
def plan_year_view(request):
    if not permissions.can_plan_year(request.user):
        raise PermissionDenied
    form = PlanYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"请输入 {YEAR_MIN} 至 {YEAR_MAX} 之间的年度。")
        return redirect("campaigns:home")
    year = form.cleaned_data["year"]
    result = services.plan_year(year=year, actor=request.user)
    messages.success(request, result.summary())
    if warning := result.stale_lists_warning():
        messages.warning(request, warning)
    return redirect(f"{reverse('campaigns:home')}?year={year}")
