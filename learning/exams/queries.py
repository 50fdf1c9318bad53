"""Reads that pages need, assembled with a fixed number of queries however many exams or questions there are."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from learning.exams.lifecycle import can_start
from learning.exams.models import (
    Attempt,
    Certificate,
    Exam,
    ExamOverride,
    ExamResult,
    ExamState,
    Mistake,
    PracticeSet,
    Question,
)
from website.models import Domain, LawArticle


@dataclass
class ExamCard:
    exam: Exam
    state: ExamState
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    result: ExamResult | None
    open_attempt_id: int | None
    certificate_id: int | None

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def can_start(self) -> bool:
        return can_start(self)

    @property
    def is_resit(self) -> bool:
        return self.state == ExamState.RESIT

    @property
    def is_past(self) -> bool:
        return self.state == ExamState.CLOSED


STATE_ORDER = {ExamState.OPEN: 0, ExamState.RESIT: 1, ExamState.UPCOMING: 2, ExamState.CLOSED: 3}


def exam_cards(*, user, now: datetime.datetime) -> list[ExamCard]:
    """The exams assigned to ``user`` with their window, result, open attempt and certificate: two queries."""
    mine = {"exam": OuterRef("pk"), "user": user}
    override = ExamOverride.objects.filter(**mine)
    exams = list(
        Exam.objects.assigned_to(user)
        .annotate(
            personal_opens_at=Subquery(override.values("opens_at")[:1]),
            personal_closes_at=Subquery(override.values("closes_at")[:1]),
            open_attempt_id=Subquery(Attempt.objects.open().filter(**mine).values("pk")[:1]),
            certificate_id=Subquery(Certificate.objects.filter(revoked_at__isnull=True, **mine).values("pk")[:1]),
        )
        .order_by("opens_at")
    )
    results = {r.exam_id: r for r in ExamResult.objects.filter(user=user, exam__in=[exam.pk for exam in exams])}
    cards = []
    for exam in exams:
        opens_at = exam.personal_opens_at or exam.opens_at
        closes_at = exam.personal_closes_at or exam.closes_at
        result = results.get(exam.pk)
        if opens_at <= now < closes_at:
            state = ExamState.OPEN
        elif exam.has_resit and exam.resit_opens_at <= now < exam.resit_closes_at and result and not result.passed:
            state = ExamState.RESIT
            opens_at, closes_at = exam.resit_opens_at, exam.resit_closes_at
        elif now < opens_at:
            state = ExamState.UPCOMING
        else:
            state = ExamState.CLOSED
        cards.append(
            ExamCard(
                exam=exam,
                state=state,
                opens_at=opens_at,
                closes_at=closes_at,
                result=result,
                open_attempt_id=exam.open_attempt_id,
                certificate_id=exam.certificate_id,
            )
        )
    current = sorted((c for c in cards if not c.is_past), key=lambda c: (STATE_ORDER[c.state], c.closes_at))
    past = sorted((c for c in cards if c.is_past), key=lambda c: c.closes_at, reverse=True)
    return current + past


def law_links(article_ids) -> dict[int, str]:
    """URL of each law article (its anchor in the law page), in one query."""
    ids = [pk for pk in set(article_ids) if pk]
    if not ids:
        return {}
    return {article.pk: article.get_url() for article in LawArticle.objects.filter(pk__in=ids).select_related("law")}


def with_law_links(reviews):
    links = law_links([review.legal_basis_id for review in reviews])
    for review in reviews:
        review.legal_basis_url = links.get(review.legal_basis_id, "")
    return reviews


def keys_withheld(question_ids, *, now: datetime.datetime, besides: Exam | None = None) -> set[int]:
    """Which of these questions are in an open or scheduled exam (``besides`` one left out): pages show
    no key, 解析 or verdict for them (``review_views(withheld=…)``). One query."""
    ids = [pk for pk in set(question_ids) if pk]
    if not ids:
        return set()
    return set(Question.objects.in_live_exams(now, besides=besides).filter(pk__in=ids).values_list("pk", flat=True))


def practice_domains(*, now: datetime.datetime):
    """Domains that have questions to practise (by the question pool rule), with how many."""
    practicable = Q(questions__in=Question.objects.publicly_drawable(now).values("pk"))
    return Domain.objects.annotate(question_count=Count("questions", filter=practicable)).filter(question_count__gt=0)


def practice_overview(*, user, now: datetime.datetime) -> dict:
    return {
        "sets": list(PracticeSet.objects.filter(is_active=True).select_related("domain")),
        "domains": list(practice_domains(now=now)),
        "random_count": Question.objects.publicly_drawable(now).count(),
        "mistake_count": Mistake.objects.of(user).outstanding().count(),
    }
