import datetime

import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Workflow, WorkflowPage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

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


def test_a_scheduled_explainer_goes_live_and_offline_on_time_after_review(
    client, clock, explainer_index, law, domain, editor, reviewer
):
    """定时发布、定时下线: approval only schedules it; publish_scheduled (every 5 minutes) does the rest."""
    start = timezone.now()
    page = make_case(explainer_index, law, domain, title="宪法日专题", slug="scheduled", live=False)
    page.go_live_at = start + datetime.timedelta(days=1)
    page.expire_at = start + datetime.timedelta(days=8)
    page.save_revision(user=editor)
    Workflow.objects.get(name=WORKFLOW_NAME).start(page, editor)
    state = page.current_workflow_task_state
    state.task.specific.on_action(state, reviewer, "approve")
    page.refresh_from_db()
    assert not page.live and page.get_latest_revision().approved_go_live_at == page.go_live_at
    call_command("publish_scheduled")
    assert client.get("/explainers/scheduled/").status_code == 404
    assert "宪法日专题" not in client.get("/explainers/").content.decode()

    clock.move_to(start + datetime.timedelta(days=1, minutes=5))
    call_command("publish_scheduled")
    assert client.get("/explainers/scheduled/").status_code == 200
    assert "宪法日专题" in client.get("/explainers/").content.decode()  # stored in the page cache
    clock.move_to(start + datetime.timedelta(days=8, minutes=5))
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired
    assert client.get("/explainers/scheduled/").status_code == 404
    assert "宪法日专题" not in client.get("/explainers/").content.decode()


def test_a_publicity_officer_posting_publish_only_saves_a_draft(client, explainer_index, law, domain):
    page = make_case(explainer_index, law, domain, title="宣传稿", slug="publicity-draft", live=False)
    client.force_login(staff("publicity", role_names=("职工", "普法宣传")))
    form = nested_form_data(
        {
            "title": "宣传稿（改）",
            "slug": "publicity-draft",
            "summary": "",
            "domain": domain.pk,
            "facts": rich_text("<p>案情。</p>"),
            "outcome": rich_text(""),
            "legal_basis": streamfield([]),
            "reasoning": rich_text(""),
            "lesson": rich_text(""),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    assert client.post(f"/admin/pages/{page.pk}/edit/", form).status_code == 302
    page.refresh_from_db()
    assert not page.live and page.draft_title == "宣传稿（改）"
    assert client.get("/explainers/publicity-draft/").status_code == 404


def test_the_reviewer_sees_each_published_version_in_the_history(client, explainer_index, law, domain, reviewer):
    page = make_case(explainer_index, law, domain, title="第一版", slug="history")
    page.title = "第二版"
    page.save_revision(user=reviewer).publish(user=reviewer)
    client.force_login(reviewer)
    html = client.get(f"/admin/pages/{page.pk}/history/results/").content.decode()
    assert html.count("发布") >= 2 and "重命名" in html
    first = page.revisions.order_by("created_at").first()
    assert "第一版" in client.get(f"/admin/pages/{page.pk}/revisions/{first.pk}/view/").content.decode()
