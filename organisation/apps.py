from django.apps import AppConfig


def _unread_count(request):
    from organisation.models import Notification

    return Notification.objects.for_user(request.user).unread().count() or None


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "组织与人员"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from organisation.navigation import NavItem, register_nav_item
        from organisation.security import end_sessions_of_inactive_user

        post_save.connect(end_sessions_of_inactive_user, sender=get_user_model(), dispatch_uid="end-inactive-sessions")

        register_nav_item(NavItem("首页", "/", section="public", order=0))
        register_nav_item(NavItem("通知", "notifications", section="staff", order=90, badge=_unread_count))
