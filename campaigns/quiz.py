"""The public quiz: drawing a paper, the signed form token that carries it, phone numbers and rate limits.

A visitor's paper is drawn when they open the form and is written nowhere: the form carries it in
a signed, time-stamped token (question ids, their versions and option orders; never an answer),
so opening the page costs no database write and a script cannot choose its own questions. On
hand-in the token is checked (signature, quiz, age, fill time, used before?) and the questions
are loaded again; a question edited in between (its version changed) means the visitor saw
something else, so they get a fresh paper instead of a score against a key they never saw.
"""

import datetime
import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from campaigns.models import Quiz, QuizParticipant
from campaigns.models.quizzes import OBJECTIVE_TYPES
from learning.exams.answers import CHOICE_TYPES
from learning.exams.models import Question
from learning.exams.services.drawing import TYPE_ORDER
from organisation.errors import ServiceRefusal
from organisation.security import client_ip
from organisation.throttle import Take, counter_take
from organisation.validators import normalise_mobile

TOKEN_SALT = "campaigns.quiz.paper"  # noqa: S105  # nosec B105: a signing salt, not a secret
PHONE_SALT = "campaigns.quiz.phone"
# What the answer form may know of a question: never its key, 解析 or legal basis.
PUBLIC_SNAPSHOT_FIELDS = ("version", "qtype", "stem", "options", "points", "pictures")


class QuizUnavailable(ServiceRefusal):
    """The bank cannot make a paper for this quiz now; the message is for the visitor."""


class FormInvalid(Exception):
    """The form token is not one we issued for this quiz (forged, altered or for another quiz)."""


class FormExpired(Exception):
    """The form token is older than ``QUIZ_FORM_MAX_AGE``."""


class PaperChanged(Exception):
    """A question of the paper was edited or removed after the visitor opened the form."""


class AlreadySubmitted(Exception):
    """This form token was handed in before."""

    def __init__(self, participant: QuizParticipant):
        super().__init__("这份答卷已经提交过，不能重复提交。")
        self.participant = participant


class PhoneUsedToday(Exception):
    """This phone number already took part in this quiz today."""


@dataclass
class PaperItem:
    """One question of a visitor's paper, shaped like learning's ``AttemptItem`` so that learning's
    ``question_view``, ``response_from_post`` and ``review_views`` work on it (fields ``q1``, ``q2`` …)."""

    position: int
    question_id: int
    snapshot: dict
    option_order: list[int]
    response: object = None
    revision: int = 0

    @property
    def pk(self) -> int:
        return self.position


@dataclass
class Paper:
    quiz_id: int
    nonce: str
    issued_at: datetime.datetime
    entries: list[tuple[int, int, list[int]]]  # (question id, version, option order) in the order shown
    items: list[PaperItem] = field(default_factory=list)


# --- drawing ---------------------------------------------------------------------------------


def quiz_pool(*, quiz: Quiz, now: datetime.datetime, question_types=None, domain_ids=None, tag_names=None):
    """The questions a quiz may draw at ``now``: enabled (启用) objective questions that are not reserved for exams.

    A question the bank marks "只出现在考试中" (``practice_allowed`` off), or that is in an open or
    scheduled exam (the question pool rule, ``Question.objects.publicly_drawable``), never goes to the public.
    """
    types = [qtype for qtype in (question_types or quiz.question_types) if qtype in OBJECTIVE_TYPES]
    pool = Question.objects.publicly_drawable(now).filter(qtype__in=types)
    domain_ids = list(domain_ids if domain_ids is not None else quiz.domains.values_list("pk", flat=True))
    if domain_ids:
        pool = pool.filter(domain_id__in=domain_ids)
    return pool.tagged_any(tag_names if tag_names is not None else quiz.tag_names)


def quiz_draw(*, quiz: Quiz, now: datetime.datetime, rng: random.Random | None = None) -> Paper:
    """A fresh paper: ``question_count`` questions at random, grouped 单选, 多选, 判断, options shuffled."""
    rng = rng or random.SystemRandom()
    ids = sorted(quiz_pool(quiz=quiz, now=now).values_list("pk", flat=True))
    if len(ids) < quiz.question_count:
        raise QuizUnavailable("竞答题目正在更新，暂时无法答题，请稍后再试。")
    questions = Question.objects.snapshots_in_bulk(rng.sample(ids, quiz.question_count))
    drawn = list(questions.values())
    rng.shuffle(drawn)
    drawn.sort(key=lambda question: TYPE_ORDER.index(question.qtype))
    items = []
    for position, question in enumerate(drawn, start=1):
        order = list(range(len(question.options))) if question.qtype in CHOICE_TYPES else []
        rng.shuffle(order)
        snapshot = {name: value for name, value in question.snapshot().items() if name in PUBLIC_SNAPSHOT_FIELDS}
        items.append(PaperItem(position, question.pk, snapshot, order))
    return Paper(
        quiz_id=quiz.pk,
        nonce=secrets.token_hex(16),
        issued_at=now,
        entries=[(item.question_id, item.snapshot["version"], item.option_order) for item in items],
        items=items,
    )


# --- the form token --------------------------------------------------------------------------


def _salt(quiz_id: int) -> str:
    return f"{TOKEN_SALT}:{quiz_id}"


def paper_token(paper: Paper) -> str:
    payload = {
        "z": paper.quiz_id,
        "n": paper.nonce,
        "t": int(paper.issued_at.timestamp()),
        "q": [[question_id, version, order] for question_id, version, order in paper.entries],
    }
    return signing.dumps(payload, salt=_salt(paper.quiz_id), compress=True)


def paper_from_token(*, quiz: Quiz, token: str, now: datetime.datetime) -> Paper:
    """The paper a form token carries; raises ``FormInvalid`` or ``FormExpired``."""
    try:
        payload = signing.loads(str(token or ""), salt=_salt(quiz.pk))
        issued_at = datetime.datetime.fromtimestamp(int(payload["t"]), tz=datetime.UTC)
        entries = [(int(qid), int(version), [int(i) for i in order]) for qid, version, order in payload["q"]]
        nonce = str(payload["n"])
        if payload["z"] != quiz.pk or not entries or len(nonce) != 32:
            raise FormInvalid
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise FormInvalid from error
    if now - issued_at > datetime.timedelta(seconds=settings.QUIZ_FORM_MAX_AGE):
        raise FormExpired
    return Paper(quiz_id=quiz.pk, nonce=nonce, issued_at=issued_at, entries=entries)


def filled_too_fast(paper: Paper, now: datetime.datetime) -> bool:
    return (now - paper.issued_at).total_seconds() < settings.QUIZ_MIN_FILL_SECONDS


def paper_items(paper: Paper) -> list[PaperItem]:
    """The paper's questions as they are now, with everything scoring and review need; raises
    ``PaperChanged`` when one was edited or deleted since the form was drawn."""
    ids = [question_id for question_id, _, _ in paper.entries]
    questions = Question.objects.snapshots_in_bulk(ids)
    items = []
    for position, (question_id, version, order) in enumerate(paper.entries, start=1):
        question = questions.get(question_id)
        if question is None or question.version != version or question.qtype not in OBJECTIVE_TYPES:
            raise PaperChanged
        if sorted(order) != (list(range(len(question.options))) if question.qtype in CHOICE_TYPES else []):
            raise PaperChanged
        items.append(PaperItem(position, question_id, question.snapshot(), order))
    return items


def public_items(items: list[PaperItem]) -> list[PaperItem]:
    """Copies that carry only what the answer form may show (for re-showing a form after a refusal)."""
    return [
        PaperItem(
            item.position,
            item.question_id,
            {name: value for name, value in item.snapshot.items() if name in PUBLIC_SNAPSHOT_FIELDS},
            item.option_order,
            item.response,
        )
        for item in items
    ]


# --- phone numbers ---------------------------------------------------------------------------


def normalise_phone(text: str) -> str:
    """A mainland mobile number as 11 digits, "" when none was given (organisation.validators' one rule);
    raises ``ValueError`` with a message for the visitor when something was given that is not one."""
    try:
        return normalise_mobile(text)
    except ValueError:
        raise ValueError("请填写正确的 11 位手机号码，或留空。") from None


def phone_digest(phone: str) -> str:
    """A keyed digest (HMAC-SHA256 with the site's secret key): equal numbers match, but the number
    cannot be read back or found by trying every number without the key."""
    return salted_hmac(PHONE_SALT, phone, algorithm="sha256").hexdigest() if phone else ""


def phone_mask(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone else ""


# --- rate limit (an atomic counter, like the sign-in throttle) -------------------------------


def ip_take(request, now: datetime.datetime) -> Take:
    """Count one hand-in from this client address unless it has had ``QUIZ_IP_LIMIT`` in ``QUIZ_IP_WINDOW``."""
    return counter_take(
        key=f"quiz:address:{client_ip(request)}",
        limit=settings.QUIZ_IP_LIMIT,
        window=settings.QUIZ_IP_WINDOW,
        now=now,
    )


def _phone_key(quiz_id: int, digest: str, day: datetime.date) -> str:
    return f"quiz:phone:{quiz_id}:{day.isoformat()}:{digest}"


def phone_used_today(*, quiz: Quiz, digest: str, now: datetime.datetime) -> bool:
    """Whether this phone already took part today: the cache answers first, the database if the cache forgot."""
    if not digest:
        return False
    day = timezone.localdate(now)
    if cache.get(_phone_key(quiz.pk, digest, day)):
        return True
    return QuizParticipant.objects.filter(quiz=quiz, phone_digest=digest, submitted_on=day).exists()


def phone_mark_used(*, quiz: Quiz, digest: str, now: datetime.datetime) -> None:
    if not digest:
        return
    local = timezone.localtime(now)
    midnight = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time.min, local.tzinfo)
    cache.set(_phone_key(quiz.pk, digest, local.date()), 1, timeout=int((midnight - local).total_seconds()) + 60)
