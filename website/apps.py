from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "门户网站"
    default_auto_field = "django.db.models.BigAutoField"
