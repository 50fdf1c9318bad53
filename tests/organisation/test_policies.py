"""One policy layer: per-object questions are ``user.has_perm(permission, obj)``, answered by each app's rules,
and every place that asks the same question in bulk agrees with them."""

import datetime
from decimal import Decimal

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.policies import subscribable_departments
from campaigns.services.approvals import _approvers
from learning.models import ExternalTraining
from learning.study.external import external_submit
from organisation import roles
from organisation.policies import rules
from tests.campaigns.helpers import campaign
from tests.clock import SUITE_NOW, SUITE_TODAY
from tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(world):
    """The world's roles, a head of a unit below department a, and an account that was switched off."""
    unit = DepartmentFactory(name="执法一中队", parent=world.a)
    extra = {
        "unit_head": staff("unithead", department=unit, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD)),
        "unit_staff": staff("unitstaff", department=unit),
        "b_head": staff("bhead", department=world.b, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD)),
        "left": staff("left", department=world.a, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD)),
    }
    extra["left"].is_active = False
    extra["left"].save(update_fields=["is_active"])
    return {**{name: user for name, user in world.users.items() if user is not None}, **extra}, unit


def test_the_apps_declare_their_object_rules():
    assert {
        "campaigns.approve_campaign",
        "campaigns.view_campaign",
        "campaigns.report_outcome",
        "campaigns.subscribe_department",
        "learning.review_externaltraining",
    } <= set(rules())


def test_nobody_signed_out_or_switched_off_passes_an_object_rule(world, people):
    everyone, _ = people
    plan = campaign(lead=world.a)
    for permission in rules():
        assert not AnonymousUser().has_perm(permission, plan)
        assert not everyone["left"].has_perm(permission, plan)
        assert everyone["admin"].has_perm(permission, plan)  # superusers pass every check


def test_a_permission_without_a_rule_is_refused_for_an_object(world):
    plan = campaign(lead=world.a)
    assert world.user("head").has_perm("campaigns.approve_campaign")  # the role's model permission
    assert not world.user("head").has_perm("campaigns.delete_campaign", plan)


def test_who_is_asked_to_approve_is_who_may_approve(world, people):
    everyone, unit = people
    for lead in (world.a, world.b, unit, None):
        plan = campaign(lead=lead)
        may = {u.pk for u in everyone.values() if u.has_perm("campaigns.approve_campaign", plan) and not u.is_superuser}
        assert {u.pk for u in _approvers(plan)} == may, lead


def test_the_review_queue_and_the_reviewers_asked_agree_with_the_rule(world, people):
    everyone, _ = people
    trainings = [
        external_submit(
            user=user,
            kind="training",
            title="全省执法培训",
            organiser="省厅",
            completed_on=SUITE_TODAY - datetime.timedelta(days=3),
            hours=Decimal("4"),
            score="",
            certificate=SimpleUploadedFile("c.pdf", PDF),
            now=SUITE_NOW,
        )
        for user in everyone.values()
        if user.is_active
    ]
    for user in everyone.values():
        queue = set(ExternalTraining.objects.reviewable_by(user).values_list("pk", flat=True))
        allowed = {t.pk for t in trainings if user.has_perm("learning.review_externaltraining", t)}
        assert queue == allowed, user.username
    for training in trainings:
        asked = set(ExternalTraining.objects.reviewers(training).values_list("pk", flat=True))
        may = {
            u.pk
            for u in everyone.values()
            if u.has_perm("learning.review_externaltraining", training) and not u.is_superuser
        }
        assert asked == may, training.user.username


def test_the_departments_offered_for_subscription_are_those_the_rule_allows(world, people):
    everyone, unit = people
    departments = [world.a, world.b, unit]
    for user in [*everyone.values(), AnonymousUser()]:
        offered = set(subscribable_departments(user).filter(pk__in=[d.pk for d in departments]))
        allowed = {d for d in departments if user.has_perm("campaigns.subscribe_department", d)}
        assert offered == allowed, getattr(user, "username", "anonymous")
