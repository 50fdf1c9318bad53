"""Sending in-site notifications exactly once, and their emails at least once.

``notify`` is idempotent: a (user, key) pair is stored at most once, guarded by a unique
constraint, so a job that runs twice (a retried task, a restarted cluster, a caught-up
schedule) cannot notify anyone twice. Put the day in the key for daily reminders
(``f"milestone-due:{milestone.pk}:{day.isoformat()}"``).

Email goes out from an outbox: ``notify`` marks the row, and ``send_pending_emails`` (a
scheduled job) sends and stamps it. A worker killed between sending and stamping may send an
email again; the in-site notification itself is never duplicated.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.models import Notification

logger = logging.getLogger(__name__)


def email_enabled() -> bool:
    """Reminders also go by email when the site has an SMTP server configured (``EMAIL_HOST``)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def notify(*, user, key: str, kind: str, title: str, body: str = "", url: str = "", email: bool = False) -> bool:
    """Store a notification unless this user already has one with this key. Returns True when new."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=user,
                key=key[:200],
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:500],
                email_wanted=bool(email and user.email),
            )
    except IntegrityError:
        return False
    return True


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's own notifications read (all of them when no ids are given)."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def send_pending_emails(limit: int = 200) -> int:
    """Send the emails of notifications that want one; safe to run from several workers."""
    sent = 0
    pending = Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).select_related("user")
    for notification in pending.order_by("pk")[:limit]:
        with transaction.atomic():
            claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue  # another worker took it
            link = f"\n\n{settings.WAGTAILADMIN_BASE_URL}{notification.url}" if notification.url else ""
            try:
                send_mail(
                    notification.title,
                    notification.body + link,
                    settings.DEFAULT_FROM_EMAIL,
                    [notification.user.email],
                )
            except OSError:
                logger.warning("email for notification %s failed; will retry", notification.pk)
                transaction.set_rollback(True)
                continue
        sent += 1
    return sent
