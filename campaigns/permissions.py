"""Who may do what with campaigns, beyond the model permissions the roles carry.

Approving is per campaign: the 处室负责人 of the leading department (or of a department
above it), or a superuser. Planning, editing and submitting need ``campaigns.change_campaign``
(the 普法宣传 role).
"""

from organisation import roles
from organisation.models import Department


def headed_departments(user):
    """The departments this user heads (theirs and the units below it), or none."""
    if not user.is_authenticated:
        return Department.objects.none()
    profile = getattr(user, "staff_profile", None)
    if profile is None or profile.department_id is None:
        return Department.objects.none()
    if not user.groups.filter(name=roles.DEPARTMENT_HEAD).exists():
        return Department.objects.none()
    return Department.objects.subtree_of(profile.department)


def can_view_plan(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("campaigns.view_campaign"))


def can_edit(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("campaigns.change_campaign"))


def can_plan_year(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("campaigns.plan_year"))


def can_approve(user, campaign) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if campaign.lead_department_id is None or not user.has_perm("campaigns.approve_campaign"):
        return False
    return headed_departments(user).filter(pk=campaign.lead_department_id).exists()


def takes_part(user, campaign) -> bool:
    """The campaign's coordinator, someone staffing one of its events, or a milestone's assignee."""
    if not user.is_authenticated:
        return False
    if campaign.coordinator_id == user.pk:
        return True
    return campaign.events.filter(staff=user).exists() or campaign.milestones.filter(assignee=user).exists()


def can_view_campaign(user, campaign) -> bool:
    return can_view_plan(user) or takes_part(user, campaign)


def can_report(user, campaign) -> bool:
    """Outcomes are filled in by the planners, the campaign's coordinator, or its approver."""
    return (
        can_edit(user) or (user.is_authenticated and campaign.coordinator_id == user.pk) or can_approve(user, campaign)
    )


def can_subscribe_department(user, department) -> bool:
    """Planners and oversight may follow any department; others their own (a head: the units below too)."""
    if not user.is_authenticated:
        return False
    if (
        user.is_superuser
        or user.has_perm("campaigns.change_campaign")
        or user.has_perm("organisation.view_all_records")
    ):
        return True
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.department_id == department.pk:
        return True
    return headed_departments(user).filter(pk=department.pk).exists()
