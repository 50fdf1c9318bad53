"""Formatting the figures' numbers for people: no trailing zeros, "—" where there is no value."""

import math

from django import template

register = template.Library()


def _missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


@register.filter
def num(value):
    """12.50 → 12.5, 40.0 → 40, None or NaN → —."""
    if _missing(value):
        return "—"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


@register.filter
def pct(value):
    """73.7 → 73.7%, None or NaN → —."""
    if _missing(value):
        return "—"
    return f"{num(value)}%"


@register.filter
def status_class(status):
    return {"已达标": "status-ok", "落后": "status-bad", "进行中": "status-warn"}.get(status, "")


@register.simple_tag
def query(filters, **extra):
    """The filters' query string with ``extra`` parameters, for links that keep the filters."""
    return filters.query(**extra)
