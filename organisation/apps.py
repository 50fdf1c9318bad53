from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "组织与人员"
    default_auto_field = "django.db.models.BigAutoField"
