from django.db import migrations

from organisation import roles
from organisation.permissions import grant, revoke

ROLE_PERMISSIONS = {
    # 普法宣传 sets up an event's quiz and reads who took part.
    roles.PUBLICITY: [
        "campaigns.add_quiz",
        "campaigns.change_quiz",
        "campaigns.view_quiz",
        "campaigns.view_quizparticipant",
    ],
    roles.DEPARTMENT_HEAD: ["campaigns.view_quiz", "campaigns.view_quizparticipant"],
    roles.OVERSIGHT: ["campaigns.view_quiz", "campaigns.view_quizparticipant"],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_quiz")]

    operations = [migrations.RunPython(forwards, backwards)]
