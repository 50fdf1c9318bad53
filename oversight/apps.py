from django.apps import AppConfig


def _may_view_dashboard(request) -> bool:
    from oversight.access import may_view_dashboard

    return may_view_dashboard(request.user)


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "法治督查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisation.navigation import NavItem, register_nav_item
        from organisation.panels import register_panel
        from oversight.panels import my_target_panel, record_target_panel

        register_nav_item(
            NavItem("法治督查", "oversight:dashboard", section="manage", order=5, visible=_may_view_dashboard)
        )
        register_panel("my_start", my_target_panel)
        register_panel("learning_record", record_target_panel)
