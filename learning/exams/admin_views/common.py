"""What the exams admin screens share: the spreadsheet type and the refusal page."""

from django.shortcuts import render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refused(request, message: str):
    """A 403 page saying why, in the admin's frame (a conflict of interest is not a missing permission)."""
    return render(request, "learning/exams/admin/refused.html", {"message": message}, status=403)
