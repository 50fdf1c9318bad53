"""Events (publicity) and responsibility letters with their scores."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from oversight.assessment import letter_scores, score_letter
from oversight.figures import year_figures
from oversight.models import ResponsibilityLetter
from oversight.views.common import base_context, oversight_required


@oversight_required
def events(request, filters):
    """The held publicity events behind a figure: by key date or all, each linking to its campaign."""
    publicity = year_figures(year=filters.year, departments=filters.departments).publicity
    events = publicity.events
    key_date = request.GET.get("key_date", "").strip()[:100]
    if key_date:
        events = events[events["key_date"] == key_date]
    context = base_context(
        request,
        filters,
        events=events.to_dict("records"),
        key_date=key_date,
        totals={
            "events": len(events),
            "participants": int(events["participants"].sum()) if len(events) else 0,
            "online_reach": int(events["online_reach"].sum()) if len(events) else 0,
            "materials": int(events["materials"].sum()) if len(events) else 0,
        },
    )
    return render(request, "oversight/events.html", context)


@oversight_required
def letters(request, filters):
    figures = year_figures(year=filters.year, departments=filters.departments)
    context = base_context(request, filters, scores=letter_scores(figures))
    return render(request, "oversight/letters.html", context)


@oversight_required
def letter(request, filters, pk):
    letter = get_object_or_404(
        ResponsibilityLetter.objects.for_departments(filters.scope.departments).select_related("department"), pk=pk
    )
    if letter.year != filters.year:
        raise Http404
    figures = year_figures(year=letter.year, departments=filters.scope.departments)
    context = base_context(request, filters, letter=letter, score=score_letter(figures, letter))
    return render(request, "oversight/letter.html", context)
