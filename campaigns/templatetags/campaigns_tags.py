from django import template
from django.utils import timezone

from organisation.models import display_name

register = template.Library()


@register.filter
def person(user, empty="未指定"):
    """A user's real name (their staff profile's) or ``empty`` when there is nobody."""
    return display_name(user) if user else empty


@register.filter
def until(event) -> str:
    """When an event ends, after its start: "16:30", or "6月20日 17:00" when it runs into a later day."""
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{end:%H:%M}"
    year = f"{end.year}年" if end.year != start.year else ""
    return f"{year}{end.month}月{end.day}日 {end:%H:%M}"


@register.filter
def day_label(moment) -> str:
    """A day as visitors read it in a list: "4月26日" this year, "2027年4月26日" in another."""
    day = timezone.localtime(moment)
    year = f"{day.year}年" if day.year != timezone.localdate().year else ""
    return f"{year}{day.month}月{day.day}日"
