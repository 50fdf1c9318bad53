"""A cell as a spreadsheet stores it: cleaned, in local time, formula-like text kept as text."""

from organisation.text import text_clean

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Return a value a spreadsheet will show, never run: text that starts like a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def excel_value(value):
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return text_clean(value)
