"""Exporting the bank as the Excel import template or as Moodle XML (both import back as the same questions)."""

from django.db.models import Prefetch

from learning.exams.interchange.excel import export_excel
from learning.exams.interchange.moodle import export_moodle_xml
from learning.exams.models import Question
from learning.exams.models.questions import picture_rows

EXPORT_FORMATS = {
    "xlsx": ("questions.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export_excel),
    "moodle-xml": ("questions.xml", "application/xml; charset=utf-8", export_moodle_xml),
}


def questions_for_export(queryset=None):
    queryset = queryset if queryset is not None else Question.objects.all()
    return (
        queryset.select_related("domain", "legal_basis__law", "legal_basis__version")
        .defer("legal_basis__law__text", "legal_basis__version__text")
        .prefetch_related("tags", Prefetch("pictures", queryset=picture_rows().select_related("image")))
        .order_by("pk")
    )


def questions_export(*, fmt: str, queryset=None) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the questions in the given format."""
    filename, content_type, writer = EXPORT_FORMATS[fmt]
    return filename, content_type, writer(list(questions_for_export(queryset)))
