from django.urls import path

from learning.exams import practice_views, views

app_name = "exams"

urlpatterns = [
    path("exams/", views.exam_list, name="index"),
    path("exams/<int:pk>/", views.exam_detail, name="detail"),
    path("exams/<int:pk>/start/", views.exam_start, name="start"),
    path("exams/attempts/<int:pk>/", views.attempt_take, name="take"),
    path("exams/attempts/<int:pk>/save/", views.attempt_save_view, name="save"),
    path("exams/attempts/<int:pk>/submit/", views.attempt_submit_view, name="submit"),
    path("exams/attempts/<int:pk>/result/", views.attempt_result, name="result"),
    path("exams/certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    path("exams/certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("practice/", practice_views.practice_index, name="practice"),
    path("practice/start/", practice_views.practice_begin, name="practice_start"),
    path("practice/mistakes/", practice_views.mistake_list, name="mistakes"),
    path("practice/<int:pk>/", practice_views.practice_session, name="practice_session"),
    path("practice/<int:pk>/next/", practice_views.practice_advance, name="practice_next"),
]
