"""What every question importer produces, and the text helpers they share."""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser


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

    def problem(self, position: int, message: str) -> None:
        self.problems.append(Problem(position, message, self.unit))


class _TextExtractor(HTMLParser):
    BREAKS = {"br"}
    BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value: str) -> str:
    """Plain text from a fragment of HTML: tags dropped, <br> and block ends become line breaks."""
    if "<" not in value and "&" not in value:
        return clean_text(value)
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return clean_text("".join(parser.parts).replace("\xa0", " "))


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
    1: {"1", "易", "容易", "简单", "较易", "低", "easy"},
    2: {"2", "中", "中等", "一般", "适中", "普通", "medium"},
    3: {"3", "难", "困难", "较难", "高", "hard", "difficult"},
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
    raise ValueError(f"难度应为“易/中/难”或 1/2/3，而不是“{value}”")
