from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "门户网站"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisation.navigation import NavItem, register_nav_item
        from organisation.panels import register_panel
        from website import panels, signals

        signals.connect(self)
        register_nav_item(NavItem("普法资料", "/explainers/", section="public", order=10))
        register_nav_item(NavItem("法规库", "/laws/", section="public", order=20))
        register_nav_item(NavItem("搜索", "website:search", section="public", order=80))
        register_panel("public_home", panels.latest_explainers)
        register_panel("public_home", panels.law_library)
        register_panel("public_home", panels.domains)
