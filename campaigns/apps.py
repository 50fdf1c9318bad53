from django.apps import AppConfig


def _can_view_plan(request):
    from campaigns.permissions import can_view_plan

    return can_view_plan(request.user)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "普法活动"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from campaigns import panels
        from organisation.navigation import NavItem, register_nav_item
        from organisation.panels import register_panel

        register_nav_item(NavItem("普法活动", "campaigns:public_events", section="public", order=40))
        register_nav_item(
            NavItem(
                "活动计划",
                "campaigns:home",
                section="manage",
                order=40,
                visible=_can_view_plan,
            )
        )
        register_panel("public_home", panels.upcoming_events)
        register_panel("my_start", panels.my_campaign_tasks)
