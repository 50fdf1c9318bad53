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


def _parse(text: str) -> ParsedLaw:
    problems: list[tuple[int, str]] = []
    preamble: list[str] = []
    items: list[Heading | ParsedArticle] = []
    articles: list[ParsedArticle] = []
    state = _State()
    current: dict | None = None  # the article being read: number, label, line, paragraphs
    in_contents = False
    contents_first: str | None = None
    chapter_has_article: dict[int, bool] = {}

    def close_article():
        nonlocal current
        if current is None:
            return
        if not current["paragraphs"]:
            problems.append((current["line"], f"{current['label']}没有条文内容"))
        article = ParsedArticle(
            number=current["number"],
            label=current["label"],
            chapter=state.chapter.text if state.chapter else "",
            section=state.section.text if state.section else "",
            paragraphs=tuple(current["paragraphs"]),
            line=current["line"],
        )
        articles.append(article)
        items.append(article)
        current = None

    def close_chapter():
        if state.chapter is not None and not chapter_has_article.get(id(state.chapter)):
            problems.append((state.chapter.line, f"“{state.chapter.text}”下没有条文"))

    lines = _normalise_lines(text)
    # When the pasted text keeps the space after "第X条", a line without one is a paragraph that
    # starts with a reference ("第三条规定的……"); texts that lost their spaces fall back to numbering.
    spaced = sum(1 for _, line in lines if (match := ARTICLE_RE.match(line)) and match.group(3))
    unspaced = sum(1 for _, line in lines if (match := ARTICLE_RE.match(line)) and not match.group(3))
    spaces_mark_articles = spaced >= unspaced

    for line_no, line in lines:
        if len(line) > MAX_LINE_CHARS:
            problems.append((line_no, f"这一行超过 {MAX_LINE_CHARS} 字，请检查是否缺少换行"))
            continue
        if CONTENTS_RE.match(line) and not articles and current is None:
            in_contents = True
            continue

        heading = HEADING_RE.match(line)
        supplementary = SUPPLEMENTARY_RE.match(line)
        if in_contents:
            # Skip the table of contents until its first heading comes round again, or an article starts.
            key = re.sub(_SPACE, "", line) if (heading or supplementary) else None
            if key is not None and contents_first is None:
                contents_first = key
                continue
            if key is not None and key != contents_first:
                continue
            if key is None and not ARTICLE_RE.match(line):
                continue
            in_contents = False

        if heading or supplementary:
            if heading:
                numeral, kind_word, title = heading.groups()
                try:
                    number = chinese_to_int(numeral)
                except ValueError as error:
                    problems.append((line_no, f"无法识别的编号：{error}"))
                    continue
                kind = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section"}[kind_word]
                label = f"第{int_to_chinese(number) if number < 10_000 else numeral}{kind_word}"
            else:
                number, kind, label, title = 0, "chapter", "附则", "附则"
            close_article()
            if kind in ("part", "subpart"):
                close_chapter()
                state.part = label if kind == "part" else state.part
                state.chapter = state.section = None
                if kind == "part":
                    state.chapter_numbers.clear()
                anchor = f"{state.part}{label}" if kind == "subpart" else label
                items.append(Heading(kind, label, title or label, anchor, line_no))
                continue
            if kind == "chapter":
                close_chapter()
                last = max(state.chapter_numbers.values(), default=0)
                if number and number <= last:
                    problems.append((line_no, f"章号应递增：{label}出现在第{int_to_chinese(last)}章之后"))
                state.chapter_numbers[label] = number or last
                state.chapter = Heading("chapter", label, title or label, f"{state.part}{label}", line_no)
                state.section = None
                state.section_number = 0
                items.append(state.chapter)
                continue
            # section
            if state.chapter is None:
                problems.append((line_no, f"“{label}”不在任何一章之下"))
                continue
            if number <= state.section_number:
                problems.append((line_no, f"节号应递增：{label}出现在第{int_to_chinese(state.section_number)}节之后"))
            state.section_number = number
            state.section = Heading("section", label, title or label, f"{state.chapter.anchor}{label}", line_no)
            items.append(state.section)
            continue

        article = ARTICLE_RE.match(line)
        if article:
            numeral, suffix, space, rest = article.groups()
            try:
                number = chinese_to_int(numeral)
            except ValueError as error:
                number = None
                if space or not current:
                    problems.append((line_no, f"无法识别的条号：{error}"))
                    continue
            previous = current["number"] if current else (articles[-1].number if articles else 0)
            expected = previous + 1
            # "第三十条规定的……" at the start of a paragraph is a reference, not a new article,
            # unless a space follows the number or it is the very next article.
            if spaces_mark_articles:
                is_heading = number is not None and (bool(space) or not rest)
            else:
                is_heading = number is not None and (not rest or number == expected)
            if is_heading:
                if suffix:
                    problems.append((line_no, f"暂不支持“第{numeral}条{suffix}”这样的插入条文，请改为独立条号"))
                    continue
                if number == 0 or number >= 10_000:
                    problems.append((line_no, "条号须在 1 到 9999 之间"))
                    continue
                close_article()
                if number <= previous:
                    problems.append(
                        (line_no, f"条号应递增：第{int_to_chinese(number)}条出现在第{int_to_chinese(previous)}条之后")
                    )
                    continue
                if len(articles) >= MAX_ARTICLES:
                    problems.append((line_no, f"条文超过 {MAX_ARTICLES} 条"))
                    break
                current = {"number": number, "label": article_label(number), "line": line_no, "paragraphs": []}
                if state.chapter is not None:
                    chapter_has_article[id(state.chapter)] = True
                if rest:
                    current["paragraphs"].append(Paragraph(rest, bool(ITEM_RE.match(rest))))
                continue

        if current is not None:
            current["paragraphs"].append(Paragraph(line, bool(ITEM_RE.match(line))))
        elif state.chapter is not None or any(isinstance(item, Heading) for item in items):
            problems.append((line_no, f"“{line[:20]}”不属于任何一条：标题之后应是“第X条”"))
        else:
            preamble.append(line)

    close_article()
    close_chapter()
    if not articles and not problems:
        problems.append((0, "没有找到任何条文：每条应以“第一条”“第二条”……开头，各占一行"))
    if problems:
        raise LawTextError(problems)
    return ParsedLaw(preamble=tuple(preamble), items=tuple(items), articles=tuple(articles))


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
