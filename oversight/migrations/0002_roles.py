from django.db import migrations

from organisation import roles
from organisation.permissions import grant, revoke

# 法治办/局党委 set the yearly targets and draw up the departments' responsibility letters: the
# committee's own decisions, not learning data, which it only reads. Department heads see their
# department's figures and letter on /oversight/ and write neither.
OVERSIGHT_PERMISSIONS = {
    roles.OVERSIGHT: [
        f"oversight.{action}_{model}"
        for model in ("studytarget", "responsibilityletter")
        for action in ("add", "change", "delete", "view")
    ]
}


def forwards(apps, schema_editor):
    grant(apps, OVERSIGHT_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, OVERSIGHT_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("organisation", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
