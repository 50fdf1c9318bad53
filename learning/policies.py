"""Object rules of learning (``organisation.policies``): asked as ``user.has_perm(permission, obj)``."""

from learning.study.models import ExternalTraining
from learning.study.models.external import REVIEW_PERMISSION
from organisation.policies import rule


@rule(REVIEW_PERMISSION)
def review_external_training(user, training) -> bool:
    """A head reviews the submissions of their department's people and the units below it, never their own."""
    return ExternalTraining.objects.reviewable_by(user).filter(pk=training.pk).exists()


@rule("learning.change_question")
def change_question(user, question) -> bool:
    """Whoever works on the bank changes a question, unless they have a stake in one of its exams."""
    from django.utils import timezone

    from learning.exams.integrity import question_in_conflict

    return user.has_perm("learning.change_question") and not question_in_conflict(
        user=user, question_id=question.pk, now=timezone.now()
    )
