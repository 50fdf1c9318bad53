"""Object rules of learning (``organisation.policies``): asked as ``user.has_perm(permission, obj)``."""

from learning.study.models import ExternalTraining
from learning.study.models.external import REVIEW_PERMISSION
from organisation.policies import rule


@rule(REVIEW_PERMISSION)
def review_external_training(user, training) -> bool:
    """A head reviews the submissions of their department's people and the units below it, never their own."""
    return ExternalTraining.objects.reviewable_by(user).filter(pk=training.pk).exists()
