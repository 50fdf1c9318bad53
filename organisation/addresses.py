"""The site's public address: the one place every absolute URL is made from.

``SITE_URL`` (the setting ``WAGTAILADMIN_BASE_URL``, which Wagtail's own emails read too) is where
people reach the site: QR codes, feeds, calendars, certificates, robots.txt and emails link through
``site_url``. Wagtail builds page addresses (sitemap, canonical, ``og:url``) from its default Site
record, which every ``migrate`` sets from the same setting (``website.services.site_address_sync``).
``make run`` sets ``SITE_URL`` from ``HOST``/``PORT`` unless it is given.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url(path: str = "/") -> str:
    """``path`` (absolute, as ``reverse`` gives it) on the public address; full URLs pass unchanged."""
    if "://" in path or path.startswith("//"):
        return path  # already absolute (e.g. a file on another storage)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_hostname() -> str:
    """The public address's host name (calendar UIDs are made unique with it)."""
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
