"""The year's figures as .xlsx, or one sheet of them as CSV."""

from django.http import Http404

from oversight.assessment import letter_scores, letters_for
from oversight.exports import SHEETS, year_frames, year_xlsx
from oversight.views.common import XLSX, download, filtered_figures, oversight_required


def _scores(figures, filters):
    return letter_scores(figures, letters_for(figures)) if not filters.role else []


@oversight_required
def export_xlsx(request, filters):
    figures = filtered_figures(filters)
    content = year_xlsx(figures, scores=_scores(figures, filters), scope_label=filters.scope_label)
    return download(content, XLSX, f"oversight-{filters.year}.xlsx")


@oversight_required
def export_csv(request, filters, sheet):
    if sheet not in SHEETS:
        raise Http404
    from organisation.spreadsheets import write_csv

    figures = filtered_figures(filters)
    frames = year_frames(figures, scores=_scores(figures, filters), scope_label=filters.scope_label)
    return download(write_csv(frames[sheet]), "text/csv; charset=utf-8", f"oversight-{filters.year}-{sheet}.csv")
