import pytest

from django.urls import reverse

from tests.access import ROLES, all_rules, project_url_names, rule_modules

pytestmark = pytest.mark.django_db

RULES = all_rules()


def test_every_project_view_has_a_rule():
    covered = {rule.name for rule in RULES}
    missing = sorted(project_url_names() - covered)
    assert not missing, f"views without a permission rule: {missing}"


@pytest.fixture
def matrix_world(world):
    for module in rule_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    return world


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_role_gets_expected_status(rule, matrix_world, client):
    kwargs = rule.kwargs(matrix_world) if callable(rule.kwargs) else rule.kwargs
    url = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
    outcomes = {}
    for role in ROLES:
        client.logout()
        user = matrix_world.user(role)
        if user is not None:
            client.force_login(user)
        data = rule.data(matrix_world) if callable(rule.data) else rule.data
        response = (
            getattr(client, rule.method)(url, data=data) if data is not None else getattr(client, rule.method)(url)
        )
        outcomes[role] = response.status_code
    expected = {role: rule.status_for(role) for role in ROLES}
    assert outcomes == expected, f"\n got      {outcomes}\n expected {expected}"
