"""The approval step: draft → submitted → approved, or returned with a reason; every step is recorded."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from campaigns import lifecycle
from campaigns.models import ApprovalRecord, Campaign, CampaignStatus, Event, Milestone
from campaigns.panels import forget_upcoming_events
from campaigns.services.errors import CampaignError
from organisation.models import display_name
from organisation.notifications import notify, task_resolve


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def approval_task(campaign) -> str:
    """The 待审批 task of a submitted campaign: its notices close when the campaign leaves 已提交 by any path."""
    return f"campaign-approval:{campaign.pk}"


def _record(campaign, *, action, from_status, actor, comment="") -> ApprovalRecord:
    if from_status == CampaignStatus.SUBMITTED and campaign.status != CampaignStatus.SUBMITTED:
        task_resolve(task=approval_task(campaign), by=actor, now=timezone.now())
    return ApprovalRecord.objects.create(
        campaign=campaign,
        action=action,
        from_status=from_status,
        to_status=campaign.status,
        actor=actor,
        comment=comment,
    )


def _approvers(campaign):
    from organisation.departments import department_tree
    from organisation.heads import heads

    if campaign.lead_department_id is None:
        return []
    # The heads of the leading department and of any department above it.
    ancestors = department_tree().ancestor_ids(campaign.lead_department_id)
    return list(heads().filter(staff_profile__department__in=ancestors).order_by("pk"))


@transaction.atomic
def campaign_submit(*, campaign: Campaign, actor) -> Campaign:
    campaign = _locked(campaign)
    lifecycle.check("submit", campaign=campaign, actor=actor)
    if campaign.lead_department_id is None:
        raise CampaignError("请先指定牵头处室，再提交审批。")
    if not campaign.events.not_cancelled().exists():
        raise CampaignError("活动方案至少要有一场活动才能提交审批。")
    previous = campaign.status
    campaign.status = CampaignStatus.SUBMITTED
    campaign.return_reason = ""
    campaign.save(update_fields=["status", "return_reason", "updated_at"])
    record = _record(campaign, action=ApprovalRecord.Action.SUBMIT, from_status=previous, actor=actor)
    for approver in _approvers(campaign):
        notify(
            user=approver,
            key=f"campaign-submitted:{campaign.pk}:{record.pk}",
            task=approval_task(campaign),
            kind="campaign",
            title=f"待审批：{campaign.title}",
            body=f"{display_name(actor)} 提交了活动方案，请审批。",
            url=campaign.get_absolute_url(),
        )
    return campaign


def _tell_coordinator(campaign, record, title, body):
    recipients = {user for user in (campaign.coordinator, campaign.created_by) if user is not None}
    for user in recipients:
        notify(
            user=user,
            key=f"campaign-{record.action}:{campaign.pk}:{record.pk}",
            kind="campaign",
            title=title,
            body=body,
            url=campaign.get_absolute_url(),
        )


@transaction.atomic
def campaign_approve(*, campaign: Campaign, actor, comment: str = "") -> Campaign:
    transaction.on_commit(forget_upcoming_events)
    campaign = _locked(campaign)
    lifecycle.check("approve", campaign=campaign, actor=actor)
    campaign.status = CampaignStatus.APPROVED
    campaign.approved_by = actor
    campaign.approved_at = timezone.now()
    campaign.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    # Subscribed calendars show the events as confirmed now: a changed event needs a higher SEQUENCE.
    Event.objects.filter(campaign=campaign).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    record = _record(
        campaign,
        action=ApprovalRecord.Action.APPROVE,
        from_status=CampaignStatus.SUBMITTED,
        actor=actor,
        comment=comment,
    )
    _tell_coordinator(
        campaign, record, f"已批准：{campaign.title}", comment or f"{display_name(actor)} 批准了活动方案。"
    )
    return campaign


@transaction.atomic
def campaign_return(*, campaign: Campaign, actor, reason: str) -> Campaign:
    reason = (reason or "").strip()
    if not reason:
        raise CampaignError("退回时请写明原因。")
    campaign = _locked(campaign)
    lifecycle.check("return", campaign=campaign, actor=actor)
    campaign.status = CampaignStatus.RETURNED
    campaign.return_reason = reason
    campaign.save(update_fields=["status", "return_reason", "updated_at"])
    record = _record(
        campaign, action=ApprovalRecord.Action.RETURN, from_status=CampaignStatus.SUBMITTED, actor=actor, comment=reason
    )
    _tell_coordinator(campaign, record, f"已退回：{campaign.title}", f"退回原因：{reason}")
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, actor, reason: str) -> Campaign:
    transaction.on_commit(forget_upcoming_events)
    reason = (reason or "").strip()
    if not reason:
        raise CampaignError("取消活动时请写明原因。")
    campaign = _locked(campaign)
    lifecycle.check("cancel", campaign=campaign, actor=actor)
    previous = campaign.status
    campaign.status = CampaignStatus.CANCELLED
    campaign.save(update_fields=["status", "updated_at"])
    Event.objects.filter(campaign=campaign).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    Milestone.objects.filter(campaign=campaign).update(sequence=F("sequence") + 1)
    _record(campaign, action=ApprovalRecord.Action.CANCEL, from_status=previous, actor=actor, comment=reason)
    return campaign
