"""Bad files through every importer and every door: a clear Chinese message, and nothing changes.

The importers are the staff list and the question bank; each has a service, a management command
and an admin screen, and every bad file goes through all of them. tests/organisation/test_staff_import.py
and tests/learning/test_import_questions.py cover the good files and the row-by-row messages.
"""

import datetime
import io
import os
import zipfile

import openpyxl.xml
import pytest
from openpyxl import Workbook

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from learning.exams.interchange.excel import COLUMNS as QUESTION_COLUMNS
from learning.exams.models import Question
from learning.exams.services.importing import question_import
from organisation.models import Department, StaffProfile
from organisation.services import STAFF_COLUMNS, staff_import
from tests.clock import SUITE_YEAR
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + "]>"
)
PASSWD = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def workbook(header, rows=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None, *, method=None
):
    """The same .xlsx with some members replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, replace.get(member.filename, source.read(member.filename)))
        for name, content in add.items():
            target.writestr(name, content, compress_type=method or zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(doctype: str, entity: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1">'
        f'<c r="A1" t="inlineStr"><is><t>工号</t></is></c><c r="B1" t="inlineStr"><is><t>&{entity};</t></is></c>'
        "</row></sheetData></worksheet>"
    ).encode()


def broken_after_header(kind) -> bytes:
    """A worksheet whose XML breaks off after a few thousand rows: openpyxl finds out only while reading rows."""
    columns = STAFF_COLUMNS if kind == "staff" else QUESTION_COLUMNS
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in columns)
    rows = "".join(f'<row r="{n}"><c t="inlineStr"><is><t>第{n}行</t></is></c></row>' for n in range(2, 3000))
    xml = (
        f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><dimension ref="A1:N3000"/>'
        f'<sheetData><row r="1">{cells}</row>{rows}<row><c><<'
    )
    return rewritten(workbook(columns), {"xl/worksheets/sheet1.xml": xml.encode()})


def corrupted_member(data: bytes) -> bytes:
    """A sound zip directory whose worksheet's compressed bytes are garbage (a damaged download)."""
    archive = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        info = source.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    archive[start : start + info.compress_size] = os.urandom(info.compress_size)
    return bytes(archive)


NOT_EXCEL = "不是有效的 Excel"
UNREADABLE = "无法解析"
BOMB = "恶意压缩文件"


def _cases():
    """(id, build(kind, settings) → (filename, bytes), expected message) for every importer."""

    def good(kind):
        return workbook(STAFF_COLUMNS if kind == "staff" else QUESTION_COLUMNS)

    def xlsx(build):
        return lambda kind, settings: ("导入.xlsx", build(kind, settings))

    def oversized(kind, settings):
        settings.IMPORT_MAX_BYTES = 200_000
        return rewritten(good(kind), add={"xl/media/photo.bin": os.urandom(250_000)}, method=zipfile.ZIP_STORED)

    def inflates_too_far(kind, settings):
        settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1_000_000
        return rewritten(good(kind), add={"xl/media/notes.txt": os.urandom(700_000).hex().encode()})

    def zip_bomb(kind, settings):
        return rewritten(good(kind), add={"xl/worksheets/sheet2.xml": b"0" * 5_000_000})

    def wrong_types(kind, settings):
        when = datetime.datetime(SUITE_YEAR, 2, 28, 9, 30)
        if kind == "staff":
            return workbook(STAFF_COLUMNS, [["A001", 12345, "办公室", 3.5, when, None, when]])
        return workbook(QUESTION_COLUMNS, [[42, when, 1, 2, None, None, None, None, None, None, when, True, when, 9.5]])

    return [
        ("plain text named .xlsx", xlsx(lambda kind, s: "工号,姓名,处室\nA001,张三,办公室\n".encode()), NOT_EXCEL),
        ("a PNG named .xlsx", xlsx(lambda kind, s: b"\x89PNG\r\n\x1a\n" + os.urandom(200)), NOT_EXCEL),
        ("an old .xls (OLE2) file", xlsx(lambda kind, s: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)), NOT_EXCEL),
        ("an empty file", xlsx(lambda kind, s: b""), ("文件为空", "空文件")),
        ("half a download", xlsx(lambda kind, s: good(kind)[: len(good(kind)) // 2]), NOT_EXCEL),
        ("a zip that is not a workbook", xlsx(lambda kind, s: _zip({"word/document.xml": b"<w/>"})), NOT_EXCEL),
        ("a damaged worksheet inside a sound zip", xlsx(lambda kind, s: corrupted_member(good(kind))), UNREADABLE),
        ("a worksheet that breaks off half-way", xlsx(lambda kind, s: broken_after_header(kind)), UNREADABLE),
        (
            "garbage where the workbook should be",
            xlsx(lambda kind, s: rewritten(good(kind), {"xl/workbook.xml": b"<workbook><<<"})),
            UNREADABLE,
        ),
        ("larger than the upload limit", xlsx(oversized), "文件过大"),
        ("inflates beyond the limit", xlsx(inflates_too_far), BOMB),
        ("a zip bomb (ratio 1000:1)", xlsx(zip_bomb), BOMB),
        (
            "billion laughs in the worksheet",
            xlsx(lambda kind, s: rewritten(good(kind), {"xl/worksheets/sheet1.xml": sheet_xml(LAUGHS, "lol9")})),
            UNREADABLE,
        ),
        (
            "external entity in the worksheet",
            xlsx(lambda kind, s: rewritten(good(kind), {"xl/worksheets/sheet1.xml": sheet_xml(PASSWD, "xxe")})),
            UNREADABLE,
        ),
        (
            "billion laughs in the workbook part",
            xlsx(
                lambda kind, s: rewritten(
                    good(kind),
                    {"xl/workbook.xml": f'<?xml version="1.0"?>{LAUGHS}<workbook>&lol9;</workbook>'.encode()},
                )
            ),
            UNREADABLE,
        ),
        (
            "wrong columns",
            xlsx(lambda kind, s: workbook(["编号", "名字", "部门"], [["1", "张三", "办公室"]])),
            "表头不正确",
        ),
        ("a header and no rows", xlsx(lambda kind, s: good(kind)), "没有"),
        ("dates, numbers and booleans in the wrong columns", xlsx(wrong_types), "第 2 行"),
    ]


ODS = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    b'<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


ODS_LAUGHS = f'<?xml version="1.0"?>{LAUGHS}<office:document-content>&lol9;</office:document-content>'.encode()


def _deflated(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


CASES = _cases()


def _state():
    return (
        Question.objects.count(),
        StaffProfile.objects.count(),
        get_user_model().objects.count(),
        Department.objects.count(),
    )


class Doors:
    """The three ways into each importer; each returns the text the person would read."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.client = Client(raise_request_exception=False)
        self.client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "x"))

    def service(self, kind, filename, data):
        if kind == "staff":
            report = staff_import(fileobj=io.BytesIO(data))
        else:
            report = question_import(fileobj=io.BytesIO(data), filename=filename)
        assert not report.ok
        return "\n".join(str(error) for error in report.errors)

    def command(self, kind, filename, data):
        path = self.tmp_path / filename
        path.write_bytes(data)
        stderr = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command(
                "import_staff" if kind == "staff" else "import_questions",
                str(path),
                stdout=io.StringIO(),
                stderr=stderr,
            )
        return f"{refused.value}\n{stderr.getvalue()}"

    def admin(self, kind, filename, data):
        url = reverse("organisation_staff_import" if kind == "staff" else "exams_question_import")
        response = self.client.post(url, {"file": SimpleUploadedFile(filename, data), "dry_run": ""})
        assert response.status_code == 200, response.status_code
        return response.content.decode()


@pytest.mark.parametrize(("case", "build", "message"), CASES, ids=[case for case, _, _ in CASES])
def test_a_bad_spreadsheet_is_refused_with_a_clear_message_and_changes_nothing(
    case, build, message, settings, tmp_path, tally
):
    DepartmentFactory(name="办公室")
    doors = Doors(tmp_path)
    before = _state()
    for kind in ("staff", "questions"):
        filename, data = build(kind, settings)
        for door in ("service", "command", "admin"):
            text = getattr(doors, door)(kind, filename, data)
            expected = message if isinstance(message, tuple) else (message,)
            said = any((escape(words) if door == "admin" else words) in text for words in expected)
            ok = said and _state() == before
            tally.add(1, not ok)
            assert ok, f"{kind} {door}: expected “{message}” and no change, got:\n{text[-2000:]}"


def test_openpyxl_parses_workbooks_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


MOODLE_QUESTION = (
    '<question type="truefalse"><name><text>网吧</text></name>'
    "<questiontext><text>网吧可以接纳未成年人。</text></questiontext>"
    '<answer fraction="0"><text>true</text></answer><answer fraction="100"><text>false</text></answer></question>'
)
QUESTION_FILES = [
    ("XML that breaks off", "题库.xml", b"<quiz><question type='essay'><name>", "不是有效的 XML"),
    ("HTML, not Moodle XML", "题库.xml", b"<html><body>hello</body></html>", "根元素应为"),
    ("billion laughs", "题库.xml", f"<?xml version='1.0'?>{LAUGHS}<quiz>&lol9;</quiz>".encode(), "安全原因"),
    ("an external entity", "题库.xml", f"<?xml version='1.0'?>{PASSWD}<quiz>&xxe;</quiz>".encode(), "安全原因"),
    (
        "an external DTD",
        "题库.xml",
        b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://127.0.0.1:9/evil.dtd"><quiz/>',
        "安全原因",
    ),
    (
        "a parameter entity",
        "题库.xml",
        b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><quiz/>',
        "安全原因",
    ),
    ("an encoding nobody knows", "题库.xml", b'<?xml version="1.0" encoding="martian"?><quiz/>', "UTF-8"),
    (
        "declared GBK, written in something else",
        "题库.xml",
        '<?xml version="1.0" encoding="GBK"?><quiz>網吧</quiz>'.encode("utf-16-le"),
        "UTF-8",
    ),
    ("a GIFT file that is binary", "题库.gift", b"\xff\xfe\x00\x00" + os.urandom(64), "不是"),
    ("a GIFT file without questions", "题库.txt", "只有文字，没有花括号。".encode(), "没有 GIFT 格式的题目"),
    ("a Word document", "题库.docx", _zip({"word/document.xml": b"<w/>"}), "无法识别的文件类型"),
    (
        "a web page saved as .xls",
        "题库.xls",
        "<html><table><tr><td>题型</td></tr></table></html>".encode(),
        "实际是网页",
    ),
    (
        "an .xls whose body is garbage",
        "题库.xls",
        bytes.fromhex("d0cf11e0a1b11ae1") + os.urandom(600),
        "不是有效的 Excel",
    ),
    ("an .ods with no content", "题库.ods", _zip({"mimetype": ODS}), "没有内容"),
    ("an .ods zip bomb", "题库.ods", _deflated({"mimetype": ODS, "content.xml": b"0" * 5_000_000}), "恶意压缩文件"),
    (
        "billion laughs in an .ods",
        "题库.ods",
        _zip(
            {
                "mimetype": ODS,
                "META-INF/manifest.xml": ODS_MANIFEST,
                "content.xml": ODS_LAUGHS,
            }
        ),
        "无法解析",
    ),
]


@pytest.mark.parametrize(
    ("case", "filename", "data", "message"), QUESTION_FILES, ids=[case for case, *_ in QUESTION_FILES]
)
def test_a_bad_question_file_is_refused_with_a_clear_message_and_changes_nothing(
    case, filename, data, message, tmp_path, tally
):
    doors = Doors(tmp_path)
    before = _state()
    for door in ("service", "command", "admin"):
        text = getattr(doors, door)("questions", filename, data)
        ok = (escape(message) if door == "admin" else message) in text and _state() == before
        tally.add(1, not ok)
        assert ok, f"{door}: expected “{message}” and no change, got:\n{text[-2000:]}"


def test_a_moodle_file_saved_as_gbk_by_a_chinese_tool_imports():
    xml = f'<?xml version="1.0" encoding="GBK"?><quiz>{MOODLE_QUESTION}</quiz>'.encode("gbk")
    report = question_import(fileobj=io.BytesIO(xml), filename="题库.xml")
    assert report.ok, [str(error) for error in report.errors]
    assert Question.objects.get().stem == "网吧可以接纳未成年人。"
