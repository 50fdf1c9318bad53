from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "组织与人员"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from organisation.choosers import tolerate_hostile_chooser_ids
        from organisation.csp import nonce_wagtail_chooser_scripts
        from organisation.dates import register_admin_overrides
        from organisation.departments import forget_department_tree
        from organisation.ids import refuse_impossible_ids_in_every_form
        from organisation.models import Department
        from organisation.security import remember_account_epoch
        from organisation.tampered import tolerate_malformed_streams, tolerate_tampered_formsets

        user_logged_in.connect(remember_account_epoch, dispatch_uid="remember-account-epoch")
        for signal in (post_save, post_delete):
            signal.connect(forget_department_tree, sender=Department, dispatch_uid=f"forget-tree-{signal}")

        register_admin_overrides()
        nonce_wagtail_chooser_scripts()
        tolerate_hostile_chooser_ids()
        refuse_impossible_ids_in_every_form()
        tolerate_tampered_formsets()
        tolerate_malformed_streams()
