"""Closing a year: marking its report done and copying its targets to the next."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation.validators import parse_year
from oversight.rollover import may_copy_targets, targets_copy_year
from oversight.years import may_mark_report_done, report_mark_done


@login_required
@require_POST
def report_done_view(request):
    """法治办/局党委 mark last year's report done; the dashboard then opens on the new year."""
    if not may_mark_report_done(request.user):
        raise PermissionDenied
    year = parse_year(request.POST.get("year"))
    if year is None:
        messages.error(request, "请选择要标记的年度。")
        return redirect("oversight:dashboard")
    try:
        result = report_mark_done(year=year, user=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(reverse("oversight:dashboard") + f"?year={year}")
    if result.created:
        messages.success(request, f"已标记 {year} 年度报告完成，看板默认显示 {year + 1} 年。")
    else:
        messages.info(request, f"{year} 年度报告已于此前标记完成。")
    return redirect("oversight:dashboard")


@login_required
@require_POST
def copy_targets_view(request):
    """复制上一年度目标: the new year's targets and letters from last year's, once."""
    if not may_copy_targets(request.user):
        raise PermissionDenied
    this_year = timezone.localdate().year
    year = parse_year(request.POST.get("year"), lowest=this_year, highest=this_year + 1)
    if year is None:
        messages.error(request, f"只能为 {this_year} 或 {this_year + 1} 年度复制目标。")
        return redirect("oversight:dashboard")
    result = targets_copy_year(year=year, user=request.user)
    (messages.success if result.created else messages.info)(request, result.summary())
    return redirect(reverse("oversight_targets:index") + f"?year={year}")
