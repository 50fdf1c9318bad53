"""Test settings: the same site, with a fast hasher, an in-process cache and jobs run inline."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("VAR_DIR", str(Path(tempfile.gettempdir()) / "pufa-test-var"))

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, Q_CLUSTER

if "demo" not in INSTALLED_APPS:  # the demo's seed_demo, which the demo and journey tests run
    INSTALLED_APPS = [
        *INSTALLED_APPS[: INSTALLED_APPS.index("oversight") + 1],
        "demo",
        *INSTALLED_APPS[INSTALLED_APPS.index("oversight") + 1 :],
    ]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pufa-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pufa-test-private-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client's host, unless a test serves the site on a real port (tests/live.py sets SITE_URL as make run does).
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://testserver").rstrip("/")
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="pufa-test-static-"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
