"""Text that cannot break files (``organisation.text``): control and bidi characters.

ESC, BEL and U+202E (right-to-left override) stored directly in the database used to make openpyxl raise
``IllegalCharacterError`` (a 500 on every export that wrote them) and python-docx refuse the annual report;
every writer now strips them. Posted forms and every importer strip them before anything is stored.
"""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from defusedxml import ElementTree
from openpyxl import Workbook, load_workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from learning.exams.models import Question
from learning.exams.services.importing import question_import
from learning.models import ExternalTraining
from learning.study.awards import learning_record_award
from organisation import roles
from organisation.models import StaffProfile
from organisation.services import STAFF_COLUMNS, staff_import
from organisation.text import text_clean
from tests.clock import SUITE_NOW, SUITE_TODAY, SUITE_YEAR
from tests.factories import DepartmentFactory, UserFactory, staff
from tests.learning.exam_helpers import make_question
from tests.learning.study_helpers import make_session

pytestmark = pytest.mark.django_db

HOSTILE = "\x1b[31m\x07\u202e"  # ESC, BEL, right-to-left override
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def hostile(text: str) -> str:
    return f"{text}{HOSTILE}末"


def cleaned(text: str) -> str:
    return f"{text}[31m末"


def test_text_clean_strips_controls_and_bidi_and_keeps_everything_else():
    assert text_clean(hostile("外训")) == cleaned("外训")
    assert text_clean("第一行\n第二行\t制表\r\n") == "第一行\n第二行\t制表\r\n"
    assert text_clean("a\u2066b\u2069c\u200fd\x7f\x85e") == "abcde"
    assert text_clean(12) == 12


@pytest.fixture
def stored():
    """Hostile text written straight to the database, as older data or another tool may have left it."""
    department = DepartmentFactory(name=hostile("执法队"))
    member = staff("member", department=department, real_name=hostile("张三"))
    learning_record_award(
        user=member,
        award_key="external:1",
        source="external",
        title=hostile("外训"),
        hours=Decimal("6"),
        occurred_on=SUITE_TODAY,
    )
    make_session(member, starts_at=SUITE_NOW - datetime.timedelta(days=2), topic=hostile("集中学法"))
    make_question(stem=hostile("题干"))
    return member


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cells(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    return [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]


def test_ones_own_record_exports_with_the_characters_stripped(stored):
    response = signed_in(stored).get("/me/record/export.xlsx")
    assert response.status_code == 200
    assert cleaned("外训") in cells(response.content)


def test_the_bureaus_workbook_and_csv_export_with_the_characters_stripped(stored):
    office = signed_in(UserFactory(username="committee", roles=[roles.OVERSIGHT]))
    response = office.get("/oversight/export.xlsx", {"year": SUITE_YEAR})
    assert response.status_code == 200
    assert cleaned("张三") in cells(response.content)
    response = office.get("/oversight/export/people.csv", {"year": SUITE_YEAR})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert cleaned("张三") in text and HOSTILE not in text


def test_the_question_exports_carry_the_stem_with_the_characters_stripped(stored, admin_client):
    spreadsheet = admin_client.get("/admin/exams/export/", {"format": "xlsx"})
    assert spreadsheet.status_code == 200
    assert any(cleaned("题干") in cell for cell in cells(spreadsheet.content))
    moodle = admin_client.get("/admin/exams/export/", {"format": "moodle-xml"})
    assert moodle.status_code == 200
    assert cleaned("题干") in ElementTree.tostring(ElementTree.fromstring(moodle.content), encoding="unicode")


def test_the_annual_report_opens_in_word_with_the_characters_stripped(stored):
    office = signed_in(UserFactory(username="committee", roles=[roles.OVERSIGHT]))
    response = office.get("/oversight/report.docx", {"year": SUITE_YEAR})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    text += "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert cleaned("执法队") in text


def test_a_posted_form_stores_the_text_without_them(client):
    client.force_login(staff("member"))
    response = client.post(
        "/study/external/",
        {
            "kind": "training",
            "title": hostile("外训"),
            "organiser": hostile("省厅"),
            "completed_on": SUITE_TODAY.isoformat(),
            "hours": "6",
            "score": "",
            "certificate": SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    training = ExternalTraining.objects.get()
    assert (training.title, training.organiser) == (cleaned("外训"), cleaned("省厅"))


def test_a_posted_nul_is_still_refused_by_the_form(client):
    client.force_login(staff("member"))
    response = client.post("/study/external/", {"kind": "training", "title": "外\x00训"})
    assert response.status_code == 200
    assert not ExternalTraining.objects.exists()


GIFT = f"::q1:: {hostile('题干')} {{={hostile('正确')} ~错误一 ~错误二}}\n".encode()


def test_a_gift_import_stores_the_questions_without_them():
    report = question_import(fileobj=io.BytesIO(GIFT), filename="bank.gift")
    assert not report.errors, report.errors
    question = Question.objects.get()
    assert question.stem == cleaned("题干")
    assert cleaned("正确") in question.options


def test_the_staff_import_stores_names_without_them():
    """A worksheet cannot hold ESC or BEL, but it can hold the bidi controls and C1 characters."""
    DepartmentFactory(name="办公室")
    book = Workbook()
    book.active.append(STAFF_COLUMNS)
    book.active.append(["A001", "张\u202e三\x85", "办公室", "\u2066科员\u2069", "否", None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = staff_import(fileobj=buffer)
    assert report.ok, report.errors
    profile = StaffProfile.objects.get(employee_no="A001")
    assert (profile.real_name, profile.position) == ("张三", "科员")
