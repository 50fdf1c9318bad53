"""Who may do what with campaigns, beyond the model permissions the roles carry.

Approving is per campaign: the 处室负责人 of the leading department (or of a department
above it), or a superuser. Planning, editing and submitting need ``campaigns.change_campaign``
(the 普法宣传 role). Per-object questions go through ``user.has_perm(permission, obj)``, answered by the rules
in ``campaigns/policies.py``; the ``can_*`` names here are that question spelled for views and templates.
"""


def can_view_plan(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("campaigns.view_campaign"))


def can_edit(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("campaigns.change_campaign"))


def can_plan_year(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("campaigns.plan_year"))


def can_copy_lists(user) -> bool:
    """Copying last year's 普法责任清单 belongs to whoever plans the year and keeps the lists (普法宣传)."""
    return can_plan_year(user) and user.has_perm("campaigns.add_responsibilitylist")


def can_approve(user, campaign) -> bool:
    return user.has_perm("campaigns.approve_campaign", campaign)


def can_view_campaign(user, campaign) -> bool:
    return user.has_perm("campaigns.view_campaign", campaign)


def can_report(user, campaign) -> bool:
    return user.has_perm("campaigns.report_outcome", campaign)


def can_subscribe_department(user, department) -> bool:
    return user.has_perm("campaigns.subscribe_department", department)
