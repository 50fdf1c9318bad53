from django.contrib.sessions.models import Session
from django.utils import timezone


def clear_expired_sessions() -> int:
    """Delete sessions past their expiry; safe to run any number of times."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
