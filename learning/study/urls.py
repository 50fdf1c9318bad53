from django.urls import path

from learning.study import views

app_name = "study"

urlpatterns = [
    path("study/courses/", views.courses, name="courses"),
    path("study/lessons/<int:lesson_id>/heartbeat/", views.lesson_heartbeat_view, name="lesson_heartbeat"),
    path("study/lessons/<int:lesson_id>/complete/", views.lesson_complete_view, name="lesson_complete"),
    path("study/lessons/<int:lesson_id>/quiz/", views.lesson_quiz_view, name="lesson_quiz"),
    path("study/sessions/", views.session_list, name="sessions"),
    path("study/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("study/sessions/<int:pk>/materials/<int:material_pk>/", views.session_material, name="session_material"),
    path("study/sessions/<int:pk>/photos/<int:photo_pk>/", views.session_photo_file, name="session_photo_file"),
    path("study/checkin/<str:token>/", views.checkin, name="checkin"),
    path("study/organise/", views.organise, name="organise"),
    path("study/organise/new/", views.session_add, name="session_add"),
    path("study/organise/<int:pk>/", views.session_manage, name="session_manage"),
    path("study/organise/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("study/organise/<int:pk>/qr/", views.session_qr, name="session_qr"),
    path("study/organise/<int:pk>/qr.svg", views.session_qr_svg, name="session_qr_svg"),
    path("study/organise/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("study/organise/<int:pk>/notes/", views.session_notes, name="session_notes"),
    path("study/organise/<int:pk>/photos/", views.session_photo, name="session_photo"),
    path("study/external/", views.external_list, name="external"),
    path("study/external/<int:pk>/certificate/", views.external_certificate, name="external_certificate"),
    path("study/review/", views.review_list, name="review_list"),
    path("study/review/<int:pk>/", views.review, name="review"),
    path("me/record/", views.record, name="record"),
    path("me/record/export.xlsx", views.record_xlsx_view, name="record_xlsx"),
    path("me/record/people/", views.people, name="people"),
    path("me/record/<int:person_id>/", views.person_record, name="person_record"),
    path("me/record/<int:person_id>/export.xlsx", views.person_record_xlsx, name="person_record_xlsx"),
    path("me/record/<int:person_id>/correct/", views.record_correct, name="record_correct"),
]
