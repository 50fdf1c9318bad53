"""The declared life cycles of exams, attempts and group-study sessions: each state allows exactly the
transitions the services act on, and views and templates ask the same ``can_*`` functions."""

import datetime

import pytest

from learning.exams.lifecycle import ATTEMPT, can_answer, can_grade, can_start, can_submit
from learning.exams.models import Attempt, AttemptStatus, ExamState
from learning.exams.queries import ExamCard
from learning.study.lifecycle import SESSION, CheckinRefused, can_scan, can_sign_in, credits_at_once
from learning.study.models import GroupStudySession, SessionState
from organisation.lifecycles import At
from tests.clock import SUITE_NOW

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def card(state) -> ExamCard:
    return ExamCard(
        exam=None,
        state=state,
        opens_at=SUITE_NOW,
        closes_at=SUITE_NOW,
        result=None,
        open_attempt_id=None,
        certificate_id=None,
    )


@pytest.mark.parametrize(
    ("state", "startable"),
    [(ExamState.OPEN, True), (ExamState.RESIT, True), (ExamState.UPCOMING, False), (ExamState.CLOSED, False)],
)
def test_an_exam_is_sat_only_in_its_window_or_its_resit(state, startable):
    assert can_start(card(state)) is card(state).can_start is startable


@pytest.mark.parametrize(
    ("status", "answer", "submit", "grade"),
    [
        (AttemptStatus.OPEN, True, True, False),
        (AttemptStatus.SUBMITTED, False, False, True),
        (AttemptStatus.GRADED, False, False, True),
    ],
)
def test_an_attempt_is_answered_while_open_and_graded_once_handed_in(status, answer, submit, grade):
    attempt = Attempt(status=status)
    assert (can_answer(attempt), can_submit(attempt), can_grade(attempt)) == (answer, submit, grade)


def test_grading_an_attempt_still_being_sat_is_refused_with_the_reason():
    assert ATTEMPT.state_refusal("grade", Attempt(status=AttemptStatus.OPEN)) == "考生尚未交卷。"


SESSION_STATES = [
    # (minutes from the start, state, QR scan, sign-in recorded, hours credited at once)
    (-61, SessionState.SCHEDULED, False, False, False),
    (-60, SessionState.SIGN_IN, True, True, False),
    (-1, SessionState.SIGN_IN, True, True, False),
    (0, SessionState.IN_PROGRESS, True, True, True),
    (120, SessionState.ENDED, True, True, True),  # the session lasts two hours
    (180, SessionState.ENDED, True, True, True),
    (181, SessionState.SIGN_IN_CLOSED, False, True, True),
]


@pytest.mark.parametrize(("minutes", "state", "scan", "sign_in", "credited"), SESSION_STATES)
def test_a_session_moves_with_the_clock(minutes, state, scan, sign_in, credited):
    session = GroupStudySession(starts_at=SUITE_NOW, ends_at=SUITE_NOW + 2 * HOUR)
    now = SUITE_NOW + minutes * MINUTE

    assert session.state_at(now) == state
    assert (can_scan(session, now), can_sign_in(session, now), credits_at_once(session, now)) == (
        scan,
        sign_in,
        credited,
    )


def test_a_cancelled_session_signs_nobody_in_and_says_so():
    session = GroupStudySession(starts_at=SUITE_NOW, ends_at=SUITE_NOW + 2 * HOUR, cancelled=True)

    assert session.state_at(SUITE_NOW) == SessionState.CANCELLED
    with pytest.raises(CheckinRefused, match="已取消"):
        SESSION.check_state("sign_in", At(session, SUITE_NOW))
    with pytest.raises(CheckinRefused, match="不存在或已取消"):
        SESSION.check_state("scan", At(session, SUITE_NOW))
