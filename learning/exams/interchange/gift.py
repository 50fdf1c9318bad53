"""GIFT, Moodle's plain-text question format: a parser written to Moodle's documentation and its test files.

Handles ``::titles::``, ``[html]``/``[markdown]``/``[plain]``/``[moodle]`` formats, the escapes
``\\~ \\= \\# \\{ \\} \\:`` (and ``\\n`` for a line break), answer feedback after ``#``, general
feedback after ``####``, weights such as ``%50%`` and ``%-100%``, answers over several lines,
``//`` comments, ``$CATEGORY:`` lines and "missing word" questions (text after the answers).

Types follow Moodle's reader (gift/format.php): ``~`` answers with one marked ``=`` → 单选; ``~`` answers
with none marked ``=`` → 多选 (Moodle's multiple response: every positively weighted answer is part of the
key, so ``~%100%yellow ~%-50%red`` is a 多选 with one right answer); ``{T}``/``{FALSE}`` → 判断;
``{=a =b}`` → 填空 (full-credit answers accepted); ``{}`` → 简答. Weights must be in Moodle's grade list.
``// [tag:…]`` comments become tags; an ``[id:…]`` is reported as not kept. Matching (``->``), numerical
(``{#…}``), text without an answer block (descriptions) and questions showing pictures, sound or video
are reported as unsupported, by name.
"""

import re
from dataclasses import dataclass, field

from learning.exams.answers import BLANK, QuestionType, normalise_blanks
from learning.exams.interchange.common import (
    FormatError,
    Parsed,
    ParseResult,
    Unsupported,
    clean_text,
    dropped_feedback,
    fraction_problem,
    html_to_text,
    media_in,
    media_refusal,
)
from learning.exams.interchange.moodle import category_tags

FORMAT = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
TITLE = re.compile(r"^\s*::((?:\\.|[^\\])*?)::", re.DOTALL)
WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\b", re.IGNORECASE)
STRAY = re.compile(r"^[\"';\s]+$")
# Moodle 4's "// [id:…] [tag:…]" comments before a question (extract_idnumber_and_tags_from_comment).
ID_COMMENT = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
TAG_COMMENT = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")


@dataclass
class Block:
    line: int
    category: list[str]
    head: list[str] = field(default_factory=list)
    answer: list[str] | None = None
    tail: list[str] = field(default_factory=list)
    closed: bool = False
    comments: list[str] = field(default_factory=list)  # the "//" lines just before or inside the question

    def add(self, text: str, in_braces: bool) -> None:
        if in_braces:
            self.answer.append(text)
        elif self.closed:
            self.tail.append(text)
        else:
            self.head.append(text)


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value, flags=re.DOTALL)


def _has_open_brace(line: str) -> bool:
    return re.search(r"(?<!\\)\{", line) is not None


def split_blocks(text: str) -> list[Block]:
    """Questions are separated by blank lines, or by a line that opens a new answer block after a closed one."""
    blocks: list[Block] = []
    current: Block | None = None
    in_braces = False
    category: list[str] = []
    comments: list[str] = []  # comment lines waiting for the question they precede

    def finish():
        nonlocal current
        if current is not None and ("".join(current.head).strip() or current.answer is not None):
            blocks.append(current)
        current = None

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            if current is None or current.closed:
                comments.append(stripped)
            else:
                current.comments.append(stripped)
            continue
        if not in_braces:
            if not stripped:
                finish()
                comments = []  # as in Moodle, a comment belongs to the question it touches
                continue
            if stripped.startswith("$CATEGORY:"):
                finish()
                category = category_tags(stripped.removeprefix("$CATEGORY:").strip())
                continue
            if current is not None and current.closed and (_has_open_brace(line) or stripped.startswith("::")):
                finish()
        if current is None:
            current = Block(line=number, category=list(category), comments=comments)
            comments = []
        index = 0
        while index < len(line):
            char = line[index]
            if char == "\\" and index + 1 < len(line):
                current.add(line[index : index + 2], in_braces)
                index += 2
                continue
            if in_braces and char == "}":
                in_braces, current.closed = False, True
            elif not in_braces and not current.closed and char == "{":
                in_braces, current.answer = True, []
            elif not in_braces and current.closed and line.startswith("//", index):
                break  # a comment after the answer block
            else:
                current.add(char, in_braces)
            index += 1
        current.add("\n", in_braces)
    if in_braces:
        raise FormatError(f"第 {current.line} 行开始的题目缺少右花括号“}}”。")
    finish()
    return blocks


def _formatted(value: str) -> str:
    """Text with an optional [format] marker, unescaped and as plain text."""
    match = FORMAT.match(value)
    fmt = match.group(1).lower() if match else "moodle"
    if match:
        value = value[match.end() :]
    value = unescape(value)
    return html_to_text(value) if fmt == "html" else clean_text(value)


@dataclass
class Answer:
    marker: str  # "=" or "~"
    weight: float | None
    text: str
    feedback: str


def _split_unescaped(value: str, separators: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters: ``[(separator before, part)]``."""
    parts, marker, buffer, index = [], "", [], 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            buffer.append(value[index : index + 2])
            index += 2
            continue
        if char in separators:
            parts.append((marker, "".join(buffer)))
            marker, buffer = char, []
        else:
            buffer.append(char)
        index += 1
    parts.append((marker, "".join(buffer)))
    return parts


def _answers(body: str) -> list[Answer]:
    answers = []
    for marker, part in _split_unescaped(body, "=~")[1:]:
        pieces = _split_unescaped(part, "#")
        text, feedback = pieces[0][1], "#".join(piece for _, piece in pieces[1:])
        weight = None
        if match := WEIGHT.match(text):
            weight, text = float(match.group(1)), text[match.end() :]
        answers.append(Answer(marker, weight, text, feedback))
    return answers


def _is_matching(answers: list[Answer]) -> bool:
    return bool(answers) and all(a.marker == "=" for a in answers) and any("->" in a.text for a in answers)


def _name(parsed_title: str, stem: str) -> str:
    return parsed_title or (stem.replace("\n", " ")[:30] + ("…" if len(stem) > 30 else ""))


def idnumber_and_tags(comments: list[str]) -> tuple[str, list[str]]:
    """``[id:…]`` and ``[tag:…]`` from a question's comment lines, as Moodle's GIFT reader extracts them."""
    text = "\n".join(comments)
    found = ID_COMMENT.search(text)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = [tag.strip().replace("\\]", "]") for tag in TAG_COMMENT.findall(text)]
    return idnumber, [tag for tag in dict.fromkeys(tags) if tag]


def _build(block: Block, position: int, result: ParseResult) -> None:
    head = "".join(block.head)
    title = ""
    if match := TITLE.match(head):
        title = clean_text(unescape(match.group(1)))
        head = head[match.end() :]
    media = media_in(unescape(head + "".join(block.answer or []) + "".join(block.tail)))
    if media and block.answer is not None:
        result.unsupported.append(Unsupported(position, _name(title, _formatted(head)), media_refusal(media)))
        return
    raw_tail = "".join(block.tail).rstrip()
    if block.answer is None:
        stem = _formatted(head)
        result.unsupported.append(Unsupported(position, _name(title, stem), "description（说明文字，无答案）"))
        return
    raw = "".join(block.answer)
    general = ""
    if "####" in raw:
        raw, _, general = raw.partition("####")
    body = raw.strip()
    parsed = _parsed(block, position=position, title=title, general=general)

    def set_stem(blank: bool) -> None:
        _set_stem(parsed, head, raw_tail, blank=blank)

    if not body:
        parsed.qtype = QuestionType.ESSAY
        set_stem(blank=False)
    elif body.startswith("#"):
        set_stem(blank=False)
        result.unsupported.append(Unsupported(position, _name(title, parsed.stem), "numerical（数值题）"))
        return
    elif match := TRUE_FALSE.match(body):
        parsed.qtype = QuestionType.TRUE_FALSE
        parsed.key = [match.group(1).upper().startswith("T")]
        set_stem(blank=False)
        _true_false_feedback(parsed, body[match.end() :])
    elif not _with_answers(parsed, body, position=position, title=title, result=result, set_stem=set_stem):
        return
    result.questions.append(parsed)


def _parsed(block: Block, *, position: int, title: str, general: str) -> Parsed:
    """The question before its type is known: name, category and comment tags, general feedback as 解析."""
    idnumber, tags = idnumber_and_tags(block.comments)
    parsed = Parsed(position=position, qtype="", stem="", name=title, tags=list(block.category))
    parsed.tags += [tag[:100] for tag in tags if tag[:100] not in parsed.tags]
    if idnumber:
        parsed.warnings.append(f"Moodle 题目编号 [id:{idnumber}] 题库没有对应字段，未导入")
    parsed.explanation = _formatted(general) if general.strip() else ""
    return parsed


def _set_stem(parsed: Parsed, head: str, raw_tail: str, *, blank: bool) -> None:
    """The stem is the text around the answers; with ``blank``, text after them makes a "missing word" gap."""
    tail = raw_tail.strip()
    if tail and STRAY.match(tail):
        parsed.warnings.append(f"题目末尾多余的字符“{tail}”已忽略")
        parsed.stem = _formatted(head)
    elif tail and blank:
        parsed.stem = _formatted(head + BLANK + raw_tail)  # "missing word": the answers fill the gap
    elif tail:
        parsed.stem = _formatted(head + raw_tail)
    else:
        parsed.stem = _formatted(head)


def _true_false_feedback(parsed: Parsed, rest: str) -> None:
    # {T#feedback for a wrong answer#feedback for a right answer}
    wrong, right = ([_formatted(f) for _, f in _split_unescaped(rest, "#")[1:3]] + ["", ""])[:2]
    if not parsed.explanation and right:
        parsed.explanation = right
    if warning := dropped_feedback([wrong] + ([right] if right != parsed.explanation else [])):
        parsed.warnings.append(warning)


def _with_answers(parsed: Parsed, body: str, *, position: int, title: str, result: ParseResult, set_stem) -> bool:
    """A choice or fill-in question from ``=right ~wrong`` answers; False when it is refused."""
    answers = _answers(body)
    if not answers:
        set_stem(blank=False)
        result.problem(position, f"无法识别答案“{clean_text(unescape(body))[:40]}”")
        return False
    if _is_matching(answers):
        set_stem(blank=False)
        result.unsupported.append(Unsupported(position, _name(title, parsed.stem), "matching（匹配题）"))
        return False
    set_stem(blank=True)
    texts = [_formatted(a.text) for a in answers]
    weights = [a.weight if a.weight is not None else (100.0 if a.marker == "=" else 0.0) for a in answers]
    if problem := fraction_problem(a.weight for a in answers if a.weight is not None):
        result.problem(position, problem)
        return False
    if any(a.marker == "~" for a in answers):
        correct_feedback = _choices(parsed, answers, texts, weights, position=position, result=result)
        if correct_feedback is None:
            return False
    else:
        correct_feedback = _blanks(parsed, answers, texts, weights)
    if not parsed.explanation and correct_feedback:
        parsed.explanation = "\n".join(dict.fromkeys(correct_feedback))
    kept = set(parsed.explanation.split("\n"))
    feedback = [_formatted(a.feedback) for a in answers if a.feedback.strip()]
    if warning := dropped_feedback(text for text in feedback if text not in kept):
        parsed.warnings.append(warning)
    return True


def _choices(parsed, answers, texts, weights, *, position: int, result: ParseResult) -> list[str] | None:
    """A single or multiple choice question; the right answers' feedback, or None when it is refused."""
    parsed.options = texts
    positive = [i for i, w in enumerate(weights) if w > 0]
    if any(a.marker == "=" for a in answers):
        # Moodle: an answer marked "=" makes the question single-answer; without one, every
        # positively weighted answer is part of a multiple response (gift/format.php).
        parsed.qtype = QuestionType.SINGLE
        parsed.key = [i for i, w in enumerate(weights) if w >= 100]
        if len(parsed.key) > 1:
            result.problem(
                position,
                f"单选题有 {len(parsed.key)} 个满分答案（Moodle 中选其中任一个都得满分），"
                "题库的单选题只能有一个正确答案",
            )
            return None
        if len(positive) > len(parsed.key):
            parsed.warnings.append("部分得分的选项按不得分导入")
    else:
        parsed.qtype = QuestionType.MULTIPLE
        parsed.key = positive
    return [_formatted(answers[i].feedback) for i in parsed.key if answers[i].feedback.strip()]


def _blanks(parsed, answers, texts, weights) -> list[str]:
    """A fill-in question accepting every full-mark answer; the right answers' feedback."""
    parsed.qtype = QuestionType.FILL
    accepted = [t for t, w in zip(texts, weights, strict=True) if w >= 100 and t and "*" not in t]
    if any(0 < w < 100 for w in weights):
        parsed.warnings.append("部分得分的答案未导入")
    if any("*" in t for t in texts):
        parsed.warnings.append("含通配符“*”的答案未导入")
    parsed.key = [accepted] if accepted else []
    parsed.stem = normalise_blanks(parsed.stem)
    return [_formatted(a.feedback) for a, w in zip(answers, weights, strict=True) if w >= 100 and a.feedback.strip()]


def parse_gift(data: bytes) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError("文件不是 UTF-8 编码的文本，不是有效的 GIFT 文件。") from exc
    if "\x00" in text:
        raise FormatError("文件不是文本文件，不是有效的 GIFT 文件。")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = ParseResult(unit="题")
    blocks = split_blocks(text)
    if not any(block.answer is not None for block in blocks):
        raise FormatError("文件中没有 GIFT 格式的题目（每题的答案应写在 { } 中）。")
    for position, block in enumerate(blocks, start=1):
        _build(block, position, result)
    return result
