"""The life cycle of an external-training submission (上级培训与考试), declared once (``organisation.lifecycles``).

    pending ──review (approve)──▶ approved
       └─────review (reject)───▶ rejected

A decided submission stays decided; a person who was turned down submits again.
"""

from learning.study.models import ReviewStatus
from learning.study.models.external import REVIEW_PERMISSION
from organisation.errors import ServiceRefusal
from organisation.lifecycles import LifeCycle, Transition


class ReviewRefused(ServiceRefusal):
    """The review cannot be recorded; the message is for the reviewer."""


def _reviewer(user, training) -> bool:
    return user.has_perm(REVIEW_PERMISSION, training)


EXTERNAL_TRAINING = LifeCycle(
    Transition(
        name="review",
        sources=frozenset({ReviewStatus.PENDING}),
        may=_reviewer,
        denied="只有申报人所在处室（或上级处室）的负责人可以审核这份申报。",
        otherwise="该申报已于 {obj.reviewed_at:%Y-%m-%d} 审核（{status}）。",
    ),
    error=ReviewRefused,
)


def can_review(user, training) -> bool:
    return EXTERNAL_TRAINING.allowed(training, user)["review"]
