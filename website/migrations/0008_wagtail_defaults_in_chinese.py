"""Wagtail's own rows that the admin shows by name, in Chinese: the page tree's root (``Root``, which
superusers see in the explorer and the page chooser) and the default workflow and task that 0005 switched
off (``Moderators approval``, still listed in the workflow reports' filters)."""

from django.db import migrations

ROOT_TITLE = "根目录"
RETIRED_WORKFLOW_NAME = "默认审核（已停用）"


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    Workflow.objects.filter(name="Moderators approval", active=False).update(name=RETIRED_WORKFLOW_NAME)
    Task.objects.filter(name="Moderators approval", active=False).update(name=RETIRED_WORKFLOW_NAME)


def backwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page.objects.filter(depth=1, title=ROOT_TITLE).update(title="Root", draft_title="Root")
    Workflow.objects.filter(name=RETIRED_WORKFLOW_NAME).update(name="Moderators approval")
    Task.objects.filter(name=RETIRED_WORKFLOW_NAME).update(name="Moderators approval")


class Migration(migrations.Migration):
    dependencies = [("website", "0007_search_index_gin_title_body")]

    operations = [migrations.RunPython(forwards, backwards)]
