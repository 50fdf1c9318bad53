import pytest

from tests.access import ROLES, all_rules, missing_rules, observed_statuses, rule_modules

pytestmark = pytest.mark.django_db

RULES = all_rules()


def test_every_project_view_has_a_rule():
    """tests/security/test_matrix_meta.py proves this fails for a view added without a rule."""
    missing = missing_rules()
    assert not missing, f"views without a permission rule: {missing}"


@pytest.fixture
def matrix_world(world):
    for module in rule_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    return world


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_role_gets_expected_status(rule, matrix_world, client):
    outcomes = observed_statuses(rule, matrix_world, client)
    expected = {role: rule.status_for(role) for role in ROLES}
    assert outcomes == expected, f"\n got      {outcomes}\n expected {expected}"
