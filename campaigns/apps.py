from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "普法活动"
    default_auto_field = "django.db.models.BigAutoField"
