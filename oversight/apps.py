from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "法治督查"
    default_auto_field = "django.db.models.BigAutoField"
