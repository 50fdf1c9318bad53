from django.db import migrations

from organisation.permissions import grant, revoke
from organisation.roles import ROLE_PERMISSIONS


def create_roles(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
