"""Making one attempt's paper: which questions, in which order, with which option order."""

import random
from dataclasses import dataclass
from decimal import Decimal

from learning.exams.answers import CHOICE_TYPES, QuestionType
from learning.exams.models import AttemptItem, Exam, PaperMode, Question
from learning.exams.models.questions import has_pictures, pictures_prefetch
from organisation.errors import ServiceRefusal

TYPE_ORDER = [
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.TRUE_FALSE,
    QuestionType.FILL,
    QuestionType.ESSAY,
]


class PaperUnavailable(ServiceRefusal):
    """The bank cannot make this paper (too few questions); the message is for the user."""


@dataclass
class Drawn:
    question: Question
    points: Decimal


def _pick(candidates: list[int], n: int, seen: set[int], rng: random.Random) -> list[int]:
    """Take ``n`` ids, questions the person has not seen first, each group in random order."""
    unseen = [pk for pk in candidates if pk not in seen]
    again = [pk for pk in candidates if pk in seen]
    # Sampling n, not shuffling the whole pool: a rule over a bank of 10,000 questions takes a few.
    first = rng.sample(unseen, min(n, len(unseen)))
    return first + rng.sample(again, min(n - len(first), len(again)))


def _draw_rules(exam: Exam, seen: set[int], rng: random.Random) -> list[Drawn]:
    chosen: list[tuple[int, Decimal]] = []
    taken: set[int] = set()
    for rule in exam.rules.all():
        pool = Question.objects.drawable().filter(qtype=rule.qtype)
        if rule.domain_id:
            pool = pool.filter(domain_id=rule.domain_id)
        pool = pool.tagged_any(rule.tag_names)
        by_level: dict[int, list[int]] = {}
        for pk, level in pool.values_list("pk", "difficulty"):
            if pk not in taken:
                by_level.setdefault(level, []).append(pk)
        available = sum(len(ids) for ids in by_level.values())
        if available < rule.count:
            raise PaperUnavailable(
                f"题库中符合“{rule}”条件的启用题目只有 {available} 道，不足 {rule.count} 道"
                "（法律依据已修订待确认的题目不计），请联系考试管理员。"
            )
        picked: list[int] = []
        for level, n in rule.difficulty_mix.items():
            picked += _pick(by_level.get(level, []), n, seen, rng)
        # A difficulty with too few questions is made up from the rest of the rule's pool.
        chosen_here = set(picked)
        rest = [pk for ids in by_level.values() for pk in ids if pk not in chosen_here]
        picked += _pick(rest, rule.count - len(picked), seen, rng)
        taken.update(picked)
        chosen += [(pk, rule.points) for pk in picked]
    questions = Question.objects.snapshots_in_bulk([pk for pk, _ in chosen])
    return [Drawn(questions[pk], points) for pk, points in chosen]


def _draw_fixed(exam: Exam) -> list[Drawn]:
    rows = (
        exam.fixed_questions.select_related("question__legal_basis__law", "question__legal_basis__version")
        .defer("question__legal_basis__law__text", "question__legal_basis__version__text")
        .filter(question__in=Question.objects.drawable())
        .annotate(has_pictures=has_pictures("question_id"))
        .order_by("sort_order")
    )
    drawn = [Drawn(row.question, row.points if row.points is not None else row.question.points) for row in rows]
    for row, entry in zip(rows, drawn, strict=True):
        entry.question.has_pictures = row.has_pictures
    pictures_prefetch(entry.question for entry in drawn)
    if not drawn:
        raise PaperUnavailable("试卷中没有启用的题目（法律依据已修订待确认的题目不计），请联系考试管理员。")
    return drawn


def paper_draw(*, exam: Exam, seen: set[int], rng: random.Random) -> list[Drawn]:
    """The questions of a new attempt in the order they will be shown.

    Shuffled papers keep the usual sections (单选, 多选, 判断, 填空, 简答) and shuffle within each.
    """
    drawn = _draw_rules(exam, seen, rng) if exam.paper_mode == PaperMode.RULES else _draw_fixed(exam)
    if exam.shuffle_questions:
        rng.shuffle(drawn)
        drawn.sort(key=lambda d: TYPE_ORDER.index(d.question.qtype))
    return drawn


def paper_items(*, exam: Exam, drawn: list[Drawn], rng: random.Random) -> list[AttemptItem]:
    """Unsaved attempt items: a frozen snapshot of each question and the order its options are shown in."""
    items = []
    for position, entry in enumerate(drawn, start=1):
        question = entry.question
        order = list(range(len(question.options))) if question.qtype in CHOICE_TYPES else []
        if exam.shuffle_options:
            rng.shuffle(order)
        items.append(
            AttemptItem(
                question=question,
                position=position,
                snapshot=question.snapshot(points=entry.points),
                option_order=order,
            )
        )
    return items
