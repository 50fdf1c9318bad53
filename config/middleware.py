from django.http import HttpResponseBadRequest, QueryDict


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
