import io
from decimal import Decimal

import pytest

from django.core.management import call_command
from django.urls import reverse

from learning.exams.models import Question
from learning.exams.services.exporting import questions_export
from learning.exams.services.importing import question_import
from tests.factories import staff
from tests.learning.exam_helpers import law_article, make_question
from website.models import Domain

pytestmark = pytest.mark.django_db

FIELDS = ("qtype", "stem", "options", "key", "explanation", "rubric", "points", "difficulty", "domain_id")


@pytest.fixture
def article():
    return law_article("中华人民共和国旅游法", "lvyoufa", "第九条　旅游者有权知悉其购买的旅游产品和服务的真实情况。", 9)


@pytest.fixture
def bank(article):
    domain = Domain.objects.create(name="旅游服务", slug="lvyou")
    return [
        make_question(
            "single",
            stem="旅游者有权知悉其购买的旅游产品和服务的（　　）。",
            options=["真实情况", "成本价格", "利润"],
            key=[0],
            domain=domain,
            legal_basis=article,
            tags=["旅游法", "知情权"],
            difficulty=1,
        ),
        make_question("multiple", key=[0, 1, 3], points="4", explanation="第一行\n第二行"),
        make_question("true_false", key=[True], legal_basis_text="《娱乐场所管理条例》第七条"),
        make_question("fill", stem="____又称____。", key=[["著作权"], ["版权", "版 权"]], difficulty=3),
        make_question("fill", stem="著作权又称____。", key=[["版权"]]),
        make_question("essay", rubric="要点一\n要点二", points="10"),
        make_question(
            "single", stem='含特殊字符的题 <b>&amp; "引号" {花括号} #井号 ~波浪', options=["a~b", "c#d", "e}f"], key=[1]
        ),
    ]


def snapshot(questions):
    rows = {}
    for question in questions:
        values = {name: getattr(question, name) for name in FIELDS}
        values["points"] = Decimal(values["points"]).normalize()
        values["tags"] = sorted(tag.name for tag in question.tags.all())
        values["legal_basis"] = question.legal_basis_label
        rows[(question.qtype, question.stem)] = values
    return rows


@pytest.mark.parametrize(("fmt", "filename"), [("xlsx", "bank.xlsx"), ("moodle-xml", "bank.xml")])
def test_export_then_import_gives_back_the_same_questions(bank, fmt, filename):
    before = snapshot(Question.objects.all())
    _, _, data = questions_export(fmt=fmt)
    again = question_import(fileobj=io.BytesIO(data), filename=filename)
    assert again.ok and again.created == [] and len(again.duplicates) == len(bank)  # all already in the bank
    Question.objects.all().delete()
    report = question_import(fileobj=io.BytesIO(data), filename=filename)
    assert report.ok, [str(e) for e in report.errors]
    after = snapshot(Question.objects.all())
    assert after == before
    assert Question.objects.get(qtype="single", legal_basis__isnull=False).legal_basis.number == 9


def test_the_export_command_writes_both_formats(bank, tmp_path):
    for fmt, name in (("xlsx", "out.xlsx"), ("moodle-xml", "out.xml")):
        out = tmp_path / name
        call_command("export_questions", "--format", fmt, str(out), stdout=io.StringIO())
        assert out.stat().st_size > 0
    assert (tmp_path / "out.xml").read_bytes().startswith(b"<?xml")


def test_excel_export_escapes_formula_like_text():
    make_question("single", stem='=HYPERLINK("http://evil")', options=["+1", "-1"], key=[0])
    _, _, data = questions_export(fmt="xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix


def test_admin_import_previews_then_imports_on_confirmation(client, bank):
    editor = staff("editor", role_names=("职工", "内容编辑"))
    client.force_login(editor)
    _, _, data = questions_export(fmt="moodle-xml")
    Question.objects.all().delete()
    upload = io.BytesIO(data)
    upload.name = "bank.xml"
    preview = client.post(reverse("exams_question_import"), {"file": upload})
    assert "将导入 7 道题" in preview.content.decode() and "确认导入 7 道题" in preview.content.decode()
    assert not Question.objects.exists()
    done = client.post(reverse("exams_question_import"), {"confirm": "1"})
    assert done.status_code == 302
    assert Question.objects.count() == 7
    assert Question.objects.filter(created_by=editor).count() == 7


def test_admin_import_shows_row_errors_and_offers_no_confirmation(client):
    client.force_login(staff("editor", role_names=("职工", "内容编辑")))
    upload = io.BytesIO("第一题{~甲 ~乙}".encode())
    upload.name = "bad.gift"
    page = client.post(reverse("exams_question_import"), {"file": upload}).content.decode()
    assert "第 1 题：没有正确答案" in page and "确认导入" not in page


def test_an_unconfirmed_upload_is_discarded_when_another_is_checked(client, bank, settings):
    client.force_login(staff("editor", role_names=("职工", "内容编辑")))
    _, _, data = questions_export(fmt="xlsx")
    Question.objects.all().delete()
    staging = settings.PRIVATE_MEDIA_ROOT / "question-imports"
    for _ in range(2):
        upload = io.BytesIO(data)
        upload.name = "bank.xlsx"
        client.post(reverse("exams_question_import"), {"file": upload})
    assert len(list(staging.iterdir())) == 1
    client.post(reverse("exams_question_import"), {"confirm": "1"})
    assert list(staging.iterdir()) == [] and Question.objects.count() == 7
