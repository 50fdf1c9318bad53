"""Group study: sessions of the year that were not cancelled and have ended. Who was expected (应到)
is learning.study.expected's rule; attendance rate = present ÷ expected, so leave (请假) counts as
expected but not present."""

import numpy as np
import pandas as pd

from learning.study.expected import SessionMatrices, session_matrices
from learning.study.models import SessionKind
from oversight.arrays import rate


def load_sessions(scope) -> SessionMatrices:
    """The person × session matrices of the scope's people (the whole bureau's marks are all read)."""
    return session_matrices(
        year=scope.year,
        people=scope.people,
        position=scope.position,
        subtrees=scope.subtrees,
        now=scope.now,
        scope_users=None if scope.whole_bureau else scope.users,
    )


def session_columns(sessions: SessionMatrices, required_rate: np.ndarray) -> dict:
    """Each person's sessions expected, present, on leave and absent, their rate and whether it
    meets the rate their targets ask for (``required_rate``, NaN when none)."""
    expected = sessions.expected.sum(axis=1)
    present = sessions.present_held.sum(axis=1)
    leave = sessions.leave_held.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        attendance_rate = np.where(expected > 0, np.round(100.0 * present / np.maximum(expected, 1), 1), np.nan)
    ok = np.isnan(required_rate) | np.isnan(attendance_rate)
    ok |= np.nan_to_num(attendance_rate) >= np.nan_to_num(required_rate)
    return {
        "sessions_expected": expected,
        "sessions_present": present,
        "sessions_leave": leave,
        "sessions_absent": expected - present - leave,
        "attendance_rate": attendance_rate,
        "attendance_ok": ok,
    }


def session_frame(sessions: SessionMatrices, shown: np.ndarray) -> pd.DataFrame:
    """Per session, of the people shown: expected, present, on leave, absent and the rate once held."""
    rows, any_rows = sessions.rows, bool(sessions.rows)
    kinds = dict(SessionKind.choices)
    frame = pd.DataFrame(
        {
            "session_id": sessions.ids,
            "starts_at": [row["starts_at"] for row in rows],
            "kind": [row["kind"] for row in rows],
            "kind_label": [kinds.get(row["kind"], row["kind"]) for row in rows],
            "topic": [row["topic"] for row in rows],
            "place": [row["place"] for row in rows],
            "credit_hours": [float(row["credit_hours"]) for row in rows],
            "held": sessions.held,
            "expected": sessions.expected[shown].sum(axis=0) if any_rows else [],
            "present": sessions.present_held[shown].sum(axis=0) if any_rows else [],
            "leave": sessions.leave_held[shown].sum(axis=0) if any_rows else [],
        }
    )
    if any_rows:
        frame["absent"] = frame["expected"] - frame["present"] - frame["leave"]
        frame["rate"] = [
            rate(p, e) if h else None
            for p, e, h in zip(frame["present"], frame["expected"], frame["held"], strict=True)
        ]
    else:
        frame["absent"], frame["rate"] = [], []
    return frame


def session_totals(sessions: pd.DataFrame) -> dict:
    held = sessions[sessions["held"]] if len(sessions) else sessions
    by_kind = {label: 0 for _, label in SessionKind.choices}
    for label, count in held["kind_label"].value_counts().items() if len(held) else []:
        by_kind[label] = int(count)
    return {
        "sessions_held": len(held),
        "sessions_planned": len(sessions) - len(held),
        "sessions_by_kind": by_kind,
        "session_attendances": int(held["present"].sum()) if len(held) else 0,
        "session_leaves": int(held["leave"].sum()) if len(held) else 0,
        "session_expected": int(held["expected"].sum()) if len(held) else 0,
        "session_hours": round(float(held["credit_hours"].sum()), 1) if len(held) else 0.0,
    }
