import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.models import Workflow, WorkflowPage

from tests.factories import staff
from tests.website.conftest import make_case
from website.publishing import WORKFLOW_NAME
from website.schedules import SCHEDULES

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return staff("editor", role_names=("职工", "内容编辑"))


@pytest.fixture
def reviewer():
    return staff("reviewer", role_names=("职工", "法制审核"))


def test_both_sections_use_the_review_workflow_and_wagtail_defaults_are_gone(explainer_index, law_index):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert WorkflowPage.objects.get(page=explainer_index).workflow == workflow
    assert WorkflowPage.objects.get(page=law_index).workflow == workflow
    assert [task.specific.groups.get().name for task in workflow.tasks] == ["法制审核"]
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not Workflow.objects.filter(active=True).exclude(pk=workflow.pk).exists()


def test_an_editor_may_write_but_not_publish_and_a_reviewer_may_publish(explainer_index, editor, reviewer):
    assert explainer_index.permissions_for_user(editor).can_add_subpage()
    assert not explainer_index.permissions_for_user(editor).can_publish_subpage()
    assert explainer_index.permissions_for_user(reviewer).can_publish_subpage()


def test_an_explainer_submitted_by_an_editor_stays_offline_until_the_reviewer_approves(
    client, explainer_index, law, domain, editor, reviewer
):
    page = make_case(explainer_index, law, domain, title="待审案例", slug="pending", live=False)
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    workflow.start(page, editor)
    page.refresh_from_db()
    assert not page.live
    assert client.get("/explainers/pending/").status_code == 404

    state = page.current_workflow_task_state
    assert state.task.specific.user_can_access_editor(page, reviewer)
    state.task.specific.on_action(state, reviewer, "approve")
    page.refresh_from_db()
    assert page.live
    assert client.get("/explainers/pending/").status_code == 200


def test_an_editor_pressing_publish_in_the_admin_only_saves_a_draft(client, explainer_index, law, domain, editor):
    page = make_case(explainer_index, law, domain, title="编辑的草稿", slug="editor-draft", live=False)
    client.force_login(editor)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert 'name="action-publish"' not in response.content.decode()


def test_scheduled_publishing_runs_every_five_minutes():
    (schedule,) = SCHEDULES
    assert schedule["args"] == "'publish_scheduled'" and schedule["minutes"] == 5
    call_command("setup_schedules")
