"""Moodle XML, the question format of the most used open-source LMS: import and export.

Categories become tags (a category named like a 普法领域 sets the domain). Types map as
multichoice → 单选/多选 (``<single>`` read as Moodle's reader does: missing means single), truefalse →
判断, shortanswer → 填空, Cloze (``type="cloze"``, as Moodle writes it, or ``multianswer``) with only
short-answer gaps → 填空 with several blanks, essay → 简答. Everything else is listed as
unsupported, and so is any question showing sound, video or a picture the file does not hold; pictures
the file holds (``<file>``, ``<image_base64>``) come with the stem or choice that shows them
(``moodle_pictures``). Answer fractions are
checked against Moodle's grade list, as its importer does. Difficulty and legal basis, which Moodle
has no field for, travel in two extra elements, ``<difficulty>`` and ``<legalbasis>``, that Moodle's
importer ignores.

Parsing uses defusedxml with DTDs forbidden, so entity bombs and external entities are refused.
"""

import re
import xml.etree.ElementTree as ET  # nosec B405: only builds the export; imports parse with defusedxml
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from learning.exams.answers import BLANK, BLANK_MARK, LETTERS, QuestionType, normalise_blanks
from learning.exams.interchange.common import (
    FormatError,
    Parsed,
    ParseResult,
    Unsupported,
    clean_text,
    dropped_feedback,
    fraction_problem,
    html_to_text,
    parse_difficulty,
    text_to_html,
)
from learning.exams.interchange.moodle_pictures import media_accepted, read_question_media, write_pictures
from organisation.text import text_clean

SPECIAL_SEGMENTS = {"top", "$course$", "$system$", "$module$", "$cat1$", "$coursecategory$"}
CLOZE = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^}\\])*)\}")
CLOZE_SHORT = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
CLOZE_SPECIAL = re.compile(r"([\\}#~/\"])")
DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Moodle's question types the bank has no equivalent for, named in Chinese for the import report.
UNSUPPORTED_KINDS = {
    "matching": "匹配题",
    "randomsamatch": "随机简答匹配题",
    "numerical": "数值题",
    "calculated": "计算题",
    "calculatedsimple": "简单计算题",
    "calculatedmulti": "计算选择题",
    "ddwtos": "拖放填词题",
    "gapselect": "选词填空题",
    "ddimageortext": "图片拖放题",
    "ddmarker": "拖放标记题",
    "ordering": "排序题",
    "description": "说明文字，无答案",
    "random": "随机抽题",
}


SUPPORTED_KINDS = {"multichoice", "truefalse", "shortanswer", "multianswer", "essay"}


def _text(element, path: str) -> str:
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _rich(element, path: str) -> str:
    """A Moodle text field: ``<x format="html"><text>…</text></x>``, as plain text."""
    found = element.find(path)
    if found is None:
        return ""
    value = _text(found, "text")
    if found.get("format", "html") in ("html", "moodle_auto_format"):
        return html_to_text(value)
    return clean_text(value)


def _single(element) -> bool:
    """``<single>`` as Moodle's trans_single reads it: missing means "true"; "false", empty or "0" mean multiple."""
    found = element.find("single")
    value = "true" if found is None else (found.text or "").strip()
    return value not in ("false", "", "0")


def _fraction(answer) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0


def category_tags(path: str) -> list[str]:
    segments = [segment.strip() for segment in path.split("/")]
    return [s for s in segments if s and s.lower() not in SPECIAL_SEGMENTS and not s.startswith("$")]


def _cloze_answers(body: str) -> list[tuple[float, str]]:
    answers = []
    for raw in re.split(r"(?<!\\)~", body):
        raw = re.split(r"(?<!\\)#", raw, maxsplit=1)[0]
        weight = 0.0
        if raw.startswith("="):
            weight, raw = 100.0, raw[1:]
        elif match := re.match(r"%(-?\d+(?:\.\d+)?)%", raw):
            weight, raw = float(match.group(1)), raw[match.end() :]
        answers.append((weight, re.sub(r"\\(.)", r"\1", raw).strip()))
    return answers


def _parse_cloze(parsed: Parsed, text: str) -> str | None:
    """Fill ``parsed`` from a Cloze question of short-answer gaps; returns the unsupported kind otherwise."""
    gaps = CLOZE.findall(text)
    if not gaps:
        return "cloze（完形填空，但题干中没有 {1:SHORTANSWER:…} 这样的空）"
    kinds = {kind.upper() for _, kind, _ in gaps}
    if not kinds <= CLOZE_SHORT:
        others = "、".join(sorted(kinds - CLOZE_SHORT))
        return (
            f"cloze（完形填空，含 {others} 子题：题库的填空题只能填写文字，不能给出选项或按数值误差评分，故不导入此题）"
        )
    for _, _, body in gaps:
        answers = _cloze_answers(body)
        accepted = [answer for weight, answer in answers if weight >= 100 and answer]
        partial = [answer for weight, answer in answers if 0 < weight < 100 and answer]
        if partial:
            parsed.warnings.append(f"部分得分的答案“{'”“'.join(partial)}”未导入（题库的填空题只有满分答案）")
        if not accepted:
            parsed.warnings.append("有一个空没有满分答案")
        parsed.key.append(accepted)
    parsed.stem = CLOZE.sub(BLANK, text)
    return None


def _root(data: bytes):
    """Parse with DTDs forbidden. expat reads UTF-8, UTF-16 and single-byte encodings only; a file that
    declares another (GBK and GB18030 are common from Chinese tools) is decoded here first."""
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise
    except (ValueError, LookupError):
        match = DECLARED_ENCODING.match(data)
        name = match.group(1).decode("ascii") if match else ""
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError) as exc:
            declared = f"按文件声明的编码“{name}”" if name else ""
            raise FormatError(f"无法{declared}读取文件，请另存为 UTF-8 编码的 XML 后重试。") from exc
        return fromstring(text, forbid_dtd=True)


def parse_moodle_xml(data: bytes) -> ParseResult:
    result = ParseResult(unit="题")
    root = _quiz_root(data)
    tags_from_category: list[str] = []
    number = 0
    for element in root.findall("question"):
        kind = element.get("type", "")
        if kind == "category":
            tags_from_category = category_tags(_text(element, "category/text"))
            continue
        number += 1
        name = clean_text(_text(element, "name/text"))
        kind = "multianswer" if kind == "cloze" else kind  # Moodle writes "cloze"; its reader takes both
        media = read_question_media(element, kind) if kind in SUPPORTED_KINDS else None
        if media and not media_accepted(result, media, number, name):
            continue
        parsed = _described(element, kind, number=number, name=name, tags=tags_from_category, result=result)
        if parsed is not None and media:
            parsed.pictures, parsed.warnings = media.pictures, [*media.warnings, *parsed.warnings]
        if parsed is not None and _typed(parsed, element, kind, result=result):
            result.questions.append(parsed)
    if number == 0:
        raise FormatError("文件中没有题目。")
    return result


def _quiz_root(data: bytes):
    try:
        root = _root(data)
    except DefusedXmlException as exc:
        raise FormatError("文件含有 DTD 或实体声明，出于安全原因拒绝导入。") from exc
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise FormatError(f"不是有效的 XML 文件{f'（第 {line} 行附近格式错误）' if line else ''}。") from exc
    if root.tag != "quiz":
        raise FormatError("不是 Moodle XML 题目文件：根元素应为 <quiz>。")
    return root


def _described(element, kind: str, *, number: int, name: str, tags: list[str], result: ParseResult) -> Parsed | None:
    """The question's text, 解析, tags, points, difficulty and legal basis, whatever its type; None when refused."""
    parsed = Parsed(position=number, qtype="", stem=_rich(element, "questiontext"), name=name)
    parsed.explanation = _rich(element, "generalfeedback")
    parsed.tags = [*tags]
    for tag in element.findall("tags/tag"):
        value = clean_text(_text(tag, "text"))
        if value and value not in parsed.tags:
            parsed.tags.append(value)
    grade = _text(element, "defaultgrade").strip()
    if grade:
        try:
            parsed.points = Decimal(grade).normalize() if Decimal(grade) > 0 else None
        except InvalidOperation:
            result.problem(number, f"分值（defaultgrade）“{grade}”不是数字")
            return None
    try:
        parsed.difficulty = parse_difficulty(_text(element, "difficulty").strip() or None)
    except ValueError as exc:
        result.problem(number, str(exc))
        return None
    parsed.legal_basis_text = clean_text(_text(element, "legalbasis"))[:200]
    idnumber = clean_text(_text(element, "idnumber"))
    if idnumber:
        parsed.warnings.append(f"Moodle 题目编号（idnumber）“{idnumber}”题库没有对应字段，未导入")
    if kind in SUPPORTED_KINDS:
        for warning in (
            dropped_feedback(_rich(answer, "feedback") for answer in element.findall("answer")),
            dropped_feedback((_rich(hint, ".") for hint in element.findall("hint")), "提示（hint）"),
        ):
            if warning:
                parsed.warnings.append(warning)
    return parsed


def _typed(parsed: Parsed, element, kind: str, *, result: ParseResult) -> bool:
    """Set the question's type and key from its Moodle type and answers; False when it is refused."""
    number, answers = parsed.position, element.findall("answer")
    if kind in ("multichoice", "shortanswer") and (problem := fraction_problem(map(_fraction, answers))):
        result.problem(number, problem)
        return False
    if kind == "multichoice":
        return _multichoice(parsed, element, answers, result=result)
    if kind == "truefalse":
        parsed.qtype = QuestionType.TRUE_FALSE
        right = [clean_text(_text(a, "text")).lower() for a in answers if _fraction(a) >= 100]
        parsed.key = [right[0] == "true"] if right and right[0] in ("true", "false") else []
    elif kind == "shortanswer":
        _shortanswer(parsed, answers)
    elif kind == "multianswer":
        parsed.qtype = QuestionType.FILL
        unsupported = _parse_cloze(parsed, _rich(element, "questiontext"))
        if unsupported:
            result.unsupported.append(Unsupported(number, parsed.name, unsupported))
            return False
    elif kind == "essay":
        parsed.qtype = QuestionType.ESSAY
        parsed.rubric = _rich(element, "graderinfo")
    else:
        label = UNSUPPORTED_KINDS.get(kind, "题库不支持的题型")
        result.unsupported.append(Unsupported(number, parsed.name, f"{kind}（{label}）" if kind else "未注明题型"))
        return False
    return True


def _multichoice(parsed: Parsed, element, answers, *, result: ParseResult) -> bool:
    parsed.options = [_rich(answer, ".") for answer in answers]
    fractions = [_fraction(answer) for answer in answers]
    if not _single(element):
        parsed.qtype = QuestionType.MULTIPLE
        parsed.key = [i for i, f in enumerate(fractions) if f > 0]
        return True
    parsed.qtype = QuestionType.SINGLE
    parsed.key = [i for i, f in enumerate(fractions) if f >= 100]
    if len(parsed.key) > 1:
        letters = "、".join(LETTERS[i] if i < len(LETTERS) else str(i + 1) for i in parsed.key)
        result.problem(
            parsed.position,
            f"单选题有 {len(parsed.key)} 个满分答案（{letters}，Moodle 中选其中任一个都得满分），"
            "题库的单选题只能有一个正确答案，请改为一个满分答案或改为多选题后重新导入",
        )
        return False
    if any(0 < f < 100 for f in fractions):
        parsed.warnings.append("部分得分的选项按不得分导入")
    return True


def _shortanswer(parsed: Parsed, answers) -> None:
    parsed.qtype = QuestionType.FILL
    accepted = [clean_text(_text(a, "text")) for a in answers if _fraction(a) >= 100]
    if any(0 < _fraction(a) < 100 for a in answers):
        parsed.warnings.append("部分得分的答案未导入")
    if any("*" in answer for answer in accepted):
        parsed.warnings.append("含通配符“*”的答案未导入")
        accepted = [answer for answer in accepted if "*" not in answer]
    parsed.key = [accepted] if accepted else []
    parsed.stem = normalise_blanks(parsed.stem)


def _rich_element(parent, tag: str, text: str, **attrs):
    element = ET.SubElement(parent, tag, {"format": "html", **attrs})
    ET.SubElement(element, "text").text = text_to_html(text) if text else ""
    return element


def _cloze_escape(value: str) -> str:
    return CLOZE_SPECIAL.sub(r"\\\1", value)


def _fill_as_cloze(question) -> str:
    gaps = [
        "{1:SHORTANSWER:" + "~".join("=" + _cloze_escape(answer) for answer in accepted) + "}"
        for accepted in question.key
    ]
    stem = question.stem
    if len(BLANK_MARK.findall(stem)) == len(gaps):
        parts = BLANK_MARK.split(stem)
        return "".join(part + (gaps[i] if i < len(gaps) else "") for i, part in enumerate(parts))
    return stem + " " + " ".join(gaps)


def _fraction_text(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def export_moodle_xml(questions) -> bytes:
    """Moodle XML for the given questions, grouped into one category per 普法领域."""
    quiz = ET.Element("quiz")
    current_category = None
    for question in sorted(questions, key=lambda q: (q.domain.name if q.domain_id else "", q.pk)):
        category = f"$course$/top/{question.domain.name}" if question.domain_id else "$course$/top"
        if category != current_category:
            element = ET.SubElement(quiz, "question", {"type": "category"})
            ET.SubElement(ET.SubElement(element, "category"), "text").text = category
            current_category = category
        kind = {
            QuestionType.SINGLE: "multichoice",
            QuestionType.MULTIPLE: "multichoice",
            QuestionType.TRUE_FALSE: "truefalse",
            QuestionType.FILL: "shortanswer" if len(question.key) == 1 else "multianswer",
            QuestionType.ESSAY: "essay",
        }[question.qtype]
        element = ET.SubElement(quiz, "question", {"type": kind})
        name = question.stem.replace("\n", " ")
        ET.SubElement(ET.SubElement(element, "name"), "text").text = name[:60]
        stem = _fill_as_cloze(question) if kind == "multianswer" else question.stem
        pictures = list(question.pictures.all())
        used: set[str] = set()
        write_pictures(_rich_element(element, "questiontext", stem), [p for p in pictures if p.option is None], used)
        _rich_element(element, "generalfeedback", question.explanation)
        ET.SubElement(element, "defaultgrade").text = str(question.points)
        ET.SubElement(element, "penalty").text = "0"
        ET.SubElement(element, "hidden").text = "0"
        ET.SubElement(element, "difficulty").text = str(question.difficulty)
        if question.legal_basis_label:
            ET.SubElement(element, "legalbasis").text = question.legal_basis_label
        if question.qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            single = question.qtype == QuestionType.SINGLE
            ET.SubElement(element, "single").text = "true" if single else "false"
            ET.SubElement(element, "shuffleanswers").text = "true"
            ET.SubElement(element, "answernumbering").text = "ABCD"
            right = 100 if single else 100 / len(question.key)
            wrong = 0 if single else -100
            for index, option in enumerate(question.options):
                fraction = right if index in question.key else wrong
                answer = _rich_element(element, "answer", option, fraction=_fraction_text(fraction))
                write_pictures(answer, [p for p in pictures if p.option == index], used)
                ET.SubElement(ET.SubElement(answer, "feedback", {"format": "html"}), "text").text = ""
        elif question.qtype == QuestionType.TRUE_FALSE:
            for value in (True, False):
                answer = ET.SubElement(
                    element,
                    "answer",
                    {"fraction": "100" if question.key == [value] else "0", "format": "moodle_auto_format"},
                )
                ET.SubElement(answer, "text").text = "true" if value else "false"
                ET.SubElement(ET.SubElement(answer, "feedback", {"format": "html"}), "text").text = ""
        elif kind == "shortanswer":
            ET.SubElement(element, "usecase").text = "0"
            for accepted in question.key[0]:
                answer = ET.SubElement(element, "answer", {"fraction": "100", "format": "moodle_auto_format"})
                ET.SubElement(answer, "text").text = accepted
                ET.SubElement(ET.SubElement(answer, "feedback", {"format": "html"}), "text").text = ""
        elif question.qtype == QuestionType.ESSAY:
            ET.SubElement(element, "responseformat").text = "editor"
            ET.SubElement(element, "responserequired").text = "1"
            ET.SubElement(element, "responsefieldlines").text = "10"
            _rich_element(element, "graderinfo", question.rubric)
            _rich_element(element, "responsetemplate", "")
        tags = [tag.name for tag in question.tags.all()]
        if tags:
            tags_element = ET.SubElement(element, "tags")
            for tag in sorted(tags):
                ET.SubElement(ET.SubElement(tags_element, "tag"), "text").text = tag
    ET.indent(quiz)
    for node in quiz.iter():  # XML cannot hold control characters: stored text is cleaned on the way out
        node.text = text_clean(node.text)
        node.attrib = {name: text_clean(value) for name, value in node.attrib.items()}
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True)
