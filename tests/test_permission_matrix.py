import pytest

from django.db import transaction

from tests.access import ROLES, all_rules, missing_rules, observed_statuses, rule_modules
from tests.clock import Clock
from tests.conftest import make_world

pytestmark = pytest.mark.django_db

RULES = all_rules()


def test_every_project_view_has_a_rule():
    """tests/security/test_matrix_meta.py proves this fails for a view added without a rule."""
    missing = missing_rules()
    assert not missing, f"views without a permission rule: {missing}"


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """One world for every rule, built once: each test runs in a savepoint that is rolled back after it,
    so a rule that changes something (approving a campaign, revoking a feed) leaves the next one as it was.
    """
    with Clock(), django_db_blocker.unblock(), transaction.atomic():
        world = make_world()
        for module in rule_modules():
            if hasattr(module, "setup"):
                module.setup(world)
        yield world
        transaction.set_rollback(True)


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_role_gets_expected_status(rule, matrix_world, client):
    outcomes = observed_statuses(rule, matrix_world, client)
    expected = {role: rule.status_for(role) for role in ROLES}
    assert outcomes == expected, f"\n got      {outcomes}\n expected {expected}"
