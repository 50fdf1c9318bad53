"""What a person sees of an attempt and what their browser sends back.

``question_views`` builds what the answer pages render from an item's snapshot *without* its
key, explanation or rubric: those reach a template only through ``review_views``, which
views call only once the attempt is handed in and the exam's review policy allows it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from learning.exams.answers import CHOICE_TYPES, QuestionType, letter
from learning.exams.pictures import pictures_load
from organisation.ids import is_id

MAX_BLANK_LENGTH = 200
MAX_ESSAY_LENGTH = 5000


@dataclass
class PictureView:
    image_id: int
    alt: str
    image: object = None  # the Wagtail image with its rendition prefetched (``with_pictures``)


@dataclass
class OptionView:
    letter: str
    text: str
    checked: bool
    pictures: list[PictureView] = field(default_factory=list)


@dataclass
class QuestionView:
    item_id: int
    position: int
    qtype: str
    qtype_label: str
    stem: str
    points: Decimal
    revision: int
    options: list[OptionView] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)
    text: str = ""
    answered: bool = False
    true_checked: bool = False
    false_checked: bool = False
    pictures: list[PictureView] = field(default_factory=list)


@dataclass
class ReviewView:
    question: QuestionView
    score: Decimal | None
    is_correct: bool | None
    your_answer: str
    right_answer: str
    explanation: str
    rubric: str
    legal_basis_label: str
    legal_basis_id: int | None
    grader_comment: str
    legal_basis_url: str = ""
    key_withheld: bool = False


def _displayed(item) -> list[tuple[str, int]]:
    """(letter shown, original option index) in the order this attempt shows the options."""
    order = item.option_order or list(range(len(item.snapshot["options"])))
    return [(letter(shown), original) for shown, original in enumerate(order)]


def question_view(item) -> QuestionView:
    snap = item.snapshot
    qtype = snap["qtype"]
    response = item.response
    view = QuestionView(
        item_id=item.pk,
        position=item.position,
        qtype=qtype,
        qtype_label=QuestionType(qtype).label,
        stem=snap["stem"],
        points=Decimal(snap["points"]),
        revision=item.revision,
        answered=response not in (None, "", []),
    )
    pictures = snap.get("pictures", [])  # snapshots taken before pictures have none
    view.pictures = _pictures(pictures, None)
    if qtype in CHOICE_TYPES:
        chosen = set(response or [])
        view.options = [
            OptionView(shown, snap["options"][original], original in chosen, _pictures(pictures, original))
            for shown, original in _displayed(item)
        ]
    elif qtype == QuestionType.TRUE_FALSE:
        view.true_checked = response == [True]
        view.false_checked = response == [False]
    elif qtype == QuestionType.FILL:
        given = list(response or [])
        view.blanks = [given[n] if n < len(given) else "" for n in range(len(snap["key"]))]
    else:
        view.text = response or ""
    return view


def _pictures(pictures: list[dict], option: int | None) -> list[PictureView]:
    return [PictureView(p["image"], p.get("alt", "")) for p in pictures if p.get("option") == option]


def with_pictures(views: list[QuestionView]) -> list[QuestionView]:
    """Fill in the pictures' images, all in two queries; a picture whose image was deleted is left out."""
    shown = [(holder, picture) for view in views for holder in (view, *view.options) for picture in holder.pictures]
    images = pictures_load(picture.image_id for _, picture in shown)
    for holder in {id(h): h for h, _ in shown}.values():
        holder.pictures = [p for p in holder.pictures if images.get(p.image_id) is not None]
        for picture in holder.pictures:
            picture.image = images[picture.image_id]
    return views


def question_views(items) -> list[QuestionView]:
    return with_pictures([question_view(item) for item in items])


def _answer_text(item, response) -> str:
    qtype = item.snapshot["qtype"]
    if response in (None, "", []):
        return "未作答"
    if qtype in CHOICE_TYPES:
        shown = {original: shown for shown, original in _displayed(item)}
        return "".join(sorted(shown[i] for i in response if i in shown))
    if qtype == QuestionType.TRUE_FALSE:
        return "正确" if response == [True] else "错误"
    if qtype == QuestionType.FILL:
        return "；".join(answer or "（空）" for answer in response)
    return str(response)


def _right_text(item) -> str:
    snap = item.snapshot
    qtype = snap["qtype"]
    if qtype in CHOICE_TYPES:
        return _answer_text(item, snap["key"])
    if qtype == QuestionType.TRUE_FALSE:
        return "正确" if snap["key"] == [True] else "错误"
    if qtype == QuestionType.FILL:
        return "；".join(" 或 ".join(accepted) for accepted in snap["key"])
    return ""


def review_views(items, *, withheld=frozenset()) -> list[ReviewView]:
    """Each question with the person's answer, the right answer, 解析 and legal basis: for review only.

    For questions whose ids are in ``withheld`` (in an open or scheduled exam: ``keys_withheld``) only the
    question and the person's answer are shown: no key, 解析, rubric, nor whether the answer was right.
    """
    views = []
    items = list(items)
    questions = with_pictures([question_view(item) for item in items])
    for item, question in zip(items, questions, strict=True):
        hidden = item.question_id in withheld
        views.append(
            ReviewView(
                question=question,
                score=None if hidden else item.score,
                is_correct=None if hidden else item.is_correct,
                your_answer=_answer_text(item, item.response),
                right_answer="" if hidden else _right_text(item),
                explanation="" if hidden else item.snapshot.get("explanation", ""),
                rubric="" if hidden else item.snapshot.get("rubric", ""),
                legal_basis_label=item.snapshot.get("legal_basis_label", ""),
                legal_basis_id=item.snapshot.get("legal_basis_id"),
                grader_comment="" if hidden else item.grader_comment,
                key_withheld=hidden,
            )
        )
    return views


def response_from_post(item, data):
    """The response an item's form fields carry, in stored form; None when nothing was answered."""
    name = f"q{item.pk}"
    qtype = item.snapshot["qtype"]
    if qtype in CHOICE_TYPES:
        by_letter = dict(_displayed(item))
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        chosen = sorted({by_letter[value] for value in values if value in by_letter})
        if qtype == QuestionType.SINGLE:
            chosen = chosen[:1]
        return chosen or None
    if qtype == QuestionType.TRUE_FALSE:
        return {"true": [True], "false": [False]}.get(data.get(name))
    if qtype == QuestionType.FILL:
        blanks = [_typed(data.get(f"{name}_{n}"))[:MAX_BLANK_LENGTH] for n in range(len(item.snapshot["key"]))]
        return blanks if any(blanks) else None
    text = _typed(data.get(name))[:MAX_ESSAY_LENGTH]
    return text or None


def _typed(value) -> str:
    """What the person typed, without NUL characters (no keyboard makes one, and PostgreSQL cannot store it)."""
    return str(value or "").replace("\x00", "").strip()


def posted_item_ids(data) -> set[int]:
    """The ids of the items whose fields the request says it carries (``items``)."""
    return {int(value) for value in data.getlist("items") if is_id(value)}  # "²", twenty digits: not an item


def posted_answers(items, data) -> dict[int, tuple[object, int]]:
    """``{item id: (response, revision)}`` for the items whose fields the request carries and whose answer changed."""
    posted_ids = posted_item_ids(data)
    answers = {}
    for item in items:
        if item.pk not in posted_ids:
            continue
        revision = data.get(f"rev{item.pk}", "")
        if not str(revision).isdecimal():
            continue
        response = response_from_post(item, data)
        if response == item.response:
            continue
        answers[item.pk] = (response, int(revision))
    return answers
