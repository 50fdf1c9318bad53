"""What every oversight page shares: who may see it, the parsed filters, the year's figures and the frame."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from oversight.access import may_view_all, require_scope
from oversight.figures import (
    role_choices,
    year_figures,
)
from oversight.filters import parse_filters, year_choices
from oversight.years import may_mark_report_done, report_completion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BEHIND_ON_DASHBOARD = 15
PER_PAGE = 50


def oversight_required(view):
    """Signed in, with a scope (法治办/局党委, superusers, department heads); the filters come parsed."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        scope = require_scope(request.user)
        filters = parse_filters(request, scope)
        return view(request, filters, *args, **kwargs)

    return wrapped


def bureau_required(view):
    """The annual report is the whole bureau's: 法治办/局党委 and superusers only."""

    @wraps(view)
    def wrapped(request, filters, *args, **kwargs):
        if not may_view_all(request.user):
            raise PermissionDenied
        return view(request, filters, *args, **kwargs)

    return wrapped


def filtered_figures(filters):
    return year_figures(year=filters.year, departments=filters.departments, role=filters.role)


def base_context(request, filters, **extra):
    return {
        "filters": filters,
        "years": year_choices(),
        "roles": role_choices(),
        "may_view_all": may_view_all(request.user),
        "year_turn": _year_turn(request, filters),
        **extra,
    }


def _year_turn(request, filters) -> dict | None:
    """On a past year: the way to this year and, for the committee, to marking that year's report done."""
    this_year = timezone.localdate().year
    if filters.year >= this_year:
        return None
    done = report_completion(filters.year)
    # A letter or a session belongs to its year: the way forward from there is the dashboard.
    here = request.resolver_match.url_name not in ("letter", "session")
    path = request.path if here else reverse("oversight:dashboard")
    return {
        "this_year": this_year,
        "this_year_url": f"{path}?{filters.query(year=this_year)}",
        "report_done": done,
        "may_mark_done": done is None and filters.year == this_year - 1 and may_mark_report_done(request.user),
    }


def person_rows(frame) -> list[dict]:
    return frame[
        [
            "profile_id",
            "employee_no",
            "name",
            "department",
            "is_law_enforcement",
            "targets",
            "hours_target",
            "hours",
            "hours_short",
            "courses_required",
            "courses_done",
            "exams_required",
            "exams_passed",
            "sessions_expected",
            "sessions_present",
            "attendance_rate",
            "status",
            "missing",
        ]
    ].to_dict("records")


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response
