"""Settings for the CCHC portal.

One module for every environment: development, tests and production differ
only through environment variables (see .env.example and the README table).
"""

import datetime as dt
import os
import sys
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.functional import lazy
from django_prose_editor.config import html_tags

from cchc_portal.web.csp import inline_script_hash

BASE_DIR = Path(__file__).resolve().parent.parent

# Everything the running site writes (embedded database, uploads, collected
# static files, the local secret key) lives under var/, outside the code tree.
VAR_DIR = BASE_DIR / "var"


def env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    """Read a comma-separated environment variable into a list."""
    return [
        item.strip() for item in os.environ.get(name, "").split(",") if item.strip()
    ]


def require_env(name: str, why: str) -> str:
    """Return a required variable or stop with one readable line (no traceback)."""
    value = os.environ.get(name, "").strip()
    if not value:
        sys.stderr.write(
            f"Cấu hình thiếu: biến môi trường {name} chưa được đặt ({why}). "
            f"Missing environment variable {name}: set it, or set DJANGO_DEBUG=1 "
            "for local development.\n"
        )
        raise SystemExit(2)
    return value


DEBUG = env_flag("DJANGO_DEBUG")

if DEBUG:
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "django-insecure-local-development-key-not-for-production"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "testserver",
    ]
else:
    SECRET_KEY = require_env(
        "DJANGO_SECRET_KEY", "production mode signs sessions with it"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [
        require_env("DJANGO_ALLOWED_HOSTS", "the host names this site answers to")
    ]

# Site served over HTTPS (normally behind a reverse proxy that sets
# X-Forwarded-Proto). On by default in production; `make run` turns it off
# because it serves plain HTTP on loopback.
HTTPS = env_flag("DJANGO_HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    # Django's admin on the portal's site (cchc_portal/web/admin_site.py).
    "cchc_portal.web.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # sitemap.xml templates (the views are in cchc_portal/web/sitemaps.py).
    "django.contrib.sitemaps",
    "django_filters",
    "django_prose_editor",
    "simple_history",
    "axes",
    "cchc_portal",
    "parindex",
    "news",
    # The task queue (Django 6.0's django.tasks, backported) on PostgreSQL:
    # the worker is `manage.py db_worker` (README, "Deploying").
    "django_tasks",
    "django_tasks_db",
    "cchc_portal.alerts",
]

MIDDLEWARE = [
    # The language of the page is its URL: English under /en/, else Vietnamese.
    # Outermost, because the page cache resolves the path (the route strings
    # are translated) to find which query parameters the page reads.
    "cchc_portal.web.language.URLLanguageMiddleware",
    # Anonymous pages from the shared cache, with the headers the stack below
    # gave them; a hit skips everything else (see cchc_portal/runtime/page_cache.py).
    "cchc_portal.runtime.page_cache.PageCacheMiddleware",
    # Scheduled drafts of live articles go out at their minute (no cron);
    # above the replica's, so that it reads and writes the primary.
    "news.drafts.ScheduledDraftsMiddleware",
    # Pages not served from the cache may read from the replica, if there is one.
    "cchc_portal.runtime.replica.ReadReplicaMiddleware",
    # Answers If-None-Match/If-Modified-Since with 304 for pages not cached.
    "django.middleware.http.ConditionalGetMiddleware",
    # Brotli/gzip for pages the page cache does not store (it compresses its
    # own once); below ConditionalGet so 304s compare the variant's ETag.
    "cchc_portal.runtime.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cchc_portal.web.middleware.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "cchc_portal.web.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Versions saved during a request record who saved them.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refuses NUL bytes and oversized bodies (unread: views read them later),
    # below every middleware that adds security headers to its answer.
    "cchc_portal.web.middleware.RequestSanityMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cchc_portal.web.context_processors.site",
                "news.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cchc_portal.wsgi.application"

# Database: DATABASE_URL, or the embedded PostgreSQL kept in var/pgdata. The
# embedded server starts when the first connection opens, not here: importing
# the settings has no side effects (cchc_portal/runtime/embedded_postgres/).
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
EMBEDDED_DATABASE = not DATABASE_URL
if EMBEDDED_DATABASE:
    DATABASES = {
        "default": {
            "ENGINE": "cchc_portal.runtime.embedded_postgres",
            "PGDATA": str(VAR_DIR / "pgdata"),
            "NAME": "cchc",
            "USER": "postgres",
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=600, conn_health_checks=True
        ),
    }

# Optional streaming replica for anonymous read-only pages
# (cchc_portal/runtime/replica.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=600, conn_health_checks=True
        ),
        # Tests run against one database: the replica alias mirrors it.
        "TEST": {"MIRROR": "default"},
    }
    # A replica that does not answer is skipped (pages read the primary):
    # give up connecting after a few seconds rather than hang the page.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASE_ROUTERS = ["cchc_portal.runtime.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: a shared Redis when REDIS_URL is set (several app servers see the same
# entries), otherwise this process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cchc",
            "OPTIONS": {
                # A Redis outage must slow the site down, not take it offline.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cchc-portal",
            # Pages (three encodings each) and the shared blocks they are
            # made of (runtime/blocks.py: a card per article and variant):
            # Django's default of 300 entries would cull hot pages.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }

_VALIDATORS = "django.contrib.auth.password_validation"
# Longest life of a cached anonymous page. Changes and scheduled publish times
# end it earlier (see cchc_portal/runtime/page_cache.py); 0 turns page caching off.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# Blocks many pages share (the PAR INDEX box, unit score cards, the menu's
# categories) are computed once per content generation and language, whether
# or not whole pages are stored (cchc_portal/runtime/blocks.py); 0 turns it off.
BLOCK_CACHE_SECONDS = int(os.environ.get("DJANGO_BLOCK_CACHE_SECONDS", "600"))
# X-Page-Cache: HIT/MISS on anonymous pages, for development, tests and the
# benchmark only: in production it would tell anyone what the cache holds.
PAGE_CACHE_HEADER = env_flag("DJANGO_PAGE_CACHE_HEADER", default=DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

# Internationalisation: the interface speaks Vietnamese, times are Hanoi time.
# The English edition lives under /en/ (cchc_portal/web/language.py): the URL
# alone picks the language, so every page stays cacheable and shareable.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy HH:MM and the Vietnamese decimal comma (see cchc_portal/formats/vi).
FORMAT_MODULE_PATH = ["cchc_portal.formats"]
# The project's catalogues: Vietnamese for the admin strings Django and the
# admin's add-ons leave in English, English for the shared public templates
# (news/ and parindex/ carry their own). `make install` compiles them.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Made by collectstatic; until then (tests, development) files come from the
# finders and the static-files middleware skips the missing folder.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Serve MEDIA_URL from the app (django.views.static.serve). On by default so
# `make run` (gunicorn, no proxy) shows uploaded images; turn it off when the
# reverse proxy serves /media/ from DJANGO_MEDIA_ROOT.
SERVE_MEDIA = env_flag("DJANGO_SERVE_MEDIA", default=True)
# Uploads kept while their form is corrected (news/pending_uploads.py): raw
# files, never served; shared by all app servers like DJANGO_MEDIA_ROOT.
PENDING_UPLOAD_ROOT = Path(
    os.environ.get("DJANGO_PENDING_UPLOAD_ROOT", VAR_DIR / "pending-uploads")
)


def _static_url(path: str) -> str:
    from django.templatetags.static import static

    return static(path)


# The body editor's own extensions (news/html.py): library images named by
# id, pastes cleaned by the server (news/paste.py) and internal links
# (news/internal_links.py). Their scripts are
# loaded by the editor; the sanitiser is news.html's own.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(_static_url, str)("js/admin/library-image.js")],
        "extensions": {
            "LibraryImage": html_tags(["figure"], {"figure": ["data-image"]})
        },
    },
    {
        "js": [lazy(_static_url, str)("js/admin/paste-cleaning.js")],
        "extensions": {"PasteCleaning": html_tags([])},
    },
    {
        "js": [lazy(_static_url, str)("js/admin/internal-link.js")],
        "extensions": {"InternalLink": html_tags([])},
    },
]

# The hashed, pre-compressed manifest storage needs `collectstatic`, so it is an
# explicit production switch and never tied to DEBUG: tests run without it.
STATIC_MANIFEST = env_flag("DJANGO_STATIC_MANIFEST")


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# Security. HTTPS-only settings follow DJANGO_HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is probed by load balancers over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy: nothing inline except the one pre-paint script,
# allowed by its hash; no third-party origins (except, when DJANGO_ZALO_OA_ID
# is set, Zalo's share SDK on article pages: cchc_portal.web.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [
            SELF,
            inline_script_hash(BASE_DIR / "static/js/text-size-init.js"),
            # Only on pages that ask for one (the admin's rich-text editor
            # import map); public pages keep one cacheable header.
            NONCE,
        ],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Request bodies: form fields in memory up to 5 MB; anything above
# MAX_REQUEST_BODY_SIZE (uploads included) is refused with 413 unread.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_REQUEST_BODY_SIZE = 25 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LOGIN_URL = "admin:login"
# Where a login or a logout lands when it has no `next` or one that is refused
# (another site): real pages, not Django's /accounts/profile/ (404) or the
# logout URL itself (405 to a GET). Logging out is a POST form in the admin.
LOGIN_REDIRECT_URL = "admin:index"
LOGOUT_REDIRECT_URL = "admin:login"

# Login protection (django-axes). Failed logins are counted in the database, so
# every app server sees them whatever the cache, and the count never reaches
# the anonymous page cache (logins are POSTs). After AXES_FAILURE_LIMIT
# failures for one user name from one address, that pair is refused for
# AXES_COOLOFF_TIME: colleagues behind the same office address keep working,
# and nobody elsewhere can lock an editor out by guessing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cchc_portal.web.login_protection.locked_out"
AXES_CLIENT_IP_CALLABLE = "cchc_portal.web.login_protection.client_ip"
# No start-up banner on every manage.py command; lockouts are still logged.
AXES_VERBOSE = False
# Reverse proxies in front of the app that append the client address to
# X-Forwarded-For. 0: use the connection's address (no proxy).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))

# Error reports. Every unhandled error (a 500) is logged at ERROR by the
# "django.request" logger, traceback included, to standard error (gunicorn's
# log, the journal): that is the hook a log collector reads. With
# DJANGO_ADMINS set, each one is also mailed to those people through the
# EMAIL_* mail settings. The 500 page says which of the two happened.
ADMINS = [parseaddr(address) for address in env_list("DJANGO_ADMINS") if "@" in address]
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "cchc-portal@localhost")

# Outgoing mail: EMAIL_URL (smtp://user:password@host:587 with STARTTLS,
# smtps://… for TLS from the start), or the usual EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS. With neither, mails are
# written as files to var/mail/ (Django's file backend; nothing leaves the
# machine). The file backend makes the folder when it first writes.
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
if EMAIL_URL:
    _mail = urlsplit(EMAIL_URL)
    if _mail.scheme not in {"smtp", "smtps", "smtp+tls", "smtp+ssl"}:
        sys.stderr.write(
            f"Cấu hình sai: EMAIL_URL phải bắt đầu bằng smtp:// hoặc smtps:// "
            f"(EMAIL_URL must be smtp:// or smtps://, not {_mail.scheme}://).\n"
        )
        raise SystemExit(2)
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_USE_SSL = _mail.scheme in {"smtps", "smtp+ssl"}
    EMAIL_PORT = _mail.port or (465 if EMAIL_USE_SSL else 587)
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    # smtp:// upgrades with STARTTLS unless ?tls=0 (a relay on loopback).
    EMAIL_USE_TLS = not EMAIL_USE_SSL and "tls=0" not in _mail.query
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    if not EMAIL_URL:
        EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
        EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
        EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
        EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Cổng thông tin CCHC <no-reply@localhost>"
)
# Base of the links in mails (a worker has no request to take it from);
# List-Unsubscribe needs HTTPS. Default: https:// and the first allowed host.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/") or (
    f"https://{ALLOWED_HOSTS[0]}"
)

# Zalo share button on article pages: the id of the portal's Zalo Official
# Account, which Zalo's share plugin requires (it has no script-free share
# URL). Empty: no Zalo control, no Zalo script, no Zalo source in the CSP.
ZALO_OA_ID = os.environ.get("DJANGO_ZALO_OA_ID", "").strip()
if ZALO_OA_ID and not ZALO_OA_ID.isdigit():
    sys.stderr.write(
        "Cấu hình sai: DJANGO_ZALO_OA_ID phải là mã số của Zalo Official Account "
        f"(chỉ gồm chữ số), không phải {ZALO_OA_ID!r}. DJANGO_ZALO_OA_ID must be "
        "the numeric Zalo Official Account id, or empty.\n"
    )
    raise SystemExit(2)

# Task queue: the database backend (several workers on several servers share
# it safely: each task is claimed under a row lock).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# E-mail alerts (cchc_portal/alerts/): deliveries per send_batch task, the
# local hour of the daily digest, and how long a running task may go silent
# before the minute tick takes its worker for dead and queues its work again.
ALERTS_BATCH_SIZE = 500
ALERTS_DIGEST_HOUR = 7
ALERTS_STALE_AFTER = int(os.environ.get("DJANGO_ALERTS_STALE_AFTER", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Sends nothing while ADMINS is empty.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        # Errors reach the console through the root logger, and the admins.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # pgserver logs every start/attach at INFO.
        "pgserver": {"level": "WARNING"},
        # axes logs every successful login at INFO (kept in its AccessLog
        # table anyway); failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Portal identity, shown in the layout and in feeds.
SITE_NAME = "Cổng thông tin Cải cách hành chính"
# The meta description of pages that do not write their own.
SITE_DESCRIPTION = (
    "Tin tức cải cách hành chính và Chỉ số CCHC (PAR INDEX) của các bộ, ngành và "
    "tỉnh, thành phố."
)
SITE_CONTACT = {
    "agency": "Cơ quan chủ quản: Bộ Nội vụ (dữ liệu minh họa)",
    "address": "Số 8 Tôn Thất Thuyết, Nam Từ Liêm, Hà Nội",
    "email": "cchc@example.gov.vn",
    "phone": "024 0000 0000",
}
# The same in the English edition (/en/); phone and e-mail are shared.
SITE_NAME_EN = "Public Administration Reform Portal"
SITE_DESCRIPTION_EN = (
    "Public administration reform news and the PAR INDEX of Viet Nam's "
    "ministries, ministerial agencies and provinces."
)
SITE_CONTACT_EN = {
    **SITE_CONTACT,
    "agency": "Governing agency: Ministry of Home Affairs (illustrative data)",
    "address": "8 Ton That Thuyet, Nam Tu Liem, Ha Noi",
}
