"""Sending in-site notifications exactly once, and their emails at least once.

``notify`` is idempotent: a (user, key) pair is stored at most once, guarded by a unique
constraint, so a job that runs twice (a retried task, a restarted cluster, a caught-up
schedule) cannot notify anyone twice. Put the day in the key for daily reminders
(``f"milestone-due:{milestone.pk}:{day.isoformat()}"``).

Task notices (待审批, 待评分, 待审核) carry the task they ask for; when anyone entitled does it, ``task_resolve``
marks the notice resolved for everyone who got it.

Email goes out from an outbox: ``notify`` marks the row, and ``send_pending_emails`` (a
scheduled job) sends and stamps it. A worker killed between sending and stamping may send an
email again; the in-site notification itself is never duplicated. Whether a person wants the email of a kind
of notice (待办, results about them, reminders: ``NotificationSettings``) is decided there too, when it would go.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organisation.addresses import site_url
from organisation.models import Notification, NotificationSettings

logger = logging.getLogger(__name__)


def email_enabled() -> bool:
    """Reminders also go by email when the site has an SMTP server configured (``EMAIL_HOST``)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def notify(
    *, user, key: str, kind: str, title: str, body: str = "", url: str = "", email: bool = False, task: str = ""
) -> bool:
    """Store a notification unless this user already has one with this key. Returns True when new.

    ``task`` names the piece of work the notice asks for (待审批, 待评分, 待审核); ``task_resolve`` closes every
    notice of it at once. A task notice whose key comes round again after it was resolved (the work came back:
    more essays handed in, a campaign submitted again) is reopened rather than sent twice.
    """
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
                task=task[:200],
            )
    except IntegrityError:
        if not task:
            return False
        return bool(
            Notification.objects.filter(user=user, key=key[:200], resolved_at__isnull=False).update(
                resolved_at=None,
                resolved_by=None,
                read_at=None,
                email_wanted=bool(email and user.email),
                emailed_at=None,
                title=title[:200],
                body=body,
                created_at=timezone.now(),
            )
        )
    return True


def notify_task(*, users, task: str, kind: str, title: str, body: str = "", url: str = "", email: bool = False) -> int:
    """Ask each of ``users`` to do ``task`` (one notice each, keyed by the task); returns how many were sent."""
    return sum(
        notify(user=user, key=task, task=task, kind=kind, title=title, body=body, url=url, email=email)
        for user in users
    )


def task_resolve(*, task: str, by=None, now) -> int:
    """The task is done (by ``by``, whoever of those asked did it): close its notice for everyone who got it."""
    return Notification.objects.filter(task=task, resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's own notifications read (all of them when no ids are given)."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# A notice that asks for a task is 待办 (``NotificationSettings.email_tasks``); one of these kinds tells a person a
# result about them (``email_decisions``): a campaign approved or returned, an essay graded, a result corrected,
# a training claim decided; every other notice is a reminder (``email_reminders``).
DECISION_KINDS = ("campaign", "exam_result", "exam_regraded", "external_decided")


def unwanted_email() -> Q:
    """Notices whose person has turned off the email of that kind on 我的账户."""
    settings_of = "user__notification_settings__"
    task, plain = ~Q(task=""), Q(task="")
    decision = Q(kind__in=DECISION_KINDS)
    return (
        (task & Q(**{f"{settings_of}email_tasks": False}))
        | (plain & decision & Q(**{f"{settings_of}email_decisions": False}))
        | (plain & ~decision & Q(**{f"{settings_of}email_reminders": False}))
    )


def notification_settings_update(*, user, email_tasks: bool, email_decisions: bool, email_reminders: bool):
    """Store which notices ``user`` also wants by email; the in-site notices come regardless."""
    choices, _ = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={"email_tasks": email_tasks, "email_decisions": email_decisions, "email_reminders": email_reminders},
    )
    return choices


def send_pending_emails(limit: int = 200) -> int:
    """Send the emails of notifications that want one; safe to run from several workers.

    An email its person has turned off by now is dropped, not kept back: turning it on again sends no old mail.
    """
    Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).filter(unwanted_email()).update(
        email_wanted=False
    )
    sent = 0
    # A task done before its email went out needs no email.
    pending = Notification.objects.filter(
        email_wanted=True, emailed_at__isnull=True, resolved_at__isnull=True
    ).select_related("user")
    for notification in pending.order_by("pk")[:limit]:
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=True, resolved_at__isnull=True
            ).update(emailed_at=timezone.now())
            if not claimed:
                continue  # another worker took it
            link = f"\n\n{site_url(notification.url)}" if notification.url else ""
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
