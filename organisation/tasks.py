from django.contrib.sessions.models import Session
from django.utils import timezone

from organisation.throttle import counters_expired_delete


def clear_expired_sessions() -> int:
    """Delete sessions and attempt counters past their expiry; safe to run any number of times."""
    now = timezone.now()
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    counters_expired_delete(now=now)
    return deleted
