"""Client addresses, sign-in throttling, and sessions that end when their account is switched off."""

import datetime
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject

from organisation.throttle import counter_add, counter_take, counter_value, counters_clear

ACCOUNT_LOCKED_MESSAGE = "登录失败次数过多，该账号已暂时锁定，请 {minutes} 分钟后再试。"
ADDRESS_SLOWED_MESSAGE = "您所在网络的登录失败次数过多，请 {seconds} 秒后再试。"


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


def username_key(username: str) -> str:
    """The account a typed username means, normalised as sign-in normalises it (Django's UsernameField: strip
    and NFKC) and case-folded, so ``ｂｆ-1``, ``bf－1`` and ``bf-１`` all count against ``bf-1``."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


@dataclass(frozen=True)
class SignInRefused:
    message: str
    retry_after: int


def _account_key(username: str) -> str:
    return f"sign-in:account:{username_key(username)}"


def _address_keys(request) -> tuple[str, str]:
    address = client_ip(request)
    return f"sign-in:address:{address}", f"sign-in:address-turn:{address}"


def login_attempt_begin(request, username: str, *, now: datetime.datetime) -> SignInRefused | None:
    """Count a sign-in attempt before its password is checked; a refusal says why, None lets it be checked.

    Per account, a lock: ``LOGIN_THROTTLE_LIMIT`` failures in ``LOGIN_THROTTLE_WINDOW`` refuse even the right
    password. The attempt is counted atomically before the (slow) password check and given back when the
    password is right, so a burst of guesses gets exactly the limit evaluated.
    Per address, a slow-down and never a lock: once ``LOGIN_ADDRESS_LIMIT`` failures came from one address in the
    window, it gets one evaluated attempt per ``LOGIN_ADDRESS_DELAY`` seconds. Right passwords are not counted,
    so colleagues behind one office address who sign in correctly never slow each other down.
    """
    failures, turn = _address_keys(request)
    window = settings.LOGIN_THROTTLE_WINDOW
    if counter_value(key=failures, now=now) >= settings.LOGIN_ADDRESS_LIMIT:
        take = counter_take(key=turn, limit=1, window=settings.LOGIN_ADDRESS_DELAY, now=now)
        if not take.allowed:
            return SignInRefused(ADDRESS_SLOWED_MESSAGE.format(seconds=take.retry_after), take.retry_after)
    take = counter_take(key=_account_key(username), limit=settings.LOGIN_THROTTLE_LIMIT, window=window, now=now)
    if not take.allowed:
        return SignInRefused(ACCOUNT_LOCKED_MESSAGE.format(minutes=-(-take.retry_after // 60)), take.retry_after)
    return None


def login_attempt_failed(request, *, now: datetime.datetime) -> None:
    """The password was wrong: the account keeps the attempt counted by ``login_attempt_begin``; the address
    counts a failure."""
    failures, _ = _address_keys(request)
    counter_add(key=failures, window=settings.LOGIN_THROTTLE_WINDOW, now=now)


def login_attempt_succeeded(request, username: str) -> None:
    """The password was right: the account's failures are forgotten."""
    counters_clear(keys=[_account_key(username)])


SESSION_EPOCH_KEY = "_account_epoch"


def account_epoch(user) -> int:
    """How many times ``user``'s account has been switched off (``SignInEpoch``)."""
    epoch = getattr(user, "session_epoch", None)
    if epoch is None:
        from organisation.models import SignInEpoch

        epoch = SignInEpoch.objects.filter(user_id=user.pk).values_list("epoch", flat=True).first() or 0
    return epoch


class AccountBackend(ModelBackend):
    """Django's model backend; the user it loads for a session carries the account's epoch, in the same query."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.annotate(session_epoch=Coalesce("sign_in_epoch__epoch", 0))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        """A model permission from the roles, as Django's backend gives it; with an object, the app's object rule
        (``organisation.policies``)."""
        if obj is None:
            return super().has_perm(user_obj, perm)
        from organisation.policies import object_permission

        return object_permission(user_obj, perm, obj)


def remember_account_epoch(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the new session belongs to the account's current epoch."""
    request.session[SESSION_EPOCH_KEY] = account_epoch(user)


def _user_of_current_epoch(request, user):
    if user.is_authenticated and request.session.get(SESSION_EPOCH_KEY, 0) != account_epoch(user):
        request.session.flush()
        return AnonymousUser()
    return user


class SessionEpochMiddleware:
    """End a session whose account was switched off after it signed in, even if switched on again since.

    Sits after AuthenticationMiddleware; the check runs when ``request.user`` is first read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: _user_of_current_epoch(request, user))
        return self.get_response(request)
