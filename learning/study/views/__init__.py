"""The staff's study pages, one module per feature; ``learning/study/urls.py`` names them through this package."""

from learning.study.views.common import staff_required
from learning.study.views.external import external_certificate, external_list, review, review_list
from learning.study.views.lessons import courses, lesson_complete_view, lesson_heartbeat_view, lesson_quiz_view
from learning.study.views.records import (
    people,
    person_record,
    person_record_xlsx,
    record,
    record_correct,
    record_xlsx_view,
)
from learning.study.views.sessions import (
    checkin,
    organise,
    session_add,
    session_attendance,
    session_detail,
    session_edit,
    session_list,
    session_manage,
    session_material,
    session_notes,
    session_photo,
    session_photo_file,
    session_qr,
    session_qr_svg,
)

__all__ = [
    "checkin",
    "courses",
    "external_certificate",
    "external_list",
    "lesson_complete_view",
    "lesson_heartbeat_view",
    "lesson_quiz_view",
    "organise",
    "people",
    "person_record",
    "person_record_xlsx",
    "record",
    "record_correct",
    "record_xlsx_view",
    "review",
    "review_list",
    "session_add",
    "session_attendance",
    "session_detail",
    "session_edit",
    "session_list",
    "session_manage",
    "session_material",
    "session_notes",
    "session_photo",
    "session_photo_file",
    "session_qr",
    "session_qr_svg",
    "staff_required",
]
