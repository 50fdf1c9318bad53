"""Life cycles of exams and attempts, declared once (``organisation.lifecycles``).

An exam, for one person, moves with the clock (``learning.exams.queries.exam_cards`` reads their window):

    upcoming ──(opens)──▶ open ──(closes)──▶ closed ──(resit window, not passed)──▶ resit ──▶ closed

``start`` (begin or resume an attempt) is open in ``open`` and ``resit``.

An attempt:

    open ──submit (in time, or by the clock when time is up)──▶ submitted ──grade (简答)──▶ graded
      └──submit (nothing for a person to grade)─────────────────────────────────────────▶ graded
    graded ──grade (a regrade)──▶ graded

``answer`` (saving answers) is open only while the attempt is open; ``grade`` once it is handed in.
Services ask :func:`can_answer`, :func:`can_submit` and :func:`can_grade` (or ``ATTEMPT.check_state``) before
they write, views and templates the same functions, so the two cannot disagree.
"""

from learning.exams.models import AttemptStatus, ExamState
from organisation.errors import ServiceRefusal
from organisation.lifecycles import LifeCycle, Transition

GRADE_PERMISSION = "learning.grade_essays"


class GradingError(ServiceRefusal, ValueError):
    """The grade cannot be accepted; the message is for the grader."""


class ExamClosed(ServiceRefusal):
    """The exam cannot be sat now; the message is for the candidate."""


def _anyone(user, obj) -> bool:
    """Whom an exam is for is its assignment (``exam_eligibility``); the life cycle decides when."""
    return True


def _candidate(user, attempt) -> bool:
    return attempt.user_id == user.pk


def _grader(user, attempt) -> bool:
    return user.has_perm(GRADE_PERMISSION) and attempt.user_id != user.pk


EXAM = LifeCycle(
    Transition(
        name="start",
        sources=frozenset({ExamState.OPEN, ExamState.RESIT}),
        may=_anyone,
        denied="请先登录。",
        otherwise="考试{status}，现在不能作答。",
    ),
    error=ExamClosed,
    state=lambda card: card.state,
    label=lambda card: card.state.label,
)

ATTEMPT = LifeCycle(
    Transition(
        name="answer",
        sources=frozenset({AttemptStatus.OPEN}),
        may=_candidate,
        denied="这份答卷不是您的。",
        otherwise="答卷{status}，不能再作答。",
    ),
    Transition(
        name="submit",
        sources=frozenset({AttemptStatus.OPEN}),
        may=_candidate,
        denied="这份答卷不是您的。",
        otherwise="答卷{status}，不能再交卷。",
    ),
    Transition(
        name="grade",
        sources=frozenset({AttemptStatus.SUBMITTED, AttemptStatus.GRADED}),
        may=_grader,
        denied="只有阅卷人可以评阅简答题。",
        refusals={AttemptStatus.OPEN: "考生尚未交卷。"},
        otherwise="答卷{status}，不能评分。",
    ),
    error=GradingError,
)


def can_start(card) -> bool:
    """Whether the exam of ``card`` (an ``ExamCard``: one person's window) may be sat now."""
    return EXAM.state_allows("start", card)


def can_answer(attempt) -> bool:
    """Whether answers may still be saved: the attempt is open (its deadline is the services' own rule)."""
    return ATTEMPT.state_allows("answer", attempt)


def can_submit(attempt) -> bool:
    return ATTEMPT.state_allows("submit", attempt)


def can_grade(attempt) -> bool:
    """Whether the attempt's answers may be graded: it has been handed in."""
    return ATTEMPT.state_allows("grade", attempt)
