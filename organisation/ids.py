"""Ids taken from a URL: past 64 bits they name no row, and SQLite cannot even compare them (a 500)."""

from django.http import Http404

MAX_ID = 2**63 - 1


def id_or_404(value: int) -> int:
    """``value`` when a row could have it as id; otherwise "not found" before any query is made."""
    if not 0 < value <= MAX_ID:
        raise Http404
    return value
