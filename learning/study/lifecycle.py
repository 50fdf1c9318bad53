"""Life cycles of staff study, declared once (``organisation.lifecycles``).

An external-training submission (上级培训与考试):

    pending ──review (approve)──▶ approved
       └─────review (reject)───▶ rejected

A decided submission stays decided; a person who was turned down submits again.

A group-study session (集中学法) moves with the clock (``GroupStudySession.state_at``):

    scheduled ─(1 h before)─▶ sign_in ─(start)─▶ in_progress ─(end)─▶ ended ─(1 h after)─▶ sign_in_closed
    any of them ──(organiser ticks 已取消)──▶ cancelled

``scan`` (signing oneself in by the QR code) is open from sign_in to ended; ``sign_in`` (recording that
someone came, by the code or by the organiser) from sign_in on, so the paper list can be entered afterwards.
"""

from learning.study.models import ReviewStatus, SessionState
from learning.study.models.external import REVIEW_PERMISSION
from organisation.errors import ServiceRefusal
from organisation.lifecycles import At, LifeCycle, Transition


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


class CheckinRefused(ServiceRefusal):
    """The sign-in cannot be accepted; the message is for the person at the venue."""


def _anyone(user, at) -> bool:
    """Who may sign in is the services' own rule (a staff profile, the invitation); the life cycle decides when."""
    return True


SESSION = LifeCycle(
    Transition(
        name="scan",
        sources=frozenset({SessionState.SIGN_IN, SessionState.IN_PROGRESS, SessionState.ENDED}),
        may=_anyone,
        denied="请先登录。",
        otherwise="签到已结束。",
        refusals={
            SessionState.CANCELLED: "该集中学法不存在或已取消。",
            SessionState.SCHEDULED: "签到尚未开始（开始前一小时开放签到）。",
        },
    ),
    Transition(
        name="sign_in",
        sources=frozenset(
            {SessionState.SIGN_IN, SessionState.IN_PROGRESS, SessionState.ENDED, SessionState.SIGN_IN_CLOSED}
        ),
        may=_anyone,
        denied="请先登录。",
        otherwise="该集中学法当前为“{status}”，不能签到。",
        refusals={
            SessionState.CANCELLED: "该集中学法已取消，不能签到。",
            SessionState.SCHEDULED: "集中学法尚未开始，开始前一小时起方可登记签到；如不能参加，可先登记请假。",
        },
    ),
    error=CheckinRefused,
    state=lambda at: at.obj.state_at(at.now),
    label=lambda at: at.obj.state_at(at.now).label,
)


def can_scan(session, now) -> bool:
    """Whether the session's QR code signs people in now."""
    return SESSION.state_allows("scan", At(session, now))


def can_sign_in(session, now) -> bool:
    """Whether attendance may be recorded for the session now (by the code or by the organiser)."""
    return SESSION.state_allows("sign_in", At(session, now))


def credits_at_once(session, now) -> bool:
    """A sign-in is credited at once when the session has started; earlier ones wait for the start."""
    return session.state_at(now) not in (SessionState.SCHEDULED, SessionState.SIGN_IN)
