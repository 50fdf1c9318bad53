"""``/healthz``: 200 when the database and the queue broker answer, 503 when either does not."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _check_broker() -> dict:
    from django_q.brokers import get_broker

    broker = get_broker()
    # The ORM broker's ping() always says yes, so ask it something that touches its table.
    broker.ping()
    return {"ok": True, "broker": broker.info(), "queued": broker.queue_size()}


@never_cache
@require_GET
def healthz(request):
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure to reach a dependency is a failed check
            logger.warning("health check %s failed: %s", name, exc)
            checks[name] = {"ok": False, "error": exc.__class__.__name__}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
