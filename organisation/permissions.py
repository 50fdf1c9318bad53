"""Granting permissions to the role groups from data migrations."""

from django.contrib.auth.management import create_permissions


def grant(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give each named group the listed ``app_label.codename`` permissions, creating what is missing.

    Runs inside a data migration: permissions normally appear only after ``migrate``
    finishes, so they are created here first for the apps concerned.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    labels = {perm.split(".", 1)[0] for perms in role_permissions.values() for perm in perms}
    for label in labels:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue  # an app without models in the migration state (wagtailadmin) made its own
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    for group_name, perms in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, role_permissions: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in role_permissions.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))
