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
    return {"staff": session_for("bench00001")}


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
    ]
