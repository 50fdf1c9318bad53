"""The operations `make bench` measures, and what each needs (signed-in sessions, ids)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret


def session_for(username: str) -> dict:
    """Cookie and CSRF headers of a signed-in session for ``username``."""
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    secret = _get_new_csrf_string()
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={secret}",
        "X-CSRFToken": _mask_cipher_secret(secret),
        "Referer": "http://127.0.0.1/",
    }


def prepare(scale: str) -> dict:
    return {
        "staff": session_for("bench00001"),
        "oversight": session_for("bench-oversight"),
        "head": session_for("bench-head"),
    }


def operations(fixtures: dict) -> list[dict]:
    return [
        {"name": "floor", "label": "framework floor (trivial view)", "kind": "wrk", "path": "/bench/floor/"},
        {"name": "home", "label": "public home page", "kind": "wrk", "path": "/"},
        {
            "name": "my_start",
            "label": "我的学习 start page (signed in)",
            "kind": "wrk",
            "path": "/",
            "headers": fixtures["staff"],
        },
        *oversight_operations(fixtures),
    ]


def oversight_operations(fixtures: dict) -> list[dict]:
    """The committee's dashboard (every person and record of the year), a head's, and the year's downloads.

    Measured one request at a time: the targets (dashboard under 1 s, export under 10 s) are about
    how long one person waits, not about queueing behind seven others on two workers.
    """
    from django.utils import timezone

    year = timezone.localdate().year
    return [
        {
            "name": "oversight_dashboard",
            "label": "法治督查 dashboard, whole bureau (sequential)",
            "kind": "python",
            "repeat": 10,
            "path": f"/oversight/?year={year}",
            "headers": fixtures["oversight"],
        },
        {
            "name": "oversight_dashboard_head",
            "label": "法治督查 dashboard, one department, head (sequential)",
            "kind": "python",
            "repeat": 10,
            "path": f"/oversight/?year={year}",
            "headers": fixtures["head"],
        },
        {
            "name": "oversight_people_behind",
            "label": "法治督查 people behind, drill-down (sequential)",
            "kind": "python",
            "repeat": 10,
            "path": f"/oversight/people/?year={year}&status=%E8%90%BD%E5%90%8E",
            "headers": fixtures["oversight"],
        },
        {
            "name": "oversight_figures_cold",
            "label": "法治督查 figures after a new learning record (in-process, ledger summed afresh)",
            "kind": "inprocess",
            "call": _cold_figures,
            "repeat": 3,
        },
        {
            "name": "oversight_export",
            "label": "year export .xlsx, whole bureau (sequential)",
            "kind": "python",
            "path": f"/oversight/export.xlsx?year={year}",
            "headers": fixtures["oversight"],
            "repeat": 3,
        },
        {
            "name": "oversight_report",
            "label": "annual report .docx (sequential)",
            "kind": "python",
            "path": f"/oversight/report.docx?year={year}",
            "headers": fixtures["oversight"],
            "repeat": 3,
        },
    ]


def _cold_figures(index: int) -> None:
    from django.utils import timezone

    from oversight import ledger
    from oversight.figures import year_figures

    year = timezone.localdate().year
    ledger.forget(year)
    year_figures(year=year)
