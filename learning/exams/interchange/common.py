"""What every question importer produces, and the text helpers they share."""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

from organisation.text import text_clean, text_clean_deep


class FormatError(ValueError):
    """The whole file cannot be read as the format it claims to be; the message is for the user."""


@dataclass
class Parsed:
    """One question read from a file, not yet checked against the bank."""

    position: int  # the row (Excel) or question number (Moodle XML, GIFT) the user sees
    qtype: str
    stem: str
    options: list[str] = field(default_factory=list)
    key: list = field(default_factory=list)
    explanation: str = ""
    rubric: str = ""
    points: Decimal | None = None
    difficulty: int | None = None
    tags: list[str] = field(default_factory=list)
    legal_basis_text: str = ""
    name: str = ""
    warnings: list[str] = field(default_factory=list)
    pictures: list = field(default_factory=list)  # PictureData, checked, for the stem or an option


@dataclass
class Unsupported:
    """A question of a type the bank does not have (matching, numerical …), listed and skipped only on request."""

    position: int
    name: str
    kind: str


@dataclass
class Problem:
    position: int
    message: str
    unit: str = "题"

    def __str__(self):
        if not self.position:
            return self.message  # about the whole file
        return f"第 {self.position} {self.unit}：{self.message}"


@dataclass
class ParseResult:
    unit: str  # "行" for spreadsheets, "题" for question files
    questions: list[Parsed] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Spreadsheets: each header cell as written and the column it was understood as ("" when not imported).
    columns: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # about the whole file, shown with the report's warnings

    def problem(self, position: int, message: str) -> None:
        self.problems.append(Problem(position, message, self.unit))

    def without_unsafe_text(self) -> "ParseResult":
        """The same questions with control and bidi characters stripped from every text (``text_clean``)."""
        for parsed in self.questions:
            for name in ("stem", "explanation", "rubric", "legal_basis_text", "name"):
                setattr(parsed, name, text_clean(getattr(parsed, name)))
            parsed.options, parsed.key, parsed.tags = text_clean_deep([parsed.options, parsed.key, parsed.tags])
        return self


class _TextExtractor(HTMLParser):
    BREAKS = {"br"}
    BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "pre":
            self.in_pre += 1

    def handle_startendtag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_pre = max(0, self.in_pre - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_pre:  # keep the indentation of preformatted lines, which clean_text would strip
            data = re.sub(r"(?m)^[ \t]+", lambda m: KEPT_SPACE * len(m.group(0).expandtabs(4)), data)
        self.parts.append(data)


KEPT_SPACE = "\ue000"  # a private-use stand-in for a space that clean_text must keep


def html_to_text(value: str) -> str:
    """Plain text from a fragment of HTML: tags dropped, <br> and block ends become line breaks."""
    if "<" not in value and "&" not in value:
        return clean_text(value)
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return clean_text("".join(parser.parts).replace("\xa0", " ")).replace(KEPT_SPACE, " ")


def text_to_html(value: str) -> str:
    return "<p>" + html.escape(value).replace("\n", "<br>") + "</p>"


def clean_text(value: str) -> str:
    """Trim each line and the whole text; at most one empty line in a row."""
    lines = [line.strip() for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_tags(value) -> list[str]:
    tags = []
    for tag in TAG_SEPARATORS.split(str(value or "")):
        tag = tag.strip()[:100]
        if tag and tag not in tags:
            tags.append(tag)
    return tags


DIFFICULTY_WORDS = {
    1: {"1", "易", "容易", "简单", "较易", "低", "低难度", "easy"},
    2: {"2", "中", "中等", "一般", "适中", "普通", "中难度", "medium"},
    3: {"3", "难", "困难", "较难", "高", "高难度", "hard", "difficult"},
}


def parse_difficulty(value) -> int | None:
    """1, 2 or 3 from what people write; None when the cell is empty. Raises ValueError when unreadable."""
    word = str(value if value is not None else "").strip().lower()
    if isinstance(value, float) and value.is_integer():
        word = str(int(value))
    if not word:
        return None
    for level, words in DIFFICULTY_WORDS.items():
        if word in words:
            return level
    raise ValueError(f"难度应为“易/较易/中/较难/难”“低难度/中难度/高难度”或 1/2/3，而不是“{value}”")


# Moodle's list of answer grades (question_bank::fraction_options_full): its importer refuses a question whose
# answers carry any other fraction, comparing with a tolerance of 0.00001 (match_grade_options, 'error').
MOODLE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2) + (
    0.1666667,
    0.1428571,
    0.125,
    0.1111111,
    0.1,
    0.05,
    0.0,
)
MOODLE_GRADES = (
    "100%、90%、83.33333%、80%、75%、70%、66.66667%、60%、50%、40%、33.33333%、30%、25%、20%、"
    "16.66667%、14.28571%、12.5%、11.11111%、10%、5%、0 及其负值"
)


def _percent(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".") + "%"


def fraction_problem(percentages) -> str | None:
    """Why Moodle would refuse answers so weighted (percentages: ``fraction="50"``, ``%50%``); None if it would not."""
    bad = [
        value
        for value in percentages
        if not any(abs(abs(value) / 100 - allowed) < 0.00001 for allowed in MOODLE_FRACTIONS)
    ]
    if not bad:
        return None
    return (
        f"答案的得分比例 {'、'.join(dict.fromkeys(_percent(value) for value in bad))} 不是 Moodle 允许的比例"
        f"（{MOODLE_GRADES}），Moodle 也会拒绝导入此题"
    )


# Pictures, sound and video in a question's HTML or Markdown. Pictures whose bytes travel in the file (Moodle
# XML's base64 ``<file>``) are imported; a question showing sound, video or a picture the file only names or links
# to is refused by name (listed as unsupported), never imported with them silently removed.
MEDIA_TAG = re.compile(r"<\s*(img|audio|video|source|embed|object|iframe)\b[^>]*>", re.IGNORECASE)
MEDIA_SOURCE = re.compile(r"""\b(?:src|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
SOUND_EXTENSIONS = {"mp3", "wav", "ogg", "oga", "m4a", "aac", "flac", "wma", "amr"}
VIDEO_EXTENSIONS = {"mp4", "m4v", "webm", "ogv", "mov", "avi", "wmv", "flv", "mkv", "swf"}
LINKED_MEDIA = re.compile(
    r"""<a\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+\.(?:"""
    + "|".join(sorted(SOUND_EXTENSIONS | VIDEO_EXTENSIONS))
    + r"""))\b""",
    re.IGNORECASE,
)
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")


def media_in(text: str) -> list[str]:
    """The pictures, sound and video a fragment of HTML or Markdown shows or links to, by file name or address."""
    found = []
    for match in MEDIA_TAG.finditer(text or ""):
        source = MEDIA_SOURCE.search(match.group(0))
        found.append(next(filter(None, source.groups())) if source else f"<{match.group(1).lower()}>")
    found += LINKED_MEDIA.findall(text or "") + MARKDOWN_IMAGE.findall(text or "")
    found += [f"@@PLUGINFILE@@/{name}" for name in PLUGINFILE.findall(text or "")]
    names = []
    for value in found:
        value = html.unescape(value).removeprefix("@@PLUGINFILE@@/")
        if value and value not in names:
            names.append(value)
    return names


def media_kind(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in SOUND_EXTENSIONS or name == "<audio>":
        return "声音"
    if extension in VIDEO_EXTENSIONS or name in ("<video>", "<embed>", "<object>", "<iframe>"):
        return "视频"
    return "图片"


def media_refusal(names: list[str]) -> str:
    """The unsupported-kind line for a question that shows sound or video, or pictures the file does not hold."""
    listed = "、".join(f"{media_kind(name)} {name}" for name in names)
    if any(media_kind(name) != "图片" for name in names):
        return f"含{listed}（考试和练习中不能播放声音和视频，导入后题目会不完整，故不导入此题）"
    return (
        f"含{listed}（文件中只有图片的名称或地址，没有图片本身，导入后题目会不完整，故不导入此题；"
        "请从 Moodle 导出为 Moodle XML 格式，图片会随题目一起导入）"
    )


def dropped_feedback(texts, what: str = "答案反馈") -> str | None:
    """The warning for feedback the bank has no place for, quoting it, or None when there is none."""
    texts = [text.replace("\n", " ") for text in dict.fromkeys(texts) if text]
    if not texts:
        return None
    quoted = "、".join(f"“{text[:30]}{'…' if len(text) > 30 else ''}”" for text in texts[:5])
    more = f"等 {len(texts)} 条" if len(texts) > 5 else ""
    return f"{what}{quoted}{more}未导入（题库每题只有一段解析）"
