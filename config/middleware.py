from django.http import HttpResponseBadRequest, QueryDict
from django.utils.cache import add_never_cache_headers

from organisation.text import UNSAFE_CHARACTERS, text_clean


class AdminPreviewFrameMiddleware:
    """Let Wagtail's editor show its live preview in a same-origin frame.

    The site sends ``X-Frame-Options: DENY`` everywhere else; only the admin's preview
    responses, which the editor itself frames, are relaxed to SAMEORIGIN.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "/preview/" in request.path:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class NulMiddleware:
    """Take NUL characters out of query parameters, and answer 400 to a path that holds one.

    No link or form of the site produces a NUL, and PostgreSQL cannot store or even compare text that
    holds one: a view passing ``?domain=%00`` to a query failed with a 500. In a query string it is
    junk to drop, as the search box drops other control characters; Django's form fields already
    refuse it in posted data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest(
                "网址中含有无效字符（NUL）。".encode(), content_type="text/plain; charset=utf-8"
            )
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class UnsafeTextMiddleware:
    """Strip control and bidi characters (``organisation.text``) from every posted form value, ours and the
    Wagtail admin's alike, so no form can store text that breaks an export or reads backwards.

    NUL is left in place for Django's form fields to refuse, as they always have.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and _is_form(request):
            try:
                posted = request.POST
            except OSError:  # the client went away mid-upload: Django's CSRF check answers that
                return self.get_response(request)
            if any(UNSAFE_CHARACTERS.search(key + "".join(values)) for key, values in posted.lists()):
                cleaned = QueryDict(mutable=True)
                for key, values in posted.lists():
                    cleaned.setlist(_keep_nul_clean(key), [_keep_nul_clean(value) for value in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)


def _is_form(request) -> bool:
    return request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}


def _keep_nul_clean(value: str) -> str:
    return "\x00".join(text_clean(part) for part in value.split("\x00"))


class PrivatePagesMiddleware:
    """Signed-in pages say ``Cache-Control: private, no-store`` (Django's never-cache headers): a record, an exam
    or an export shown to one person must not be kept by a shared proxy, nor by the browser for the next person
    at a shared office computer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
