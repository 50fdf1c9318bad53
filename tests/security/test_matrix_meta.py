"""The permission matrix catches what it promises to: a view without a rule, and a rule the site breaks.

``tests/test_permission_matrix.py`` runs the real matrix; here the same functions meet a URL
configuration with views added and no rule written for them (``tests/security/extra_urls.py``).
"""

import pytest

from tests.access import ROLES, Rule, missing_rules, observed_statuses

pytestmark = pytest.mark.django_db


def test_the_real_url_configuration_has_no_view_without_a_rule():
    assert missing_rules() == []


def test_a_view_added_without_a_rule_is_reported(settings):
    settings.ROOT_URLCONF = "tests.security.extra_urls"
    assert missing_rules() == [
        "<unnamed> oversight/unnamed/",
        "extra:report",
        "record_again",
        "unguarded_report",
    ]


def test_a_rule_the_site_does_not_keep_is_reported(world, client):
    """A rule claiming visitors may read their learning record: the runner sees the sign-in redirect."""
    wrong = Rule("study:record", expect={"anonymous": 200})
    observed = observed_statuses(wrong, world, client)
    assert observed["anonymous"] == 302
    assert observed != {role: wrong.status_for(role) for role in ROLES}
