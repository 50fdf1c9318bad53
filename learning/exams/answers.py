"""Question keys and responses: what they look like stored, how people write them, how they are scored.

Stored forms (JSON on ``Question.key`` and in attempt snapshots):

- 单选 ``[2]`` and 多选 ``[0, 2]``: indexes into the question's options;
- 判断 ``[true]`` or ``[false]``;
- 填空 ``[["著作权", "版权"], ["五年"]]``: for each blank, the answers accepted;
- 简答 ``[]``: graded by a person against the rubric.

Responses have the same shape (``[2]``, ``[0, 2]``, ``[true]``, ``["著作权", "五年"]``) except
简答, whose response is the text written.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

LETTERS = "ABCDEFGH"
MAX_OPTIONS = len(LETTERS)
TRUE_WORDS = {"正确", "对", "√", "✓", "✔", "T", "TRUE", "是", "Y", "YES"}
FALSE_WORDS = {"错误", "错", "×", "✗", "✘", "X", "F", "FALSE", "否", "N", "NO"}
# Between the blanks of a 填空 answer, and between the answers accepted for one blank.
BLANK_SEPARATORS = re.compile(r"[;；]")
ALTERNATIVE_SEPARATORS = re.compile(r"[|｜]")
# How people mark a blank in a stem: runs of underscores, or empty brackets.
BLANK_MARK = re.compile(r"_{2,}|＿{2,}|（\s*）|\(\s*\)")
BLANK = "____"
CENT = Decimal("0.01")


class QuestionType(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"
    FILL = "fill", "填空题"
    ESSAY = "essay", "简答题"


CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}

# What people write in a spreadsheet's 题型 column.
TYPE_WORDS = {
    QuestionType.SINGLE: {"单选", "单选题", "单项选择", "单项选择题", "单选择题"},
    QuestionType.MULTIPLE: {"多选", "多选题", "多项选择", "多项选择题", "不定项", "不定项选择题"},
    QuestionType.TRUE_FALSE: {"判断", "判断题", "是非题", "对错题"},
    QuestionType.FILL: {"填空", "填空题"},
    QuestionType.ESSAY: {"简答", "简答题", "问答", "问答题", "论述题", "主观题"},
}


class MultiplePolicy(models.TextChoices):
    """How a 多选 answer that is not exactly right is scored."""

    ALL_OR_NOTHING = "all", "全部选对才得分"
    HALF = "half", "少选得一半分（有错选不得分）"
    PROPORTIONAL = "proportional", "少选按选对比例得分（有错选不得分）"


class AnswerFormatError(ValueError):
    """An answer key that does not fit its question; the message is for the user, in Chinese."""


def question_type_from_word(word: str) -> str | None:
    word = (word or "").strip()
    for qtype, words in TYPE_WORDS.items():
        if word in words or word == qtype.value or word == qtype.label:
            return qtype.value
    return None


def normalise(text) -> str:
    """Text as compared for 填空: full-width to half-width, no whitespace, case-folded, no final full stop."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\s+", "", text).casefold()
    return text.rstrip("。.")


def option_identity(text) -> str:
    """An option as compared for duplicates: width and spacing ignored, letter case kept ("M" and "m" differ)."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"\s+", "", text).rstrip("。.")


def duplicate_options(options: list[str]) -> list[list[int]]:
    """The indexes of options that say the same thing, one group per repeated option, in order."""
    groups: dict[str, list[int]] = {}
    for index, option in enumerate(options):
        if option_identity(option):
            groups.setdefault(option_identity(option), []).append(index)
    return [group for group in groups.values() if len(group) > 1]


def letter(index: int) -> str:
    return LETTERS[index]


def count_blanks(stem: str) -> int:
    return len(BLANK_MARK.findall(stem or ""))


def normalise_blanks(stem: str) -> str:
    """Write every blank of a 填空 stem the same way (``____``), so exports and duplicates agree."""
    return BLANK_MARK.sub(BLANK, stem or "")


def parse_key(qtype: str, text, option_count: int = 0):
    """Turn an answer as people write it ("AB", "A、B", "对", "著作权|版权；五年") into a stored key."""
    raw = "" if text is None else str(text).strip()
    if qtype == QuestionType.ESSAY:
        return []
    if not raw:
        raise AnswerFormatError("答案为空")
    if qtype == QuestionType.TRUE_FALSE:
        word = unicodedata.normalize("NFKC", raw).strip().upper()
        if word in TRUE_WORDS or raw in TRUE_WORDS:
            return [True]
        if word in FALSE_WORDS or raw in FALSE_WORDS:
            return [False]
        raise AnswerFormatError(f"判断题答案应为“正确/对/√/T”或“错误/错/×/F”，而不是“{raw}”")
    if qtype in CHOICE_TYPES:
        letters = re.sub(r"[\s,，、;；/|.]+", "", unicodedata.normalize("NFKC", raw)).upper()
        if not letters or not all(char in LETTERS for char in letters):
            raise AnswerFormatError(f"选择题答案应为选项字母（如 A、AB、A,B），而不是“{raw}”")
        indexes = sorted({LETTERS.index(char) for char in letters})
        if len(indexes) != len(letters):
            raise AnswerFormatError(f"答案“{raw}”中有重复的选项")
        missing = [letter(i) for i in indexes if i >= option_count]
        if missing:
            raise AnswerFormatError(f"答案 {'、'.join(missing)} 不在选项中（共 {option_count} 个选项）")
        if qtype == QuestionType.SINGLE and len(indexes) != 1:
            raise AnswerFormatError(f"单选题只能有一个答案，而不是“{raw}”")
        return indexes
    if qtype == QuestionType.FILL:
        blanks = []
        for number, part in enumerate(BLANK_SEPARATORS.split(raw), start=1):
            accepted = [alt.strip() for alt in ALTERNATIVE_SEPARATORS.split(part) if alt.strip()]
            if not accepted:
                raise AnswerFormatError(f"第 {number} 个空没有答案")
            blanks.append(accepted)
        return blanks
    raise AnswerFormatError(f"未知题型“{qtype}”")


def format_key(qtype: str, key) -> str:
    """The key as people write it, the inverse of ``parse_key``."""
    if not key:
        return ""
    if qtype == QuestionType.TRUE_FALSE:
        return "正确" if key[0] else "错误"
    if qtype in CHOICE_TYPES:
        return "".join(letter(index) for index in key)
    if qtype == QuestionType.FILL:
        return "；".join("|".join(accepted) for accepted in key)
    return ""


def validate_question(*, qtype: str, stem: str, options: list[str], key) -> list[str]:
    """Everything wrong with a question, as Chinese messages; empty when it is sound."""
    problems = []
    if not (stem or "").strip():
        problems.append("题干为空")
    if qtype in CHOICE_TYPES:
        if len(options) < 2:
            problems.append("选择题至少需要两个选项")
        if len(options) > MAX_OPTIONS:
            problems.append(f"选项最多 {MAX_OPTIONS} 个")
        if any(not option.strip() for option in options):
            problems.append("选项不能为空")
        for group in duplicate_options(options):
            same = "、".join(letter(index) if index < MAX_OPTIONS else str(index + 1) for index in group)
            problems.append(f"选项重复：{same} 都是“{options[group[0]].strip()}”")
        if not key:
            problems.append("没有正确答案")
        elif any(not isinstance(i, int) or i < 0 or i >= len(options) for i in key):
            problems.append("答案不在选项中")
        elif qtype == QuestionType.SINGLE and len(key) != 1:
            problems.append("单选题只能有一个答案")
    elif options:
        problems.append(f"{QuestionType(qtype).label}不应有选项")
    if qtype == QuestionType.TRUE_FALSE and key not in ([True], [False]):
        problems.append("判断题答案应为“正确”或“错误”")
    if qtype == QuestionType.FILL:
        if not key or any(not accepted for accepted in key):
            problems.append("每个空都要有答案")
        marks = count_blanks(stem)
        if marks and key and marks != len(key):
            problems.append(f"题干中有 {marks} 个空，答案却有 {len(key)} 个")
    return problems


@dataclass(frozen=True)
class Outcome:
    score: Decimal | None  # None: waits for a person to grade it
    correct: bool | None


def _points(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def score_response(*, qtype: str, key, points, response, policy: str = MultiplePolicy.ALL_OR_NOTHING) -> Outcome:
    """Score one response against a key. An unanswered question scores 0; an answered 简答 waits for grading."""
    points = _points(points)
    zero = Outcome(Decimal("0.00"), False)
    if response in (None, "", []):
        return zero
    if qtype == QuestionType.ESSAY:
        return Outcome(None, None) if str(response).strip() else zero
    if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return Outcome(points, True) if list(response) == list(key) else zero
    if qtype == QuestionType.MULTIPLE:
        chosen, right = set(response), set(key)
        if chosen == right:
            return Outcome(points, True)
        if chosen - right or policy == MultiplePolicy.ALL_OR_NOTHING:
            return zero
        if policy == MultiplePolicy.HALF:
            return Outcome(_points(points / 2), False)
        return Outcome(_points(points * len(chosen) / len(right)), False)
    if qtype == QuestionType.FILL:
        answers = list(response) + [""] * (len(key) - len(response))
        right = sum(
            1
            for given, accepted in zip(answers, key, strict=False)
            if normalise(given) and normalise(given) in {normalise(a) for a in accepted}
        )
        if right == len(key):
            return Outcome(points, True)
        return Outcome(_points(points * right / len(key)), False)
    raise ValueError(f"unknown question type {qtype!r}")
