from django.db import migrations

from organisation import roles
from organisation.permissions import grant, revoke

MODELS = [
    "keydate",
    "keydateoverride",
    "holidayyear",
    "responsibilitylist",
    "campaigntemplate",
    "campaign",
    "event",
    "eventoutcome",
    "milestone",
]
VIEW_ALL = [f"campaigns.view_{model}" for model in MODELS] + ["campaigns.view_approvalrecord"]

ROLE_PERMISSIONS = {
    # 普法宣传 plans the year, runs campaigns, keeps the key dates and the holiday arrangement.
    roles.PUBLICITY: [
        f"campaigns.{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")
    ]
    + ["campaigns.view_approvalrecord", "campaigns.plan_year"],
    # A 处室负责人 approves the campaigns their department leads and follows the plan.
    roles.DEPARTMENT_HEAD: VIEW_ALL + ["campaigns.approve_campaign"],
    # 法治办/局党委 read everything for oversight and the annual report.
    roles.OVERSIGHT: VIEW_ALL,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("organisation", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
