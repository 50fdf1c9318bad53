"""法治办/局党委 confirm answer-key corrections that would change results of a closed exam (the second person)."""

from django.db import migrations

from organisation.permissions import grant, revoke

CONFIRMERS = {"法治办/局党委": ["learning.confirm_answerkeycorrection"]}


def forwards(apps, schema_editor):
    grant(apps, CONFIRMERS)


def backwards(apps, schema_editor):
    revoke(apps, CONFIRMERS)


class Migration(migrations.Migration):
    dependencies = [("learning", "0007_key_correction_review")]

    operations = [migrations.RunPython(forwards, backwards)]
