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


def _add(key: str, delta: int) -> int:
    """Atomically add ``delta`` to a counter that lives for one throttle window; return the new value."""
    if delta > 0 and cache.add(key, delta, timeout=settings.LOGIN_THROTTLE_WINDOW):
        return delta
    try:
        return cache.incr(key, delta)
    except ValueError:  # expired between add and incr
        if delta > 0:
            cache.set(key, delta, timeout=settings.LOGIN_THROTTLE_WINDOW)
        return max(delta, 0)


def login_attempt_begin(request, username: str) -> bool:
    """Count a sign-in attempt against the account and the address; False when either is over the limit.

    The attempt is counted before the password is checked, with an atomic increment, so many
    guesses sent at once cannot all pass the check before the first failure is recorded. A
    refused attempt is not counted, so a locked account does not lock its colleagues' address.
    """
    keys = _keys(request, username)
    counts = [_add(key, 1) for key in keys]
    if all(count <= settings.LOGIN_THROTTLE_LIMIT for count in counts):
        return True
    for key in keys:
        _add(key, -1)
    return False


def login_attempt_succeeded(request, username: str) -> None:
    """The password was right: clear the account's failures and give the address its attempt back."""
    user_key, ip_key = _keys(request, username)
    cache.delete(user_key)
    _add(ip_key, -1)


def sessions_end(*, user) -> int:
    """Delete every session ``user`` is signed in with; returns how many ended.

    Django already treats an inactive user's session as anonymous, but would honour it again if
    the account were reactivated; ending the sessions makes a deactivation final.
    """
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def end_sessions_of_inactive_user(sender, instance, **kwargs) -> None:
    """post_save receiver for the user model: an account saved as inactive is signed out everywhere."""
    if not instance.is_active and instance.pk:
        sessions_end(user=instance)
