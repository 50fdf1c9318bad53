import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from organisation.csp import current_nonce

register = template.Library()

INLINE_SCRIPT = re.compile(r"<script(?=[\s>])(?![^>]*\bsrc=)")


@register.simple_tag
def csp_nonce() -> str:
    """The current response's nonce, for ``<script nonce="{% csp_nonce %}">``."""
    return current_nonce()


@register.filter
def with_csp_nonce(html):
    """Put the nonce on the inline scripts of a trusted template's own block (``{{ block.super|with_csp_nonce }}``).

    Only for markup a template wrote: values inside it are escaped, so no visitor's text can become a script tag.
    """
    nonce = current_nonce()
    return mark_safe(INLINE_SCRIPT.sub(lambda match: str(format_html('<script nonce="{}"', nonce)), str(html)))  # nosec B308 B703: a trusted template's markup
