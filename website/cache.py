"""The anonymous page cache: whole responses for visitors, cleared whenever published content changes.

A visitor without a session (nobody signed in, no password-protected page unlocked, no pending
message) asking for a public page gets the stored response without touching the database. Only
responses that opted in are stored (Wagtail pages that are not staff-only mark the request in a
``before_serve_page`` hook; the feed and sitemap mark themselves), and only when they set no
cookie, used no CSRF token and are a plain 200.

Clearing is by generation: every key carries the current generation number as its cache
version, and ``page_cache_clear()`` moves to a new one, so all stored pages go at once. Publishing
is rare next to reading, and a page shows other content (listings, related explainers, quoted
articles, the home page's panels), so clearing everything is both simple and never stale.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "website:page-cache:generation"
SKIP_PREFIXES = ("/admin/", "/documents/", "/accounts/", "/me/", "/static/", "/media/")
MAX_QUERY_CHARS = 200
STORED_HEADERS = ("Content-Type", "Content-Language", "Link")


def mark_cacheable(request) -> None:
    request._website_page_cacheable = True


def page_cache_clear() -> None:
    """Drop every stored page (call it when something a public page shows has changed)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Evicted or never set: start a new generation, so nothing older can come back.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY, 0)
    return generation


def _key(request) -> str:
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"website:page:{digest}"


def _request_may_use_cache(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(SKIP_PREFIXES):
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_CHARS:
        return False
    # A session may mean a signed-in person or an unlocked private page; messages are personal.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _response_may_be_stored(request, response) -> bool:
    return bool(
        getattr(request, "_website_page_cacheable", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not (hasattr(request, "user") and request.user.is_authenticated)
    )


class AnonymousPageCacheMiddleware:
    """Serve and store public pages for visitors without a session (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "WEBSITE_PAGE_CACHE_SECONDS", 600)

    def __call__(self, request):
        if not self.timeout or not _request_may_use_cache(request):
            return self.get_response(request)
        generation = _generation()
        key = _key(request)
        stored = cache.get(key, version=generation)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _response_may_be_stored(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), self.timeout, version=generation)
            response["X-Page-Cache"] = "miss"
        return response
