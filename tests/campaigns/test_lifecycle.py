"""A campaign's life cycle is one table (campaigns.lifecycle): the services refuse exactly what it refuses, the
campaign page offers exactly what it allows, and the admin never deletes a campaign's audit trail."""

import re
from pathlib import Path

import pytest

from django.conf import settings
from django.db import transaction

from campaigns import lifecycle
from campaigns.models import ApprovalRecord, Campaign, CampaignStatus
from campaigns.services import (
    CampaignError,
    campaign_approve,
    campaign_cancel,
    campaign_create,
    campaign_return,
    campaign_submit,
    campaign_update,
    event_create,
)
from tests.campaigns.helpers import campaign, event
from tests.clock import at, on

pytestmark = pytest.mark.django_db

ROLES = ["publicity", "head", "staff", "admin"]
SERVICES = {
    "edit": lambda c, actor: campaign_update(campaign=c, actor=actor, data={"title": "改过的标题"}),
    "submit": lambda c, actor: campaign_submit(campaign=c, actor=actor),
    "approve": lambda c, actor: campaign_approve(campaign=c, actor=actor),
    "return": lambda c, actor: campaign_return(campaign=c, actor=actor, reason="请补充预算"),
    "cancel": lambda c, actor: campaign_cancel(campaign=c, actor=actor, reason="场地检修"),
}
# What the campaign page shows for each transition the table allows.
BUTTONS = {
    "edit": ">编辑方案</a>",
    "submit": ">提交审批</button>",
    "approve": ">批准</button>",
    "cancel": ">确认取消活动</button>",
}


def in_state(world, status):
    plan = campaign(lead=world.a, coordinator=world.users["publicity"], status=status)
    event(plan)
    return plan


def service_allows(name, plan, actor) -> bool:
    """Run the service in a transaction that is rolled back; True when it did not refuse."""
    try:
        with transaction.atomic():
            SERVICES[name](plan, actor)
            transaction.set_rollback(True)
    except CampaignError:
        return False
    return True


@pytest.mark.parametrize("status", CampaignStatus.values)
def test_every_service_refuses_exactly_what_the_table_refuses(world, status):
    plan = in_state(world, status)
    for role in ROLES:
        actor = world.users[role]
        allowed = lifecycle.allowed(plan, actor)
        for name in SERVICES:
            assert service_allows(name, plan, actor) == allowed[name], (status, role, name)


@pytest.mark.parametrize("status", CampaignStatus.values)
def test_the_campaign_page_offers_exactly_what_the_table_allows(world, client, status):
    plan = in_state(world, status)
    for role in ("publicity", "head", "admin"):
        client.force_login(world.users[role])
        page = client.get(plan.get_absolute_url()).content.decode()
        allowed = lifecycle.allowed(plan, world.users[role])
        for name, label in BUTTONS.items():
            assert (label in page) == allowed[name], (status, role, name)


def test_the_table_names_each_refusal_in_chinese(world):
    plan = in_state(world, CampaignStatus.SUBMITTED)
    with pytest.raises(CampaignError, match="审批中"):
        lifecycle.check("edit", campaign=plan, actor=world.users["publicity"])
    with pytest.raises(CampaignError, match="普法宣传"):
        lifecycle.check("cancel", campaign=plan, actor=world.users["staff"])
    with pytest.raises(CampaignError, match="负责人"):
        lifecycle.check("approve", campaign=plan, actor=world.users["publicity"])


def test_a_colleague_without_the_planning_role_can_neither_create_submit_nor_cancel(world):
    colleague = world.users["staff"]
    plan = in_state(world, CampaignStatus.DRAFT)
    with pytest.raises(CampaignError):
        campaign_create(actor=colleague, data={"title": "私自", "start_date": on(5, 1), "end_date": on(5, 1)})
    with pytest.raises(CampaignError):
        campaign_submit(campaign=plan, actor=colleague)
    with pytest.raises(CampaignError):
        campaign_cancel(campaign=plan, actor=colleague, reason="不想办")
    with pytest.raises(CampaignError):
        event_create(
            campaign=plan,
            actor=colleague,
            data={"title": "加一场", "starts_at": at(5, 1, 9), "ends_at": at(5, 1, 11), "place": "广场"},
        )
    plan.refresh_from_db()
    assert plan.status == CampaignStatus.DRAFT
    assert plan.events.count() == 1
    assert not Campaign.objects.filter(title="私自").exists()


@pytest.mark.parametrize("role", ["publicity", "admin"])
def test_the_admin_never_deletes_a_campaign_and_its_approval_records(world, client, role):
    plan = in_state(world, CampaignStatus.DRAFT)
    ApprovalRecord.objects.create(campaign=plan, action=ApprovalRecord.Action.CREATE, to_status=plan.status)
    client.force_login(world.users[role])
    url = f"/admin/campaigns/campaigns/delete/{plan.pk}/"

    edit_page = client.get(f"/admin/campaigns/campaigns/edit/{plan.pk}/").content.decode()
    shown = client.get(url)
    posted = client.post(url)

    assert url not in edit_page
    assert shown.status_code in (302, 403) and posted.status_code in (302, 403)
    assert Campaign.objects.filter(pk=plan.pk).exists()
    assert ApprovalRecord.objects.filter(campaign=plan).count() == 1


def test_no_campaign_or_event_status_is_spelled_out_outside_its_model():
    """States are named once (campaigns/models/states.py) and asked through querysets and properties."""
    root = Path(settings.BASE_DIR)
    literal = re.compile(r"""status\s*(==|!=)\s*["'](draft|submitted|approved|returned|cancelled|planned)["']""")
    filtered = re.compile(r"""status\s*=\s*["'](submitted|approved|returned|cancelled|planned)["']""")
    places = [*root.glob("campaigns/**/*.py"), *root.glob("templates/campaigns/**/*.html")]
    found = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in places
        if "migrations" not in path.parts and path.name != "states.py"
        for line in path.read_text(encoding="utf-8").splitlines()
        if literal.search(line) or filtered.search(line)
    ]
    assert found == []
