"""A campaign's life cycle: which transition each state allows, and who may make it.

Declared once as a table (``organisation.lifecycles``), the way Wagtail's actions pair ``check()`` with
``execute()``: the services call :func:`check` before they change anything, views and templates ask
:func:`allowed` to decide which buttons to show, and the two cannot disagree.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                  │
      └─────(edit)── returned ◀──return──┘
    any state but cancelled ──cancel──▶ cancelled

``edit`` (the plan's text and its events) is a transition that keeps the state: allowed while a
campaign is not waiting for approval and not cancelled; a change to an approved one is recorded.
"""

from campaigns import permissions
from campaigns.models import Campaign, CampaignStatus
from campaigns.services.errors import CampaignError
from organisation.lifecycles import LifeCycle, Transition

S = CampaignStatus


def _state_refusals(**messages: str) -> dict[str, str]:
    return {getattr(S, name.upper()).value: message for name, message in messages.items()}


def _editor(user, campaign) -> bool:
    return permissions.can_edit(user)


def _approver(user, campaign) -> bool:
    return permissions.can_approve(user, campaign)


_NOT_EDITABLE = _state_refusals(
    cancelled="活动已取消，不能再修改。",
    submitted="活动正在审批中，请等待审批结果或由审批人退回后再修改。",
)

CAMPAIGN = LifeCycle(
    Transition(
        name="edit",
        sources=frozenset({S.DRAFT, S.RETURNED, S.APPROVED}),
        may=_editor,
        denied="只有普法宣传人员可以修改活动方案。",
        refusals=_NOT_EDITABLE,
        otherwise="“{status}”的活动不能修改。",
    ),
    Transition(
        name="submit",
        sources=frozenset({S.DRAFT, S.RETURNED}),
        may=_editor,
        denied="只有普法宣传人员可以提交活动方案。",
        otherwise="“{status}”的活动不能提交审批。",
    ),
    Transition(
        name="approve",
        sources=frozenset({S.SUBMITTED}),
        may=_approver,
        denied="只有牵头处室负责人可以审批该活动。",
        otherwise="该活动当前为“{status}”，不在待审批状态。",
    ),
    Transition(
        name="return",
        sources=frozenset({S.SUBMITTED}),
        may=_approver,
        denied="只有牵头处室负责人可以审批该活动。",
        otherwise="该活动当前为“{status}”，不在待审批状态。",
    ),
    Transition(
        name="cancel",
        sources=frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED}),
        may=_editor,
        denied="只有普法宣传人员可以取消活动。",
        refusals=_state_refusals(cancelled="活动已取消。"),
        otherwise="“{status}”的活动不能取消。",
    ),
    error=CampaignError,
)
TRANSITIONS = CAMPAIGN.transitions


def check_create(*, actor) -> None:
    """A new campaign (draft) is written by the people who may edit campaigns."""
    if actor is None or not permissions.can_edit(actor):
        raise CampaignError("只有普法宣传人员可以新建活动方案。")


def check(transition: str, *, campaign: Campaign, actor) -> None:
    """Raise :class:`CampaignError` with the reason when ``actor`` may not make ``transition`` now."""
    CAMPAIGN.check(transition, campaign, actor)


def allowed(campaign: Campaign, actor) -> dict[str, bool]:
    """Each transition's name → whether ``actor`` may make it now (for views and templates)."""
    return CAMPAIGN.allowed(campaign, actor)
