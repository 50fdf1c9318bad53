"""External training: private certificates, validation, review by the department head."""

import datetime
from decimal import Decimal

import pytest

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.models import ExternalTraining, LearningRecord
from tests.clock import SUITE_NOW, SUITE_TODAY
from tests.factories import staff

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(client, user, *, name="cert.pdf", content=PDF, **overrides):
    client.force_login(user)
    data = {
        "kind": "training",
        "title": "全省文化市场执法培训",
        "organiser": "省文化和旅游厅",
        "completed_on": (SUITE_TODAY - datetime.timedelta(days=7)).isoformat(),
        "hours": "6",
        "score": "",
        "certificate": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        **overrides,
    }
    return client.post(reverse("study:external"), data)


def test_a_submission_is_stored_privately_and_counts_nothing_yet(client, world):
    response = submit(client, world.user("staff"))
    assert response.status_code == 302
    training = ExternalTraining.objects.get()
    assert training.status == "pending"
    path = training.certificate.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    assert not LearningRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cert.exe", PDF, "须为 PDF、JPG 或 PNG"),
        ("cert.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名不符"),
        ("cert.pdf", PDF + b"0" * (10 * 1024 * 1024), "不能超过 10 MB"),
    ],
)
def test_a_bad_certificate_is_refused_with_a_reason(client, world, name, content, message):
    response = submit(client, world.user("staff"), name=name, content=content)
    assert message in response.content.decode()
    assert not ExternalTraining.objects.exists()


def test_a_future_date_is_refused(client, world):
    tomorrow = SUITE_TODAY + datetime.timedelta(days=1)
    response = submit(client, world.user("staff"), completed_on=tomorrow.isoformat())
    assert "完成日期不能晚于今天" in response.content.decode()


def test_the_department_head_approves_and_the_hours_count_once(client, world):
    submit(client, world.user("staff"))
    training = ExternalTraining.objects.get()
    client.force_login(world.user("head"))
    url = reverse("study:review", args=[training.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert client.post(url, {"decision": "approve"}).status_code == 200  # already decided
    training.refresh_from_db()
    assert (training.status, training.reviewer) == ("approved", world.user("head"))
    record = LearningRecord.objects.get(user=world.user("staff"))
    assert (record.source, record.hours, record.award_key) == ("external", Decimal("6.00"), f"external:{training.pk}")


def test_a_rejection_needs_a_reason_and_counts_nothing(client, world):
    submit(client, world.user("staff"))
    training = ExternalTraining.objects.get()
    client.force_login(world.user("head"))
    url = reverse("study:review", args=[training.pk])
    assert "退回须说明原因" in client.post(url, {"decision": "reject", "reason": " "}).content.decode()
    client.post(url, {"decision": "reject", "reason": "证书年份不符"})
    training.refresh_from_db()
    assert (training.status, training.review_reason) == ("rejected", "证书年份不符")
    assert not LearningRecord.objects.exists()
    client.force_login(world.user("staff"))
    assert "证书年份不符" in client.get(reverse("study:external")).content.decode()


def test_oversight_reads_but_cannot_review_and_heads_cannot_review_other_departments(client, world):
    submit(client, world.user("other_staff"))  # department b
    training = ExternalTraining.objects.get()
    url = reverse("study:review", args=[training.pk])
    client.force_login(world.user("head"))  # head of department a
    assert client.post(url, {"decision": "approve"}).status_code == 404
    client.force_login(world.user("oversight"))
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert client.get(reverse("study:external_certificate", args=[training.pk])).status_code == 200
    assert ExternalTraining.objects.get().status == "pending"


def test_a_head_cannot_approve_their_own_submission(client, world):
    submit(client, world.user("head"))
    training = ExternalTraining.objects.get()
    client.force_login(world.user("head"))
    assert client.post(reverse("study:review", args=[training.pk]), {"decision": "approve"}).status_code == 404


def test_the_certificate_is_served_only_to_those_allowed(client, world):
    submit(client, world.user("staff"))
    training = ExternalTraining.objects.get()
    url = reverse("study:external_certificate", args=[training.pk])
    expected = {"staff": 200, "head": 200, "oversight": 200, "admin": 200, "other_staff": 404, "enforcer": 404}
    for role, status in expected.items():
        client.force_login(world.user(role))
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content) == PDF
    assert str(settings.MEDIA_URL) not in training.certificate.name


def test_the_external_training_pages_take_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    """Twenty submissions from ten people of department a, half decided: no query per submission."""
    people = [staff(f"p{n}", department=world.a) for n in range(10)]
    for person in [*people, world.user("staff")]:
        for decided in (False, True):
            submit(client, person)
            if decided:
                client.force_login(world.user("head"))
                client.post(
                    reverse("study:review", args=[ExternalTraining.objects.latest("pk").pk]),
                    {"decision": "reject", "reason": "证书不清晰"},
                )
    client.force_login(world.user("staff"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("study:external"))
    assert len(response.context["trainings"]) == 2
    client.force_login(world.user("head"))
    with django_assert_max_num_queries(11):
        response = client.get(reverse("study:review_list"))
    assert len(response.context["pending"]) == 11 and len(response.context["page_obj"]) == 11


def test_the_review_form_shows_exactly_when_the_service_would_record_a_review(client, world):
    """The page asks the life cycle (learning/study/lifecycle.py) the question the service checks."""
    from django.db import transaction

    from learning.study.external import external_review
    from learning.study.lifecycle import ReviewRefused, can_review

    submit(client, world.user("staff"))
    pending = ExternalTraining.objects.get()
    submit(client, world.user("enforcer"))
    decided = ExternalTraining.objects.exclude(pk=pending.pk).get()
    decided = external_review(training=decided, reviewer=world.user("head"), approve=True, reason="", now=SUITE_NOW)
    for role, user in world.users.items():
        if user is None:
            continue
        for training in (pending, decided):
            try:
                with transaction.atomic():
                    external_review(training=training, reviewer=user, approve=True, reason="", now=SUITE_NOW)
                    transaction.set_rollback(True)
                accepted, why = True, ""
            except ReviewRefused as refusal:
                accepted, why = False, str(refusal)
            assert can_review(user, training) == accepted, (role, training.status, why)
    assert can_review(world.user("head"), pending) and not can_review(world.user("head"), decided)
    with pytest.raises(ReviewRefused, match=r"该申报已于 \d{4}-\d\d-\d\d 审核（已通过）"):
        external_review(training=decided, reviewer=world.user("admin"), approve=False, reason="重复", now=SUITE_NOW)
