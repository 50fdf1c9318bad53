"""Reading a law as the 国家法律法规数据库 (flk.npc.gov.cn) offers it for download: a Word (.docx) or text file.

``law_file_read(data=…, filename=…)`` returns an ``OfficialLaw`` (title, dates, the text to store and its
parsed structure) or raises ``LawFileError`` whose ``problems`` say in Chinese why the file was refused.
No database: the import service (``website.services.law_import``) decides what to save.

The official layout: the title on the first line(s); notes in parentheses (``（1982年11月19日……通过　根据……修正
2024年11月8日……修订）``) and/or ``2024年11月8日 公布`` / ``2025年3月1日 施行`` lines; a table of contents
(``目　　录``) that the parser skips; then 编/章/节 headings and articles. Headings pad short titles with
full-width spaces (``第一章　总　　则``); those are removed so the chapter reads ``第一章 总则``.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings

from organisation.errors import ServiceRefusal
from organisation.text import text_clean
from website.lawtext import (
    ARTICLE_RE,
    CONTENTS_RE,
    HEADING_RE,
    SUPPLEMENTARY_RE,
    LawTextError,
    ParsedArticle,
    ParsedLaw,
    article_label,
    parse_law_text,
)
from website.models.laws import LawLevel

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # old Word .doc (and .xls, .wps) files
TITLE_MAX_CHARS = 200
_SPACE = r"[\s\u3000]"
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DASHED_DATE = r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})"
DATE_RE = re.compile(_DATE)
PROMULGATED_RES = (
    re.compile(rf"(?:公布|发布)日期{_SPACE}*[:：]?{_SPACE}*(?:{_DATE}|{_DASHED_DATE})"),
    re.compile(rf"^{_DATE}{_SPACE}*(?:公布|发布)$"),
)
EFFECTIVE_RES = (
    re.compile(rf"(?:施行|实施|生效)日期{_SPACE}*[:：]?{_SPACE}*(?:{_DATE}|{_DASHED_DATE})"),
    re.compile(rf"^{_DATE}{_SPACE}*(?:起)?(?:施行|实施)$"),
)
IN_FORCE_FROM_RE = re.compile(rf"自{_DATE}起施行")
IN_FORCE_ON_PROMULGATION = "自公布之日起施行"
IN_FORCE_ON_NOTE = "公布施行"  # （……全国人民代表大会公告公布施行）
NOTE_OPENERS = ("（", "(")
LOCAL_CONGRESS_RE = re.compile(
    r"([^\s（(，,　]{2,12}?(?:省|自治区|市|州|县))第[一二三四五六七八九十]+届人民代表大会常务委员会"
)


class LawFileError(ServiceRefusal):
    """The file is refused; ``problems`` are whole Chinese sentences, the message joins them."""

    def __init__(self, *problems: str):
        self.problems = list(problems)
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class OfficialLaw:
    title: str
    text: str  # what LawPage.text stores: the file's text, headings tidied
    parsed: ParsedLaw
    promulgated_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    issuing_body: str = ""
    level: str = ""
    source: str = ""  # how the file was read: "Word 文档", "UTF-8 文本", "GBK/GB18030 文本" …
    warnings: tuple[str, ...] = field(default=())

    def count(self, kind: str) -> int:
        return sum(1 for item in self.parsed.items if getattr(item, "kind", None) == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "编": self.count("part"),
            "分编": self.count("subpart"),
            "章": self.count("chapter"),
            "节": self.count("section"),
            "条": len(self.parsed.articles),
        }

    @property
    def first_article(self) -> ParsedArticle:
        return self.parsed.articles[0]

    @property
    def last_article(self) -> ParsedArticle:
        return self.parsed.articles[-1]


def law_file_read(*, data: bytes, filename: str) -> OfficialLaw:
    """Read an uploaded or local file; LawFileError for anything that is not a law we can import."""
    text, source = law_file_text(data=data, filename=filename)
    return official_law_read(text, source=source)


def law_file_text(*, data: bytes, filename: str) -> tuple[str, str]:
    """The text of a .docx or .txt file and how it was read."""
    if not data:
        raise LawFileError("文件为空。")
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise LawFileError(f"文件过大：超过 {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB 的上限。")
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".docx":
        return _docx_text(data), "Word 文档（.docx）"
    if suffix == ".txt":
        return _decoded_text(data)
    if suffix in (".doc", ".wps") or data.startswith(OLE2_MAGIC):
        raise LawFileError("旧版 Word（.doc）或 WPS 文件无法读取，请用 Word 或 WPS 另存为 .docx 后重试。")
    raise LawFileError("只能导入 Word 文档（.docx）或文本文件（.txt），请从国家法律法规数据库下载这两种格式之一。")


def _docx_text(data: bytes) -> str:
    from docx import Document

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise LawFileError("文件不是有效的 Word 文档（.docx），请用 Word 或 WPS 另存为 .docx 后重试。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise LawFileError("Word 文档已损坏，无法读取。") from exc
    if "word/document.xml" not in {member.filename for member in members}:
        raise LawFileError("文件不是有效的 Word 文档（.docx），请用 Word 或 WPS 另存为 .docx 后重试。")
    total = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members) or 1
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES or total / compressed > settings.IMPORT_MAX_COMPRESSION_RATIO:
        raise LawFileError("文件解压后过大或压缩比异常，疑似恶意压缩文件，已拒绝。")
    try:
        document = Document(io.BytesIO(data))
        return "\n".join(paragraph.text for paragraph in document.paragraphs)
    except Exception as exc:  # python-docx fails on a malformed package with whatever its XML walk meets
        raise LawFileError("Word 文档已损坏，无法读取。") from exc


def _decoded_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16 文本"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig"), "UTF-8 文本"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("gb18030"), "GBK/GB18030 文本"
        except UnicodeDecodeError:
            pass
    raise LawFileError("无法识别文件的文字编码：请用记事本或 WPS 将文件另存为 UTF-8 或 GBK 编码的 .txt 后重试。")


def official_law_read(text: str, *, source: str = "") -> OfficialLaw:
    lines = [_tidy_line(line) for line in text_clean(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    # Blank lines stay, so a problem's line number is the file's (a .docx: its paragraph's).
    tidy = "\n".join(lines).rstrip("\n")
    try:
        parsed = parse_law_text(tidy)
    except LawTextError as error:
        hint = _encoding_hint(source, tidy)
        raise LawFileError(*error.messages, *([hint] if hint else [])) from None
    title = _title([line for line in lines if line])
    notes = list(parsed.preamble)
    promulgated_on = _labelled_date(notes, PROMULGATED_RES) or _last_note_date(notes)
    effective_on = (
        _labelled_date(notes, EFFECTIVE_RES)
        or _in_force_date(parsed, promulgated_on)
        or (promulgated_on if any(IN_FORCE_ON_NOTE in line for line in notes) else None)
    )
    issuing_body = _issuing_body(notes)
    return OfficialLaw(
        title=title,
        text=tidy + "\n",
        parsed=parsed,
        promulgated_on=promulgated_on,
        effective_on=effective_on,
        issuing_body=issuing_body,
        level=_level(title, issuing_body),
        source=source,
        warnings=tuple(_warnings(parsed, promulgated_on, effective_on)),
    )


def _tidy_line(line: str) -> str:
    """Strip indentation; in a heading, drop the spaces that pad its title (``总　　则`` → ``总则``)."""
    line = line.replace("\u00a0", " ").strip(" \t\u3000")
    heading = HEADING_RE.match(line)
    if heading and not ARTICLE_RE.match(line):
        numeral, kind, title = heading.groups()
        title = re.sub(rf"{_SPACE}+", "", title)
        return f"第{numeral}{kind}　{title}" if title else f"第{numeral}{kind}"
    if SUPPLEMENTARY_RE.match(line):
        return "附则"
    if CONTENTS_RE.match(line):
        return "目录"
    return line


def _title(lines: list[str]) -> str:
    """The lines before the first note, date, table of contents, heading or article."""
    title = []
    for line in lines:
        if (
            line.startswith(NOTE_OPENERS)
            or DATE_RE.match(line)
            or CONTENTS_RE.match(line)
            or HEADING_RE.match(line)
            or SUPPLEMENTARY_RE.match(line)
            or ARTICLE_RE.match(line)
        ):
            break
        title.append(line)
    title = re.sub(rf"{_SPACE}+", "", "".join(title))
    if not title:
        raise LawFileError("文件开头没有法规名称：第一行应是法规的名称，如“中华人民共和国文物保护法”。")
    if len(title) > TITLE_MAX_CHARS:
        raise LawFileError(f"文件开头的法规名称超过 {TITLE_MAX_CHARS} 字，请检查名称与正文之间是否缺少换行。")
    return title


def _date(groups) -> datetime.date | None:
    numbers = [int(group) for group in groups if group]
    if len(numbers) != 3:
        return None
    try:
        return datetime.date(*numbers)
    except ValueError:
        return None


def _labelled_date(notes: list[str], patterns) -> datetime.date | None:
    for line in notes:
        for pattern in patterns:
            match = pattern.search(line)
            if match and (found := _date(match.groups())):
                return found
    return None


def _last_note_date(notes: list[str]) -> datetime.date | None:
    """The date of the latest 通过/修正/修订 in the parenthesised notes: when this text was adopted."""
    dates = [
        _date(match.groups()) for line in notes if line.startswith(NOTE_OPENERS) for match in DATE_RE.finditer(line)
    ]
    dates = [found for found in dates if found]
    return max(dates, default=None)


def _in_force_date(parsed: ParsedLaw, promulgated_on: datetime.date | None) -> datetime.date | None:
    """``本法自2025年3月1日起施行`` (or ``自公布之日起施行``) in the last article that says so."""
    for article in reversed(parsed.articles):
        match = IN_FORCE_FROM_RE.search(article.text)
        if match:
            return _date(match.groups())
        if IN_FORCE_ON_PROMULGATION in article.text:
            return promulgated_on
    return None


def _issuing_body(notes: list[str]) -> str:
    joined = "".join(notes)
    if "全国人民代表大会常务委员会" in joined:
        return "全国人民代表大会常务委员会"
    if "全国人民代表大会" in joined:
        return "全国人民代表大会"
    if "国务院" in joined:
        return "国务院"
    local = LOCAL_CONGRESS_RE.search(joined)
    return f"{local.group(1)}人民代表大会常务委员会" if local else ""


def _level(title: str, issuing_body: str) -> str:
    if title.endswith("宪法") or title.endswith("宪法修正案"):
        return LawLevel.CONSTITUTION
    if issuing_body.startswith("全国人民代表大会"):
        return LawLevel.LAW
    if issuing_body == "国务院":
        return LawLevel.ADMINISTRATIVE_REGULATION
    if issuing_body.endswith("人民代表大会常务委员会"):
        return LawLevel.LOCAL_REGULATION
    return ""


def _warnings(parsed: ParsedLaw, promulgated_on, effective_on) -> list[str]:
    warnings = []
    numbers = [article.number for article in parsed.articles]
    missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
    if missing:
        shown = "、".join(article_label(number) for number in missing[:5])
        warnings.append(
            f"条号不连续，缺少{shown}{'等' if len(missing) > 5 else ''}共 {len(missing)} 条：请确认文件是否完整。"
        )
    if promulgated_on is None:
        warnings.append("未能从文件中识别公布日期，导入后请在页面中填写。")
    if effective_on is None:
        warnings.append("未能从文件中识别施行日期，导入后请在页面中填写。")
    return warnings


def _encoding_hint(source: str, text: str) -> str:
    if source.startswith("GBK") and "条" not in text:
        return "文件按 GBK 编码读取后没有找到条文，可能是编码不对：请将文件另存为 UTF-8 编码后重试。"
    return ""
