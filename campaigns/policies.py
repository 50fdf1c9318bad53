"""Object rules of campaigns (``organisation.policies``): asked as ``user.has_perm(permission, obj)``."""

from django.db.models import Q

from campaigns.permissions import can_edit, can_view_plan
from organisation.heads import headed_departments
from organisation.models import Department
from organisation.policies import rule


@rule("campaigns.approve_campaign")
def approve_campaign(user, campaign) -> bool:
    """The 处室负责人 of the leading department, or of a department above it."""
    if campaign.lead_department_id is None or not user.has_perm("campaigns.approve_campaign"):
        return False
    return headed_departments(user).filter(pk=campaign.lead_department_id).exists()


@rule("campaigns.view_campaign")
def view_campaign(user, campaign) -> bool:
    """Whoever reads the plans, and whoever takes part: the coordinator, an event's staff, a milestone's assignee."""
    if can_view_plan(user) or campaign.coordinator_id == user.pk:
        return True
    return campaign.events.filter(staff=user).exists() or campaign.milestones.filter(assignee=user).exists()


@rule("campaigns.report_outcome")
def report_outcome(user, campaign) -> bool:
    """Outcomes are filled in by the planners, the campaign's coordinator, or its approver."""
    return can_edit(user) or campaign.coordinator_id == user.pk or user.has_perm("campaigns.approve_campaign", campaign)


@rule("campaigns.subscribe_department")
def subscribe_department(user, department) -> bool:
    """Planners and oversight may follow any department's calendar; others their own (a head: the units below)."""
    if _follows_every_department(user):
        return True
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.department_id == department.pk:
        return True
    return headed_departments(user).filter(pk=department.pk).exists()


def subscribable_departments(user):
    """The departments whose calendar ``user`` may follow: the rule above, for the subscription page's list."""
    if not user.is_authenticated or not user.is_active:
        return Department.objects.none()
    if user.is_superuser or _follows_every_department(user):
        return Department.objects.active()
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.department_id:
        return Department.objects.none()
    return Department.objects.filter(Q(pk=profile.department_id) | Q(pk__in=headed_departments(user).values("pk")))


def _follows_every_department(user) -> bool:
    return user.has_perm("campaigns.change_campaign") or user.has_perm("organisation.view_all_records")
