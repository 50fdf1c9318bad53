"""The annual report as a Word document: the report's context rendered into the bureau's template.

The template is the one an admin uploaded (kept in the "private" storage, never served publicly), else the default
one shipped in oversight/report_templates (oversight.report_template). An upload replaces it only when it
is a .docx that renders with a real report's context; otherwise it is refused and the old one stays.
Templates run in Jinja's sandbox: whoever edits the wording cannot reach the server through it.
"""

import datetime
import io
import uuid
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from organisation.errors import ServiceRefusal
from organisation.text import text_clean_deep
from oversight.report_template import DEFAULT_TEMPLATE, LANGUAGE

FOLDER = "report-templates"
STAMP = "%Y%m%dT%H%M%S%fZ"
MAX_UPLOAD = 10 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024


class ReportTemplateRefused(ServiceRefusal):
    pass


def _storage():
    return storages["private"]


def _uploads() -> list[str]:
    """The accepted uploads in the private storage, oldest first (their names start with the upload time)."""
    try:
        _, files = _storage().listdir(FOLDER)
    except FileNotFoundError:
        return []
    return sorted(f"{FOLDER}/{name}" for name in files if name.endswith(".docx"))


def report_template() -> bytes:
    """The template in use: the last accepted upload, else the default one."""
    uploads = _uploads()
    if not uploads:
        return DEFAULT_TEMPLATE.read_bytes()
    with _storage().open(uploads[-1], "rb") as file:
        return file.read()


def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def report_docx(context: dict, *, template: bytes, now: datetime.datetime) -> bytes:
    """Render ``template`` with ``context``; the properties say what the document is, who made it and when."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template))
    document.render(text_clean_deep({key: value for key, value in context.items() if key != "numbers"}), _environment())
    properties = document.docx.core_properties
    title = next((p.text for p in document.docx.paragraphs if p.style.name == "Title" and p.text.strip()), "")
    properties.title = title or f"{context['year']}年度法治政府建设工作报告"
    properties.author = properties.last_modified_by = context["bureau"]
    moment = now.astimezone(datetime.UTC).replace(tzinfo=None)  # python-docx writes the value as UTC
    properties.created = properties.modified = moment
    properties.revision = 1
    properties.language = LANGUAGE
    properties.comments = properties.keywords = properties.subject = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _check_package(content: bytes) -> None:
    if len(content) > MAX_UPLOAD:
        raise ReportTemplateRefused("模板文件不能超过 10 MB，原模板未改变。")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
            unpacked = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile:
        raise ReportTemplateRefused("请上传 Word 文档（.docx），原模板未改变。") from None
    if "word/document.xml" not in names:
        raise ReportTemplateRefused("请上传 Word 文档（.docx），原模板未改变。")
    if unpacked > MAX_UNPACKED:
        raise ReportTemplateRefused("模板解压后过大，原模板未改变。")


def report_template_replace(*, content: bytes, context: dict, now: datetime.datetime) -> None:
    """Keep ``content`` as the report's template if it renders ``context``; refuse it in Chinese otherwise."""
    from docx import Document
    from jinja2 import TemplateError

    _check_package(content)
    try:
        rendered = report_docx(context, template=content, now=now)
        Document(io.BytesIO(rendered))
    except TemplateError as error:
        raise ReportTemplateRefused(f"模板中的占位符有误（{error.message}），无法生成报告。原模板未改变。") from None
    except Exception:  # python-docx and lxml raise many kinds on a damaged or non-Word package
        raise ReportTemplateRefused(
            "模板无法打开或生成报告，请上传由下载的模板修改而成的 Word 文档（.docx）。原模板未改变。"
        ) from None
    stamp = now.astimezone(datetime.UTC).strftime(STAMP)
    kept = _storage().save(f"{FOLDER}/{stamp}-{uuid.uuid4().hex}.docx", ContentFile(content))
    for name in _uploads():  # the new one is in place before the old ones go: a reader always finds one
        if name != kept:
            _storage().delete(name)


def report_template_reset() -> None:
    """Back to the default template."""
    for name in _uploads():
        _storage().delete(name)
