"""A question whose 法律依据 a law's revision renumbered, amended or repealed: confirm it or re-point it.

Until one of the two, the question is flagged 依据已修订 (``Question.objects.basis_superseded``) and no new
exam paper, quiz or practice draws it. Papers already drawn keep their snapshot.
"""

import datetime

from django.db import transaction

from learning.exams.models import Question
from organisation.errors import ServiceRefusal
from website.models import LawArticle


class BasisReviewRefused(ServiceRefusal):
    """The confirmation or re-pointing cannot be done as asked; the message says why."""


def _flagged(question: Question) -> Question:
    locked = Question.objects.select_for_update().filter(pk=question.pk).first()
    if locked is None or not Question.objects.basis_superseded().filter(pk=question.pk).exists():
        raise BasisReviewRefused("这道题的法律依据不在待确认之列，可能已有人处理。")
    return locked


@transaction.atomic
def question_basis_confirm(*, question: Question, user) -> Question:
    """The old article still supports the question: keep citing it, as checked against the revision that
    flagged it (a later revision that changes the article again flags it again)."""
    question = _flagged(question)
    since = LawArticle.objects.get(pk=question.legal_basis_id).standing_since
    # An article dropped from an undated text has no date: any date is "after" it, and a dated revision later is not.
    question.legal_basis_confirmed_for = since or datetime.date.min
    question.legal_basis_confirmed_by = user
    question.save(update_fields=["legal_basis_confirmed_for", "legal_basis_confirmed_by", "updated_at"])
    return question


@transaction.atomic
def question_basis_repoint(*, question: Question, article: LawArticle, user) -> Question:
    """Cite ``article`` of the current version instead (the old article's successor, as a rule)."""
    question = _flagged(question)
    if not article.is_current:
        raise BasisReviewRefused(f"{article}不是现行条文，请改为引用现行版本中的条文。")
    question.legal_basis = article
    question.legal_basis_confirmed_for = None
    question.legal_basis_confirmed_by = user
    question.save(update_fields=["legal_basis", "legal_basis_confirmed_for", "legal_basis_confirmed_by", "updated_at"])
    return question
