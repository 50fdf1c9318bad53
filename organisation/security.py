"""Client addresses and sign-in throttling."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address. X-Forwarded-For is trusted only for the hops our own proxies add.

    With ``TRUSTED_PROXY_COUNT`` = n, the n-th address from the right of X-Forwarded-For is the
    client (each proxy appends the address it saw); anything further left was written by the
    client itself and is ignored, so a forged header cannot change who we think is calling.
    """
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()}", f"login-fail:ip:{client_ip(request)}"]


def login_blocked(request, username: str) -> bool:
    limit = settings.LOGIN_THROTTLE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(request, username))


def login_failed(request, username: str) -> None:
    for key in _keys(request, username):
        if cache.add(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW)


def login_succeeded(request, username: str) -> None:
    cache.delete(_keys(request, username)[0])
