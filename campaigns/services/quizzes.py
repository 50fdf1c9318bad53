"""Setting up an event's public quiz, and handing in a visitor's answers (which counts them as online reach)."""

import datetime
import ipaddress
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaigns.models import CampaignStatus, Event, EventKind, EventOutcome, Quiz, QuizAnswer, QuizParticipant
from campaigns.models.quizzes import MAX_QUESTIONS, OBJECTIVE_TYPES
from campaigns.panels import forget_upcoming_events
from campaigns.quiz import AlreadySubmitted, PaperItem, PhoneUsedToday, phone_digest, phone_mask, quiz_pool
from campaigns.services.errors import CampaignError
from learning.exams.answers import MultiplePolicy, score_response

QUIZ_FIELDS = ("intro", "question_count", "question_types", "tags", "opens_at", "closes_at", "multiple_policy")
MAX_WINDOW = datetime.timedelta(days=92)


def _check_settings(data: dict) -> None:
    types = data.get("question_types") or []
    if not types or any(qtype not in OBJECTIVE_TYPES for qtype in types):
        raise CampaignError("请至少选择一种题型（单选题、多选题、判断题）。")
    count = data.get("question_count") or 0
    if not 1 <= count <= MAX_QUESTIONS:
        raise CampaignError(f"每人题数应在 1 到 {MAX_QUESTIONS} 之间。")
    if data["opens_at"] >= data["closes_at"]:
        raise CampaignError("截止答题时间应晚于开始答题时间。")
    if data["closes_at"] - data["opens_at"] > MAX_WINDOW:
        raise CampaignError("答题时间不超过 92 天；更长的竞答请分期设置。")
    if data.get("multiple_policy", MultiplePolicy.ALL_OR_NOTHING) not in MultiplePolicy.values:
        raise CampaignError("多选题计分方式无效。")


@transaction.atomic
def quiz_save(*, event: Event, actor, data: dict) -> Quiz:
    """Create or change the quiz of a 线上知识竞答 event. The bank must hold enough questions to draw from."""
    transaction.on_commit(forget_upcoming_events)  # the public event page shows "参加知识竞答"
    event = Event.objects.select_for_update().select_related("campaign").get(pk=event.pk)
    if event.kind != EventKind.ONLINE_QUIZ:
        raise CampaignError("只有“线上知识竞答”形式的活动场次可以设置竞答。")
    if event.is_cancelled or event.campaign.status == CampaignStatus.CANCELLED:
        raise CampaignError("活动已取消，不能设置竞答。")
    _check_settings(data)
    quiz = Quiz.objects.filter(event=event).first() or Quiz(event=event, created_by=actor)
    for name in QUIZ_FIELDS:
        if name in data:
            setattr(quiz, name, data[name])
    domains = list(data.get("domains") or [])
    available = quiz_pool(
        quiz=quiz,
        now=timezone.now(),
        question_types=quiz.question_types,
        domain_ids=[d.pk for d in domains],
        tag_names=quiz.tag_names,
    ).count()
    if available < quiz.question_count:
        raise CampaignError(
            f"题库中符合条件的启用客观题只有 {available} 道，不足每人 {quiz.question_count} 道；"
            "请减少题数，或放宽题型、领域、标签。"
        )
    quiz.save()
    quiz.domains.set(domains)
    return quiz


def _scored(items: list[PaperItem], policy: str) -> list[QuizAnswer]:
    answers = []
    for item in items:
        snap = item.snapshot
        outcome = score_response(
            qtype=snap["qtype"], key=snap["key"], points=snap["points"], response=item.response, policy=policy
        )
        answers.append(
            QuizAnswer(
                question_id=item.question_id,
                position=item.position,
                snapshot=snap,
                option_order=item.option_order,
                response=item.response,
                score=outcome.score,
                is_correct=bool(outcome.correct),
            )
        )
    return answers


def _count_reach(event_id: int) -> None:
    """One more person reached online: one UPDATE of the outcome row (whose lock orders it with the team's
    own report), or, for the first participant, the row created under the event's lock."""
    counted = {"online_reach": F("online_reach") + 1, "quiz_participants": F("quiz_participants") + 1}
    if EventOutcome.objects.filter(event_id=event_id).update(**counted):
        return
    Event.objects.select_for_update().filter(pk=event_id).first()  # outcome_report creates the row under it
    EventOutcome.objects.get_or_create(event_id=event_id)
    EventOutcome.objects.filter(event_id=event_id).update(**counted)


def quiz_submit(
    *,
    quiz: Quiz,
    nonce: str,
    started_at: datetime.datetime,
    items: list[PaperItem],
    name: str,
    phone: str,
    client_ip: str | None,
    now: datetime.datetime,
) -> QuizParticipant:
    """Score a visitor's paper (``items`` with full snapshots and responses), keep it, and count the visitor
    in the event's online reach.

    One hand-in per form token and one per phone number per day are enforced by unique constraints,
    so a replay or a second tab loses even when both arrive at once (``AlreadySubmitted``,
    ``PhoneUsedToday``). The event's outcome row is created when missing and its ``online_reach``
    and ``quiz_participants`` rise by one in the same transaction.
    """
    answers = _scored(items, quiz.multiple_policy)
    try:
        client_ip = str(ipaddress.ip_address(client_ip or ""))
    except ValueError:
        client_ip = None  # a proxy that wrote something else: keep the hand-in, not the address
    digest = phone_digest(phone)
    participant = QuizParticipant(
        quiz=quiz,
        name=name.strip()[:30],
        phone_digest=digest,
        phone_masked=phone_mask(phone),
        client_ip=client_ip,
        nonce=nonce,
        result_key=secrets.token_urlsafe(18),
        score=sum((answer.score for answer in answers), Decimal("0")),
        max_score=sum((Decimal(str(item.snapshot["points"])) for item in items), Decimal("0")),
        correct_count=sum(1 for answer in answers if answer.is_correct),
        question_count=len(answers),
        started_at=started_at,
        submitted_at=now,
        submitted_on=timezone.localdate(now),
    )
    try:
        with transaction.atomic():
            participant.save()
            for answer in answers:
                answer.participant = participant
            QuizAnswer.objects.bulk_create(answers)
            _count_reach(quiz.event_id)
    except IntegrityError:
        earlier = QuizParticipant.objects.filter(quiz=quiz, nonce=nonce).first()
        if earlier is not None:
            raise AlreadySubmitted(earlier) from None
        if (
            digest
            and QuizParticipant.objects.filter(
                quiz=quiz, phone_digest=digest, submitted_on=participant.submitted_on
            ).exists()
        ):
            raise PhoneUsedToday from None
        raise
    return participant
