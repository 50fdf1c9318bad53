"""Who works on the question bank and exams.

内容编辑 author the bank, exams and practice sets (and import/export them); 法制审核 review the
bank's legal content, grade 简答 answers and correct answer keys with regrading; 法治办/局党委
read everything, statistics included, and change nothing (the foundation's rule for oversight).
Staff need no model permission: sitting exams and practising is checked per person in the views.
"""

from django.db import migrations

from organisation.permissions import grant, revoke

EXAM_PERMISSIONS = {
    "内容编辑": [
        "learning.add_question",
        "learning.change_question",
        "learning.delete_question",
        "learning.view_question",
        "learning.import_questions",
        "learning.export_questions",
        "learning.add_exam",
        "learning.change_exam",
        "learning.delete_exam",
        "learning.view_exam",
        "learning.view_exam_statistics",
        "learning.add_practiceset",
        "learning.change_practiceset",
        "learning.delete_practiceset",
        "learning.view_practiceset",
    ],
    "法制审核": [
        "learning.view_question",
        "learning.change_question",
        "learning.correct_answer_key",
        "learning.grade_essays",
        "learning.view_exam",
        "learning.view_exam_statistics",
    ],
    "法治办/局党委": [
        "learning.view_question",
        "learning.export_questions",
        "learning.view_exam",
        "learning.view_practiceset",
        "learning.view_exam_statistics",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, EXAM_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, EXAM_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_exams"),
        ("organisation", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
