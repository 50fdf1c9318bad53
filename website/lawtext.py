"""Parsing a pasted Chinese law text into parts (编), chapters (章), sections (节) and articles (条).

Pure functions, no Django: ``parse_law_text(text)`` returns a ``ParsedLaw`` or raises
``LawTextError`` whose ``problems`` say at which line and why the text does not parse.

What the parser accepts, as official texts are printed and as people paste them:

* headings ``第一编 总则``, ``第一分编 通则``, ``第一章 总则``, ``第一节 一般规定`` and an
  unnumbered ``附则`` chapter, each on its own line;
* articles ``第一条　为了……`` (full-width or normal space, or none when the number is
  the next one expected), numbered in Chinese numerals or digits;
* paragraphs (款) and items (项, ``（一）……``) on the lines that follow, until the next heading;
* a title, promulgation notes and a preamble (序言) before the first heading, and a table of
  contents (``目录``) whose heading lines are skipped.

Article numbers must increase (an excerpt may skip numbers); a chapter must hold articles.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "零〇一二两三四五六七八九十百千0-9０-９"
MAX_ARTICLES = 5000
MAX_LINE_CHARS = 5000

_SPACE = r"[\s\u3000]"
HEADING_RE = re.compile(rf"^第([{NUMERAL}]+)(编|分编|章|节){_SPACE}*(.*)$")
ARTICLE_RE = re.compile(rf"^第([{NUMERAL}]+)条(之[一二三四五六七八九十]+)?({_SPACE}*)(.*)$")
SUPPLEMENTARY_RE = re.compile(rf"^附{_SPACE}*则$")
CONTENTS_RE = re.compile(rf"^目{_SPACE}*录$")
ITEM_RE = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


class LawTextError(ValueError):
    """The text does not parse; ``problems`` lists (line number, message) pairs in Chinese."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("；".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [f"第{line}行：{message}" if line else message for line, message in self.problems]


def chinese_to_int(numeral: str) -> int:
    """``"一百零一"`` → 101, ``"十"`` → 10, ``"21"`` → 21; ValueError for anything else."""
    numeral = unicodedata.normalize("NFKC", numeral)
    if not numeral:
        raise ValueError("空的数字")
    if numeral.isdigit():
        return int(numeral)
    total, digit, last_unit, pending_zero = 0, None, 10_000, False
    for char in numeral:
        if char in DIGITS and DIGITS[char] == 0:
            if digit is not None or total == 0:
                raise ValueError(f"“{numeral}”中的“零”位置不对")
            pending_zero = True
        elif char in DIGITS:
            if digit is not None:
                raise ValueError(f"“{numeral}”不是有效的中文数字")
            digit = DIGITS[char]
        elif char in UNITS:
            unit = UNITS[char]
            if unit >= last_unit or (pending_zero and digit is None):
                raise ValueError(f"“{numeral}”不是有效的中文数字")
            if digit is None:
                if total and unit != 10:
                    raise ValueError(f"“{numeral}”不是有效的中文数字")
                digit = 1
            total += digit * unit
            digit, last_unit, pending_zero = None, unit, False
        else:
            raise ValueError(f"“{numeral}”不是有效的中文数字")
    if digit is not None:
        total += digit
    return total


def int_to_chinese(number: int) -> str:
    """101 → ``"一百零一"``, 10 → ``"十"``, 1260 → ``"一千二百六十"`` (as law texts write them)."""
    if number <= 0 or number >= 10_000:
        raise ValueError("条号须在 1 到 9999 之间")
    names = "零一二三四五六七八九"
    parts = []
    zero = False
    for unit_value, unit_name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        if unit_value == 10 and digit == 1 and not parts:
            parts.append("十")
        else:
            parts.append(names[digit] + unit_name)
    return "".join(parts)


def article_label(number: int) -> str:
    return f"第{int_to_chinese(number)}条"


@dataclass(frozen=True)
class Heading:
    kind: str  # "part", "subpart", "chapter", "section"
    label: str  # 第一章 / 附则
    title: str  # 总则
    anchor: str
    line: int

    @property
    def text(self) -> str:
        return f"{self.label} {self.title}".strip() if self.title != self.label else self.label


@dataclass(frozen=True)
class Paragraph:
    text: str
    is_item: bool  # a 项 line such as （一）……


@dataclass(frozen=True)
class ParsedArticle:
    number: int
    label: str
    chapter: str
    section: str
    paragraphs: tuple[Paragraph, ...]
    line: int

    @property
    def anchor(self) -> str:
        return self.label

    @property
    def text(self) -> str:
        return "\n".join(paragraph.text for paragraph in self.paragraphs)


@dataclass(frozen=True)
class ParsedLaw:
    preamble: tuple[str, ...]
    # Headings and articles in reading order, for rendering.
    items: tuple[Heading | ParsedArticle, ...]
    articles: tuple[ParsedArticle, ...] = field(default=())

    @property
    def chapters(self) -> list[Heading]:
        return [item for item in self.items if isinstance(item, Heading) and item.kind in ("part", "chapter")]


def _normalise_lines(text: str) -> list[tuple[int, str]]:
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = "".join(char for char in raw if char in "\t" or unicodedata.category(char)[0] != "C")
        line = line.replace("\u00a0", " ").strip(" \t\u3000")
        if line:
            lines.append((number, line))
    return lines


@dataclass
class _State:
    part: str = ""
    chapter: Heading | None = None
    section: Heading | None = None
    chapter_numbers: dict = field(default_factory=dict)
    section_number: int = 0
    article_count_at_chapter: int = 0


@dataclass
class _Parser:
    """Reads normalised lines one at a time; each kind of line has its own small method."""

    lines: list[tuple[int, str]]
    problems: list[tuple[int, str]] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    items: list[Heading | ParsedArticle] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    state: _State = field(default_factory=_State)
    current: dict | None = None  # the article being read: number, label, line, paragraphs
    in_contents: bool = False
    contents_first: str | None = None
    chapter_has_article: dict[int, bool] = field(default_factory=dict)
    spaces_mark_articles: bool = True

    def __post_init__(self):
        # When the pasted text keeps the space after "第X条", a line without one is a paragraph that
        # starts with a reference ("第三条规定的……"); texts that lost their spaces fall back to numbering.
        spaced = sum(1 for _, line in self.lines if (match := ARTICLE_RE.match(line)) and match.group(3))
        unspaced = sum(1 for _, line in self.lines if (match := ARTICLE_RE.match(line)) and not match.group(3))
        self.spaces_mark_articles = spaced >= unspaced

    def run(self) -> ParsedLaw:
        for line_no, line in self.lines:
            if self.read_line(line_no, line) == "stop":
                break
        self.close_article()
        self.close_chapter()
        if not self.articles and not self.problems:
            self.problems.append((0, "没有找到任何条文：每条应以“第一条”“第二条”……开头，各占一行"))
        if self.problems:
            raise LawTextError(self.problems)
        return ParsedLaw(preamble=tuple(self.preamble), items=tuple(self.items), articles=tuple(self.articles))

    def read_line(self, line_no: int, line: str) -> str | None:
        if len(line) > MAX_LINE_CHARS:
            self.problems.append((line_no, f"这一行超过 {MAX_LINE_CHARS} 字，请检查是否缺少换行"))
            return None
        if CONTENTS_RE.match(line) and not self.articles and self.current is None:
            self.in_contents = True
            return None
        heading = HEADING_RE.match(line)
        supplementary = SUPPLEMENTARY_RE.match(line)
        if self.in_contents and self.skip_contents(line, heading or supplementary):
            return None
        if heading or supplementary:
            self.read_heading(line_no, heading)
            return None
        article = ARTICLE_RE.match(line)
        if article:
            outcome = self.read_article(line_no, article)
            if outcome is not None:
                return outcome
        self.read_body(line_no, line)
        return None

    def skip_contents(self, line: str, is_heading) -> bool:
        """Skip the table of contents until its first heading comes round again, or an article starts."""
        key = re.sub(_SPACE, "", line) if is_heading else None
        if key is not None and self.contents_first is None:
            self.contents_first = key
            return True
        if key is not None and key != self.contents_first:
            return True
        if key is None and not ARTICLE_RE.match(line):
            return True
        self.in_contents = False
        return False

    def read_heading(self, line_no: int, heading) -> None:
        if heading:
            numeral, kind_word, title = heading.groups()
            try:
                number = chinese_to_int(numeral)
            except ValueError as error:
                self.problems.append((line_no, f"无法识别的编号：{error}"))
                return
            kind = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section"}[kind_word]
            label = f"第{int_to_chinese(number) if number < 10_000 else numeral}{kind_word}"
        else:
            number, kind, label, title = 0, "chapter", "附则", "附则"
        self.close_article()
        if kind in ("part", "subpart"):
            self.open_part(line_no, kind, label, title)
        elif kind == "chapter":
            self.open_chapter(line_no, number, label, title)
        else:
            self.open_section(line_no, number, label, title)

    def open_part(self, line_no: int, kind: str, label: str, title: str) -> None:
        state = self.state
        self.close_chapter()
        state.part = label if kind == "part" else state.part
        state.chapter = state.section = None
        if kind == "part":
            state.chapter_numbers.clear()
        anchor = f"{state.part}{label}" if kind == "subpart" else label
        self.items.append(Heading(kind, label, title or label, anchor, line_no))

    def open_chapter(self, line_no: int, number: int, label: str, title: str) -> None:
        state = self.state
        self.close_chapter()
        last = max(state.chapter_numbers.values(), default=0)
        if number and number <= last:
            self.problems.append((line_no, f"章号应递增：{label}出现在第{int_to_chinese(last)}章之后"))
        state.chapter_numbers[label] = number or last
        state.chapter = Heading("chapter", label, title or label, f"{state.part}{label}", line_no)
        state.section = None
        state.section_number = 0
        self.items.append(state.chapter)

    def open_section(self, line_no: int, number: int, label: str, title: str) -> None:
        state = self.state
        if state.chapter is None:
            self.problems.append((line_no, f"“{label}”不在任何一章之下"))
            return
        if number <= state.section_number:
            self.problems.append((line_no, f"节号应递增：{label}出现在第{int_to_chinese(state.section_number)}节之后"))
        state.section_number = number
        state.section = Heading("section", label, title or label, f"{state.chapter.anchor}{label}", line_no)
        self.items.append(state.section)

    def read_article(self, line_no: int, article) -> str | None:
        """``"done"`` when the line was an article heading (or refused as one), None when it is body text."""
        numeral, suffix, space, rest = article.groups()
        try:
            number = chinese_to_int(numeral)
        except ValueError as error:
            number = None
            if space or not self.current:
                self.problems.append((line_no, f"无法识别的条号：{error}"))
                return "done"
        previous = self.current["number"] if self.current else (self.articles[-1].number if self.articles else 0)
        if not self.is_article_heading(number, space, rest, expected=previous + 1):
            return None
        if suffix:
            self.problems.append((line_no, f"暂不支持“第{numeral}条{suffix}”这样的插入条文，请改为独立条号"))
            return "done"
        if number == 0 or number >= 10_000:
            self.problems.append((line_no, "条号须在 1 到 9999 之间"))
            return "done"
        self.close_article()
        if number <= previous:
            self.problems.append(
                (line_no, f"条号应递增：第{int_to_chinese(number)}条出现在第{int_to_chinese(previous)}条之后")
            )
            return "done"
        if len(self.articles) >= MAX_ARTICLES:
            self.problems.append((line_no, f"条文超过 {MAX_ARTICLES} 条"))
            return "stop"
        self.open_article(line_no, number, rest)
        return "done"

    def is_article_heading(self, number: int | None, space: str, rest: str, *, expected: int) -> bool:
        """``"第三十条规定的……"`` at the start of a paragraph is a reference, not a new article,
        unless a space follows the number or it is the very next article."""
        if number is None:
            return False
        if self.spaces_mark_articles:
            return bool(space) or not rest
        return not rest or number == expected

    def open_article(self, line_no: int, number: int, rest: str) -> None:
        self.current = {"number": number, "label": article_label(number), "line": line_no, "paragraphs": []}
        if self.state.chapter is not None:
            self.chapter_has_article[id(self.state.chapter)] = True
        if rest:
            self.current["paragraphs"].append(Paragraph(rest, bool(ITEM_RE.match(rest))))

    def read_body(self, line_no: int, line: str) -> None:
        if self.current is not None:
            self.current["paragraphs"].append(Paragraph(line, bool(ITEM_RE.match(line))))
        elif self.state.chapter is not None or any(isinstance(item, Heading) for item in self.items):
            self.problems.append((line_no, f"“{line[:20]}”不属于任何一条：标题之后应是“第X条”"))
        else:
            self.preamble.append(line)

    def close_article(self) -> None:
        current = self.current
        if current is None:
            return
        if not current["paragraphs"]:
            self.problems.append((current["line"], f"{current['label']}没有条文内容"))
        article = ParsedArticle(
            number=current["number"],
            label=current["label"],
            chapter=self.state.chapter.text if self.state.chapter else "",
            section=self.state.section.text if self.state.section else "",
            paragraphs=tuple(current["paragraphs"]),
            line=current["line"],
        )
        self.articles.append(article)
        self.items.append(article)
        self.current = None

    def close_chapter(self) -> None:
        chapter = self.state.chapter
        if chapter is not None and not self.chapter_has_article.get(id(chapter)):
            self.problems.append((chapter.line, f"“{chapter.text}”下没有条文"))


def _parse(text: str) -> ParsedLaw:
    return _Parser(_normalise_lines(text)).run()


@lru_cache(maxsize=32)
def parse_law_text(text: str) -> ParsedLaw:
    """Parse once per distinct text per process: law pages render from the parsed text."""
    return _parse(text)


def law_text_problems(text: str) -> list[str]:
    """The problems with ``text`` as messages (empty when it parses)."""
    try:
        parse_law_text(text)
    except LawTextError as error:
        return error.messages
    return []
