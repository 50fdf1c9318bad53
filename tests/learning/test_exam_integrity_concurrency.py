"""Two 法治办 people confirming one pending key correction at the same moment, over HTTP against a live server
(SQLite and PostgreSQL): the key changes once, each attempt is regraded once, the hours are credited once."""

import datetime
from decimal import Decimal

import pytest
import requests

from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from learning.exams.models import AnswerKeyCorrection, Certificate, CorrectionStatus, RegradeEntry
from learning.exams.services.grading import question_correct_key
from learning.models import LearningRecord
from organisation import roles
from tests.clock import SUITE_NOW
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.learning.test_exam_concurrency import run_together
from tests.learning.test_exam_grading import sit

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = datetime.timedelta(hours=1)


def _signed_in(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_two_confirmations_at_once_apply_the_correction_and_regrade_once(live_server, clock):
    question = make_question("single", options=["甲", "乙"], key=[0], points=10)
    exam = make_exam(
        [question],
        assign_everyone=False,
        assign_enforcement_staff=True,
        opens_at=SUITE_NOW - 2 * HOUR,
        closes_at=SUITE_NOW + HOUR,
        hours=Decimal("2"),
    )
    failed = sit(exam, staff("wang", enforcer=True), {1: [1]})
    passed = sit(exam, staff("li", enforcer=True), {1: [0]})
    clock.move_to(SUITE_NOW + 2 * HOUR)
    reviewer = staff("reviewer", role_names=(roles.STAFF, roles.REVIEWER))
    correction = question_correct_key(question=question, key=[1], reason="教材修订", by=reviewer, now=clock.now)
    assert correction.status == CorrectionStatus.PENDING
    confirmers = [staff(name, role_names=(roles.STAFF, roles.OVERSIGHT)) for name in ("zhou", "qian")]
    sessions = [_signed_in(person) for person in confirmers]
    token = _get_new_csrf_string()
    url = live_server.url + reverse("exams_correction_decide", args=[correction.pk])

    def confirm(index):
        response = requests.post(
            url,
            data={"decision": "confirm", "csrfmiddlewaretoken": token},
            cookies={"sessionid": sessions[index], "csrftoken": token},
            allow_redirects=False,
            timeout=120,
        )
        return response.status_code

    statuses, errors = run_together(confirm, count=2)

    assert not errors and statuses == [302, 302]
    correction = AnswerKeyCorrection.objects.get()
    assert correction.status == CorrectionStatus.APPLIED and correction.confirmed_by in confirmers
    question.refresh_from_db()
    assert question.key == [1]
    assert RegradeEntry.objects.filter(correction=correction).count() == 2
    assert LearningRecord.objects.filter(user=failed.user).count() == 1
    assert LearningRecord.objects.filter(user=failed.user).hours() == Decimal("2")
    assert LearningRecord.objects.filter(user=passed.user).hours() == 0
    assert Certificate.objects.filter(user=failed.user, revoked_at__isnull=True).count() == 1
