"""The Content-Security-Policy's nonce where Django cannot pass the request: form widgets' templates.

django-csp puts a fresh nonce on each request (``request.csp_nonce``). Wagtail's admin still writes a few
inline scripts (the date and time choosers, inline panels); our copies of those templates carry the nonce
through ``{% csp_nonce %}``, which reads the request this middleware remembers for the current thread.
"""

from contextvars import ContextVar

_current_request = ContextVar("csp_request", default=None)


class CSPNonceRequestMiddleware:
    """Remember the request while its response is rendered; sits after django-csp's CSPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_nonce() -> str:
    request = _current_request.get()
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def nonce_wagtail_chooser_scripts() -> None:
    """Wagtail's chooser widgets (page, image, document, snippet and our question chooser) write their
    initialiser as ``{html}<script>{js}</script>`` in Python, where no template can add the nonce; the last
    ``<script>`` of their output, the one Wagtail wrote, gets it. Called once from ``OrganisationConfig.ready``.
    """
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "carries_csp_nonce", False):
        return
    wagtail_render = BaseChooser.render

    def render(self, name, value, attrs=None, renderer=None):
        html = str(wagtail_render(self, name, value, attrs=attrs, renderer=renderer))
        before, found, after = html.rpartition("<script>")
        if not found:
            return mark_safe(html)  # nosec B308 B703: Wagtail's own widget markup
        tag = format_html('<script nonce="{}">', current_nonce())
        return mark_safe(before + tag + after)  # nosec B308 B703: Wagtail's own widget markup and our tag

    render.carries_csp_nonce = True
    BaseChooser.render = render
