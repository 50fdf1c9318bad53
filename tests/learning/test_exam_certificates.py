import pytest

from django.urls import reverse
from django.utils import timezone

from learning.exams.models import Certificate
from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from tests.clock import SUITE_YEAR
from tests.factories import DepartmentFactory, staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db


def sit(exam, user, right=True):
    now = timezone.now()
    attempt = attempt_start(exam=exam, user=user, now=now)
    item = attempt.items.get()
    attempt_save(attempt=attempt, answers={item.pk: ([0] if right else [1], 0)}, now=now)
    return attempt_submit(attempt=attempt, now=now)


@pytest.fixture
def person():
    return staff("wang", real_name="王晓红", department=DepartmentFactory(name="公共服务处"))


def test_a_certificate_is_issued_once_only_for_a_real_pass(person):
    exam = make_exam([make_question("single", key=[0])], max_attempts=3)
    sit(exam, person, right=False)
    assert not Certificate.objects.exists()
    sit(exam, person)
    sit(exam, person)
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "王晓红" and certificate.department_name == "公共服务处"
    assert len(certificate.code) == 14 and certificate.code.count("-") == 2


def test_no_certificate_when_the_exam_does_not_issue_them(person):
    sit(make_exam([make_question("single", key=[0])], issues_certificate=False), person)
    assert not Certificate.objects.exists()


def test_anyone_can_verify_a_certificate_by_its_code(client, person):
    attempt = sit(make_exam([make_question("single", key=[0])], title=f"{SUITE_YEAR}年度学法考试"), person)
    code = attempt.certificate.code
    page = client.get(reverse("exams:verify", args=[code.lower().replace("-", "")]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "证书有效" in text and "王晓红" in text and f"{SUITE_YEAR}年度学法考试" in text
    lookup = client.get(reverse("exams:verify_lookup"), {"code": f" {code} "})
    assert lookup.url == reverse("exams:verify", args=[code])
    missing = client.get(reverse("exams:verify", args=["ZZZZ-ZZZZ-ZZZZ"]))
    assert missing.status_code == 404 and "没有找到" in missing.content.decode()


def test_a_revoked_certificate_says_so_when_checked(client, person):
    attempt = sit(make_exam([make_question("single", key=[0])]), person)
    Certificate.objects.update(revoked_at=timezone.now(), revoked_reason="答案更正后成绩不合格")
    assert "证书已撤销" in client.get(reverse("exams:verify", args=[attempt.certificate.code])).content.decode()


def test_the_printable_page_has_a_server_made_qr_code_and_the_pdf_is_a_pdf(client, person):
    attempt = sit(make_exam([make_question("single", key=[0])]), person)
    client.force_login(person)
    page = client.get(reverse("exams:certificate", args=[attempt.certificate.pk])).content.decode()
    assert "<svg" in page and "证书验证二维码" in page
    assert f"http://testserver/verify/{attempt.certificate.code}/" in page
    pdf = client.get(reverse("exams:certificate_pdf", args=[attempt.certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content
