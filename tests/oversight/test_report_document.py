"""The annual report as the bureau files it: a GB/T 9704-style Word document from a template the bureau may reword.

Layout facts are read back from the produced .docx; LibreOffice (Debian's libreoffice-writer) prints it and
page 1 is kept as a PNG in tests/artifacts/documents/annual-report/.
"""

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation import roles
from oversight.report_document import report_template_reset
from oversight.report_template import DEFAULT_TEMPLATE, default_template
from tests.factories import UserFactory
from tests.oversight import helpers as h
from tests.spreadsheets import A4_POINTS, convert_to_pdf, page_sizes

pytestmark = [pytest.mark.django_db, pytest.mark.clock(h.NOW, tick=False)]

ARTIFACTS = Path(settings.BASE_DIR) / "tests" / "artifacts" / "documents"
OLD_SENTENCE = "依托普法学法平台开展在线学法"
NEW_SENTENCE = "依托局普法学法平台组织网上学法"


@pytest.fixture(autouse=True)
def default_template_after():
    """An uploaded template lives in private media, which outlives a test: each test starts and ends on the default."""
    report_template_reset()
    yield
    report_template_reset()


@pytest.fixture
def committee(bureau):
    return UserFactory(username="committee", roles=[roles.OVERSIGHT])


@pytest.fixture
def office(client, committee):
    client.force_login(committee)
    return client


def report(client) -> Document:
    response = client.get(reverse("oversight:report_docx"))
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def uploaded_templates() -> list[str]:
    storage = storages["private"]
    return (
        [f"report-templates/{name}" for name in storage.listdir("report-templates")[1]]
        if storage.exists("report-templates")
        else []
    )


def mm(length) -> float:
    return round(length.mm, 1)


def east_asian_font(element) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def table_headed(document, first: str):
    return next(table for table in document.tables if table.rows[0].cells[0].text == first)


def upload(client, content: bytes, name="annual-report-template.docx"):
    return client.post(
        reverse("oversight:report_template_upload"), {"template": SimpleUploadedFile(name, content)}, follow=True
    )


def reworded(template: bytes, old: str, new: str) -> bytes:
    """``template`` with ``old`` replaced by ``new`` in its paragraphs, as an admin would edit it in Word."""
    document = Document(io.BytesIO(template))
    edited = 0
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                edited += 1
    assert edited, f"{old!r} is not in the template"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_report_is_laid_out_as_an_official_document(office):
    document = report(office)

    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [mm(margin) for margin in margins] == [37, 35, 28, 26]
    footer = section.footer._element
    assert footer.find(".//" + qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
    assert "".join(text.text for text in footer.iter(qn("w:t"))) == "— 1 —"

    styles = document.styles
    assert east_asian_font(styles["Normal"].element) == "仿宋_GB2312"
    assert styles["Normal"].font.size.pt == 16
    assert east_asian_font(styles["Title"].element) == "方正小标宋简体"
    assert styles["Title"].font.size.pt == 22
    assert east_asian_font(styles["Heading 1"].element) == "黑体"
    defaults = styles.element.find(qn("w:docDefaults") + "//" + qn("w:lang"))
    assert (defaults.get(qn("w:val")), defaults.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")
    with zipfile.ZipFile(io.BytesIO(office.get(reverse("oversight:report_docx")).content)) as package:
        font_table = package.read("word/fontTable.xml").decode()
    assert re.search(r'w:name="仿宋_GB2312">.*?<w:altName w:val="仿宋"/>', font_table)

    title, subtitle = document.paragraphs[0], document.paragraphs[1]
    assert (title.style.name, title.text) == ("Title", f"{h.YEAR}年度法治政府建设工作报告")
    assert subtitle.style.name == "Subtitle" and "平台数据生成" in subtitle.text

    departments = table_headed(document, "处室（单位）")
    header = departments.rows[0]._tr
    assert header.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None  # repeated on every page
    assert all(
        cell.find(qn("w:tcPr") + "/" + qn("w:shd")).get(qn("w:fill")) == "D9D9D9" for cell in header.iter(qn("w:tc"))
    )
    assert all(east_asian_font(run) == "黑体" for run in header.iter(qn("w:r")))
    widths = [int(column.get(qn("w:w"))) for column in departments._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert abs(sum(widths) - Mm(156).twips) < len(widths)  # the text width, shared by weight
    assert widths[0] == max(widths) and widths[0] > 2 * min(widths)
    for row in departments.rows[1:]:
        name, *numbers = row.cells
        assert name.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert all(cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for cell in numbers)
        rates = [cell.text for cell in numbers[3:]]
        assert all(re.fullmatch(r"\d+\.\d%|—", rate) for rate in rates), rates
    enforcement = next(row for row in departments.rows if row.cells[0].text == "执法队")
    assert [cell.text for cell in enforcement.cells][2:5] == ["28.5", "3", "75.0%"]

    body = list(document.element.body.iterchildren())
    for index, element in enumerate(body):
        if element.tag == qn("w:tbl"):
            caption = document.paragraphs[[p._p for p in document.paragraphs].index(body[index - 1])]
            assert caption.style.name == "Caption" and caption.text.startswith("表")
            assert caption.style.paragraph_format.keep_with_next  # kept on the page of its table

    properties = document.core_properties
    assert properties.title == f"{h.YEAR}年度法治政府建设工作报告"
    assert properties.author == settings.BUREAU_NAME
    assert properties.language == "zh-CN"
    assert properties.created.replace(tzinfo=datetime.UTC) == h.NOW.astimezone(datetime.UTC)


def test_the_shipped_template_is_what_the_generator_writes():
    """oversight/report_templates/annual-report.docx is rebuilt by ``manage.py build_report_template``."""

    def parts(content):
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            return {name: package.read(name) for name in package.namelist()}

    assert parts(DEFAULT_TEMPLATE.read_bytes()) == parts(default_template())


def test_the_bureau_rewords_the_report_in_word_and_the_report_says_it(office):
    template = office.get(reverse("oversight:report_template"))
    assert template.status_code == 200
    assert "annual-report-template.docx" in template["Content-Disposition"]
    assert OLD_SENTENCE in "\n".join(p.text for p in Document(io.BytesIO(template.content)).paragraphs)

    response = upload(office, reworded(template.content, OLD_SENTENCE, NEW_SENTENCE))
    assert "已启用新的报告模板。" in response.content.decode()

    assert len(uploaded_templates()) == 1  # in the private storage, never served publicly
    assert Path(storages["private"].path(uploaded_templates()[0])).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    page = office.get(reverse("oversight:report")).content.decode()
    markdown = office.get(reverse("oversight:report_md")).content.decode()
    word = "\n".join(p.text for p in report(office).paragraphs)
    for text in (page, markdown, word):
        assert f"{NEW_SENTENCE}，干部职工完成课程学习4门次" in text and OLD_SENTENCE not in text
    assert NEW_SENTENCE in "\n".join(
        p.text for p in Document(io.BytesIO(office.get(reverse("oversight:report_template")).content)).paragraphs
    )

    office.post(reverse("oversight:report_template_reset"))
    assert OLD_SENTENCE in office.get(reverse("oversight:report_md")).content.decode()


@pytest.mark.parametrize(
    ("old", "new", "refusal"),
    [
        ("{{ hours.staff }}", "{{ hours.headcount }}", "模板中的占位符有误"),
        ("{{ hours.staff }}", "{{ hours.staff }", "模板中的占位符有误"),
        ("{%p if enforcement.staff %}", "{%p if enforcement.staff", "模板中的占位符有误"),
        ("{{ hours.staff }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "模板中的占位符有误"),
    ],
    ids=["unknown figure", "unclosed placeholder", "unclosed condition", "reaching past the figures"],
)
def test_a_template_that_cannot_write_the_report_is_refused_and_the_old_one_stays(office, old, new, refusal):
    template = office.get(reverse("oversight:report_template")).content
    upload(office, reworded(template, OLD_SENTENCE, NEW_SENTENCE))

    response = upload(office, reworded(template, old, new))
    assert refusal in response.content.decode() and "原模板未改变" in response.content.decode()
    assert NEW_SENTENCE in office.get(reverse("oversight:report_md")).content.decode()


def test_a_file_that_is_not_a_word_document_is_refused(office):
    for content, name in ((b"%PDF-1.4\n%%EOF\n", "report.pdf"), (b"PK\x03\x04broken", "report.docx")):
        response = upload(office, content, name)
        assert "请上传 Word 文档（.docx）" in response.content.decode()
    too_large = upload(office, b"PK" + b"0" * (10 * 1024 * 1024), "report.docx")
    assert "模板文件不能超过 10 MB，原模板未改变。" in too_large.content.decode()
    assert OLD_SENTENCE in office.get(reverse("oversight:report_md")).content.decode()


def test_a_department_head_may_neither_download_nor_replace_the_template(client, bureau):
    client.force_login(bureau["head"])
    assert client.get(reverse("oversight:report_template")).status_code == 403
    template = DEFAULT_TEMPLATE.read_bytes()
    response = client.post(
        reverse("oversight:report_template_upload"),
        {"template": SimpleUploadedFile("t.docx", reworded(template, OLD_SENTENCE, NEW_SENTENCE))},
    )
    assert response.status_code == 403
    assert uploaded_templates() == []


def test_libreoffice_prints_the_report_on_a4_with_its_title_on_page_one(office):
    folder = ARTIFACTS / "annual-report"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = folder / "annual-report.docx"
    source.write_bytes(office.get(reverse("oversight:report_docx")).content)

    pdf = convert_to_pdf(source)
    sizes = page_sizes(pdf)
    assert len(sizes) >= 2 and set(sizes) == {A4_POINTS}
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"{h.YEAR}年度法治政府建设工作报告" in first.replace(" ", "")
    assert "一、学法用法情况" in first.replace(" ", "")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # the Chinese text is set in a CJK font, not boxes
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(folder / "page")], check=True)
    assert sorted(path.name for path in folder.glob("page-*.png")) == ["page-1.png"]
