"""Who may do what with one object, asked the way Django asks it: ``user.has_perm("campaigns.approve_campaign",
campaign)``.

Each app declares its object rules in its own ``policies.py``::

    @rule("campaigns.approve_campaign")
    def approve_campaign(user, campaign) -> bool: ...

The account backend (``organisation.security.AccountBackend``) answers ``has_perm`` with an object from these
rules, so views, services, templates and the admin ask one mechanism. Without an object, ``has_perm`` is the
role's model permission as always. A rule receives only active, signed-in users; superusers pass every check
(Django's own ``has_perm`` answers for them before any backend), and a permission without a rule is refused for
an object.
"""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

Rule = Callable[..., bool]

_rules: dict[str, Rule] = {}
_discovered = False


def rule(permission: str) -> Callable[[Rule], Rule]:
    """Register ``check(user, obj) -> bool`` as the object rule of ``permission`` ("app_label.codename")."""

    def register(check: Rule) -> Rule:
        if _rules.get(permission, check) is not check:
            raise ValueError(f"{permission} already has an object rule: {_rules[permission].__qualname__}")
        _rules[permission] = check
        return check

    return register


def rules() -> dict[str, Rule]:
    """Every object rule of every installed app, found in their ``policies`` modules."""
    global _discovered
    if not _discovered:
        autodiscover_modules("policies")
        _discovered = True
    return dict(_rules)


def object_permission(user, permission: str, obj) -> bool:
    if not (user.is_active and user.is_authenticated):
        return False
    check = rules().get(permission)
    return bool(check and check(user, obj))
