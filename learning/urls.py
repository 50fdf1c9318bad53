from django.urls import include, path

# Study (courses, progress, group study, external training, the learning record) and exams
# (question bank, practice, exams, certificates) keep their own URL modules.
urlpatterns = [
    path("", include("learning.study.urls")),
    path("", include("learning.exams.urls")),
]
