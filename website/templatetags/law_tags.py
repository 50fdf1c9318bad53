from django import template

register = template.Library()


@register.filter
def note_for(notes: dict, anchor: str) -> str:
    """The change note of the article at ``anchor`` (``本条于 2024 年修订``), or an empty string."""
    return notes.get(anchor, "") if notes else ""
