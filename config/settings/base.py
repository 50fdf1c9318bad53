"""Settings read from the environment, with defaults that make one machine just work.

Every variable is listed in the README's table. Unset, the site runs on a SQLite
file and the django-q ORM broker in ``var/``; with ``DATABASE_URL`` it runs on
PostgreSQL, and ``REDIS_URL`` puts the cache on Redis.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config.settings.environment import admins, env_bool, env_list, secret_key, storage
from config.settings.startup import refuse_unsafe_start, report_errors_to_sentry

BASE_DIR = Path(__file__).resolve().parent.parent.parent


VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
# Host names that reach only this machine: with nothing else in ALLOWED_HOSTS the site is a local one.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}
IS_LOCAL = all(host in LOCAL_HOSTS for host in ALLOWED_HOSTS)


SECRET_KEY = secret_key(var_dir=VAR_DIR, base_dir=BASE_DIR)
ADMINS = admins()
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps, in dependency order: each may import only the ones above it.
    "organisation",
    "website",
    "learning",
    "campaigns",
    "oversight",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]
if env_bool("DEMO"):  # `make run` sets it: the demo's seed_demo command (demo/), never in production
    INSTALLED_APPS.insert(INSTALLED_APPS.index("oversight") + 1, "demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "organisation.csp.CSPNonceRequestMiddleware",
    "config.middleware.NulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.UnsafeTextMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "organisation.security.SessionEpochMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "organisation.errors.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.AdminPreviewFrameMiddleware",
    # Inside the header-setting middleware above, so a stored page still gets every header.
    "website.cache.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
# How long a public page stays in the anonymous page cache; publishing clears it at once. 0 turns it off.
WEBSITE_PAGE_CACHE_SECONDS = int(os.environ.get("WEBSITE_PAGE_CACHE_SECONDS", "600"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "organisation.context_processors.site_context",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SQLITE_OPTIONS = {
    # Writers take the lock when their transaction begins and wait for it,
    # instead of failing half-way with "database is locked".
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
    ),
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A SQLite file named by URL (sqlite:////srv/pufa.sqlite3) gets the same concurrency settings.
        DATABASES["default"].update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False, OPTIONS=dict(SQLITE_OPTIONS))
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set; otherwise files in var/, shared by every process
# on the machine (web workers and qcluster), so clearing the page cache reaches them all.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "pufa"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Background jobs: django-q2 with the queue in the database, also when REDIS_URL is set. The ORM
# broker keeps a task until its worker acknowledges it and hands it out again after ``retry``
# seconds, so a worker killed mid-job loses nothing; django-q2's Redis broker has no receipts and
# drops the task (tests/reliability/test_job_cluster.py). Several clusters may share the queue:
# each task is locked by the one that takes it.
# catch_up is off on purpose: after downtime a schedule runs once, not once per missed slot;
# every job is idempotent per day, so one run covers the gap. timeout < retry, so a task
# is re-run only after its first run is surely dead.
Q_CLUSTER = {
    "name": "pufa",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "catch_up": False,
    "ack_failures": True,
    "save_limit": 1000,
    "queue_limit": 50,
    "label": "后台任务",
    "orm": "default",
    "poll": 1,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The model backend, whose session user carries the account's epoch (organisation.security).
AUTHENTICATION_BACKENDS = ["organisation.security.AccountBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Sign-in throttle (organisation.security): an account is locked after LOGIN_THROTTLE_LIMIT failures within
# LOGIN_THROTTLE_WINDOW seconds; a client address with LOGIN_ADDRESS_LIMIT failures in the window is slowed to
# one evaluated attempt per LOGIN_ADDRESS_DELAY seconds (never locked: right passwords are not counted).
LOGIN_THROTTLE_LIMIT = int(os.environ.get("LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_WINDOW = int(os.environ.get("LOGIN_THROTTLE_WINDOW", "900"))
LOGIN_ADDRESS_LIMIT = int(os.environ.get("LOGIN_ADDRESS_LIMIT", "20"))
LOGIN_ADDRESS_DELAY = int(os.environ.get("LOGIN_ADDRESS_DELAY", "5"))
SESSION_COOKIE_AGE = 60 * 60 * 12
# How many proxies of ours (load balancer, nginx) append to X-Forwarded-For; 0 = trust none.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# The public quiz (知识竞答): hand-ins allowed per client address within QUIZ_IP_WINDOW seconds
# (raise it for an event where many people share one Wi-Fi), the least seconds between opening
# the form and handing it in, and how long a form stays valid.
QUIZ_IP_LIMIT = int(os.environ.get("QUIZ_IP_LIMIT", "30"))
QUIZ_IP_WINDOW = int(os.environ.get("QUIZ_IP_WINDOW", "3600"))
QUIZ_MIN_FILL_SECONDS = int(os.environ.get("QUIZ_MIN_FILL_SECONDS", "10"))
QUIZ_FORM_MAX_AGE = int(os.environ.get("QUIZ_FORM_MAX_AGE", "7200"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our translations of the admin's English: strings Wagtail and Django ship without a zh_Hans translation.
# Listed first, so they also win over an app's own catalogue (make test checks the compiled .mo is current).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Serve public media from Django when no web server or object store does it: on by default only on
# a local machine or with DEBUG; a public site sets SERVE_MEDIA=1 on purpose.
SERVE_MEDIA = env_bool("SERVE_MEDIA", IS_LOCAL or DEBUG)
# Files that only their owner and reviewers may read (certificates of external training, group-study materials
# and photos, question files waiting for their import to be confirmed): served only by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))


# Two aliases: "default" holds public media (Wagtail's images and documents, served at MEDIA_URL) and "private"
# what only permission-checked views read (django.core.files.storage.storages["private"]). Both are the file
# system unless MEDIA_STORAGE_BACKEND / PRIVATE_MEDIA_STORAGE_BACKEND name another class (README: object storage).
STORAGES = {
    "default": storage("MEDIA_STORAGE", {"BACKEND": "django.core.files.storage.FileSystemStorage"}),
    "private": storage(
        "PRIVATE_MEDIA_STORAGE",
        {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        },
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest spreadsheet or question file an importer accepts, and how far it may inflate.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024)))
IMPORT_MAX_COMPRESSION_RATIO = 100

# Email: console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "465"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pufa@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS: on behind a TLS-terminating proxy in production.
HTTPS = env_bool("HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy on every response (django-csp): scripts only from our own origin or carrying the
# response's nonce (Wagtail's few inline admin scripts, organisation.csp). Styles allow inline `style`
# attributes, which Wagtail's admin and our progress bars use and which a nonce cannot cover. Video embeds from
# other sites need their origins in CSP_FRAME_SOURCES (e.g. https://player.bilibili.com).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "frame-src": [SELF, *env_list("CSP_FRAME_SOURCES")],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own "django" logger (kept: nothing here replaces it) mails every server error (500), with
    # its traceback, to ADMINS when DEBUG is off; "django-q" does the same for a job that failed in the
    # cluster (tests/test_settings.py).
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django-q": {"handlers": ["mail_admins"], "level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "jieba": {"level": "WARNING"},
    },
}
# Errors also go to Sentry when SENTRY_DSN is set; sentry-sdk is not a dependency: the operator who sets the DSN
# installs it (pip install sentry-sdk), and a node with the DSN but without the package refuses to start.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "文广旅普法学法平台")
# The bureau's name: the author of the documents the platform writes (the annual report's properties).
BUREAU_NAME = os.environ.get("BUREAU_NAME", "市文化广电旅游局")
# The public address (SITE_URL): every absolute URL is made from it by organisation.addresses.site_url, and
# Wagtail's admin emails read it under this name. `make run` sets it from HOST/PORT (bin/site-url).
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Everyone works in Beijing time: no time-zone picker (a list of 600 English zone names) in the account settings.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
WAGTAIL_WORKFLOW_ENABLED = True
# Wagtail 8 autosaves an edit form half a second after any change, and typing the 法制审核 reviewer's
# comment into the workflow modal counts as one: right after approving, the reviewer's page saved its
# stale copy of the page again, leaving a draft on top of the approved version or, when the two requests
# crossed, putting the page back to not live although its history says published. Explicit saves only.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: it would learn a hash of every admin's e-mail, is unreachable from many offices
# and is outside the Content-Security-Policy.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend (SQLite FTS5 / PostgreSQL) with jieba word segmentation for Chinese.
    "default": {"BACKEND": "website.search_backend"},
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "odt", "ods", "mp4", "webm", "m4v"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"},
}
WAGTAILADMIN_USER_LOGIN_FORM = "organisation.forms.AdminSignInForm"
# Pages with a "login" view restriction (the course catalogue) send visitors to our own sign-in page.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"


refuse_unsafe_start(
    is_local=IS_LOCAL,
    debug=DEBUG,
    allowed_hosts=ALLOWED_HOSTS,
    secret_key=SECRET_KEY,
    sentry_dsn=SENTRY_DSN,
    storages=STORAGES,
)
if SENTRY_DSN:
    report_errors_to_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
