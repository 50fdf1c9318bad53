"""Learning records: one's own, a colleague's for those who may read it, exports and corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from learning.models.records import LearningRecord
from learning.study import forms
from learning.study.awards import learning_record_correct
from learning.study.records import may_read_others, people_hours, record_xlsx, record_year
from learning.study.views.common import XLSX, staff_required
from organisation.models import StaffProfile
from organisation.panels import RECORD_PANELS, panels_for
from organisation.validators import parse_year

# Learning record -------------------------------------------------------------------------------


def _year(request) -> int:
    today = timezone.localdate()
    return parse_year(request.GET.get("year"), highest=today.year + 1) or today.year


def _person(request, person_id) -> StaffProfile:
    """Someone whose record the user may read; anyone else's id is "not found", never "forbidden"."""
    person = StaffProfile.objects.visible_to(request.user).select_related("department", "user").filter(pk=person_id)
    person = person.first()
    if person is None:
        raise Http404
    return person


def _render_record(request, person, *, own: bool):
    year = _year(request)
    data = record_year(person=person, year=year)
    can_correct = request.user.has_perm("learning.correct_learningrecord")
    return render(
        request,
        "learning/study/record.html",
        {
            "person": person,
            "own": own,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "record": data,
            "panels": panels_for(RECORD_PANELS, request, person=person, year=year),
            "can_correct": can_correct,
            "xlsx_url": (reverse("study:record_xlsx") if own else reverse("study:person_record_xlsx", args=[person.pk]))
            + f"?year={year}",
        },
    )


@staff_required
@require_GET
def record(request):
    profile = getattr(request.user, "staff_profile", None)
    if profile is None:
        return redirect("study:people")
    return _render_record(request, profile, own=True)


@login_required
@require_GET
def person_record(request, person_id):
    person = _person(request, person_id)
    return _render_record(request, person, own=person.user_id == request.user.pk)


def _xlsx_response(person, year):
    response = HttpResponse(record_xlsx(person=person, year=year), content_type=XLSX)
    filename = f"learning-record-{person.employee_no}-{year}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@staff_required
@require_GET
def record_xlsx_view(request):
    profile = getattr(request.user, "staff_profile", None)
    if profile is None:
        raise Http404
    return _xlsx_response(profile, _year(request))


@login_required
@require_GET
def person_record_xlsx(request, person_id):
    return _xlsx_response(_person(request, person_id), _year(request))


@login_required
@require_GET
def people(request):
    """Whose records I may read: a department head their department, oversight everyone."""
    visible = StaffProfile.objects.visible_to(request.user).active()
    if not may_read_others(request.user):
        raise PermissionDenied
    year = _year(request)
    query = request.GET.get("q", "").strip()
    if query:
        visible = visible.filter(real_name__icontains=query)
    page = Paginator(visible.order_by("department__sort_order", "employee_no"), 50).get_page(request.GET.get("page"))
    rows = people_hours(profiles=StaffProfile.objects.filter(pk__in=[p.pk for p in page]), year=year)
    order = {p.pk: i for i, p in enumerate(page)}
    rows.sort(key=lambda row: order[row[0].pk])
    return render(
        request,
        "learning/study/people.html",
        {"rows": rows, "page_obj": page, "year": year, "q": query, "query_string": f"year={year}&q={query}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_correct(request, person_id):
    if not request.user.has_perm("learning.correct_learningrecord"):
        raise PermissionDenied
    person = _person(request, person_id)
    records = LearningRecord.objects.filter(user=person.user).order_by("-occurred_on", "-pk")
    initial = {"occurred_on": timezone.localdate()}
    corrects_id = request.GET.get("record", "")
    if corrects_id.isdecimal():
        target = records.filter(pk=corrects_id).first()
        if target is not None:
            initial.update({"corrects": target, "source": target.source, "hours": -target.hours})
            if target.year != initial["occurred_on"].year:
                initial["occurred_on"] = target.occurred_on  # a correction counts in the record's year
    form = forms.CorrectionForm(request.POST or None, records=records, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learning_record_correct(
                user=person.user,
                hours=data["hours"],
                reason=data["reason"],
                created_by=request.user,
                occurred_on=data["occurred_on"],
                source=data["source"],
                corrects=data["corrects"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "更正记录已添加。")
            return redirect(reverse("study:person_record", args=[person.pk]) + f"?year={data['occurred_on'].year}")
    return render(request, "learning/study/record_correct.html", {"person": person, "form": form})
