from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """Seconds as a countdown: 1:05:09 or 45:09."""
    seconds = max(int(seconds or 0), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@register.filter
def points(value) -> str:
    """A score without trailing zeros: 2, 1.5, 87.25."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}"
