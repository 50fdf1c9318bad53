from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "学法考法"
    default_auto_field = "django.db.models.BigAutoField"
