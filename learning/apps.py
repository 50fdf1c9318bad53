from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "学法考法"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learning.exams import setup as exams_setup
        from learning.study import setup as study_setup

        study_setup.ready()
        exams_setup.ready()
