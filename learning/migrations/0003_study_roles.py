from django.db import migrations

from organisation import roles
from organisation.permissions import grant, revoke

# Department heads organise their department's group study and review its external training;
# the rule-of-law office / party committee organises the central group's and bureau-wide
# sessions. Oversight reviews nothing: it reads all learning data and changes none. Record
# corrections (learning.correct_learningrecord) are given to no role: superusers, or a person
# granted the permission by name.
STUDY_PERMISSIONS = {
    roles.DEPARTMENT_HEAD: ["learning.organise_groupstudysession", "learning.review_externaltraining"],
    roles.OVERSIGHT: ["learning.organise_groupstudysession"],
}


def forwards(apps, schema_editor):
    grant(apps, STUDY_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, STUDY_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_study"),
        ("organisation", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
