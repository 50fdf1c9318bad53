"""Ids taken from a URL: past 64 bits they name no row, and SQLite cannot even compare them (a 500)."""

from django.http import Http404

MAX_ID = 2**63 - 1


def id_or_404(value: int) -> int:
    """``value`` when a row could have it as id; otherwise "not found" before any query is made."""
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def is_id(value) -> bool:
    """Whether ``value`` (text from a URL or a query string) could be a row's id.

    ``"²".isdigit()`` is true but ``int("²")`` fails, so the digits must be ASCII ones.
    """
    value = str(value)
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID
