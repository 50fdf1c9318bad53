"""What every study view shares: who counts as staff, and the file types served."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from learning.study.models.courses import may_study

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MATERIAL_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX,
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def staff_required(view):
    """Signed-in staff (or superusers); visitors go to sign in, other accounts get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_study(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
