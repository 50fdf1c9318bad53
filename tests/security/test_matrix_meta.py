"""The permission matrix catches what it promises to: a view without a rule, and a rule the site breaks.

``tests/test_permission_matrix.py`` runs the real matrix; here the same functions meet a URL
configuration with views added and no rule written for them (``tests/security/extra_urls.py``).
"""

import pytest

from tests.access import ROLES, Rule, missing_rules, observed_statuses, project_url_names

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


def test_an_admin_viewset_registered_without_rules_is_reported(settings, monkeypatch):
    """A viewset registered as our wagtail_hooks do: its generic screens are listed by its namespace."""
    from wagtail.admin.viewsets import viewsets

    from tests.security.extra_viewset_urls import forgotten

    settings.ROOT_URLCONF = "tests.security.extra_viewset_urls"
    monkeypatch.setattr(viewsets, "viewsets", [*viewsets.viewsets, forgotten])
    missing = missing_rules()
    assert {"forgotten_targets:index", "forgotten_targets:edit", "forgotten_targets:delete"} <= set(missing)
    assert all(name.startswith("forgotten_targets:") for name in missing), missing


def test_wagtail_own_admin_screens_are_not_project_views():
    names = project_url_names()
    assert "oversight_targets:edit" in names and "wagtailsnippets_website_domain:edit" in names
    assert not {"wagtailimages:edit", "wagtaildocs:edit", "wagtailusers_users:edit", "wagtailsites:edit"} & names


def test_a_rule_the_site_does_not_keep_is_reported(world, client):
    """A rule claiming visitors may read their learning record: the runner sees the sign-in redirect."""
    wrong = Rule("study:record", expect={"anonymous": 200})
    observed = observed_statuses(wrong, world, client)
    assert observed["anonymous"] == 302
    assert observed != {role: wrong.status_for(role) for role in ROLES}
