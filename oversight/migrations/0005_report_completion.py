import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from organisation import roles
from organisation.permissions import grant, revoke

# 法治办/局党委 mark the year's annual report done, which turns the dashboard to the new year.
PERMISSIONS = {roles.OVERSIGHT: ["oversight.mark_report_done", "oversight.view_reportcompletion"]}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0004_exam_targets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportCompletion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        unique=True,
                        validators=[
                            django.core.validators.MinValueValidator(2000),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="年度",
                    ),
                ),
                ("done_at", models.DateTimeField(verbose_name="标记时间")),
                (
                    "done_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="标记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "年度报告完成记录",
                "verbose_name_plural": "年度报告完成记录",
                "ordering": ["-year"],
                "permissions": [("mark_report_done", "标记年度报告已完成")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
