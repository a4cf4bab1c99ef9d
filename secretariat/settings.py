"""Django settings, read from environment variables (12-factor).

Defaults are the safe production ones: DEBUG off, a secret key required, secure cookies,
HSTS and a strict content security policy. The embedded default database is SQLite under
``var/``; set ``DATABASE_URL`` for PostgreSQL.
"""

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SECRETARIAT_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("SECRETARIAT_DEBUG", False)
# Plain-HTTP serving is only for a laptop demo or a test server behind nothing.
HTTPS = env_flag("SECRETARIAT_HTTPS", not DEBUG)

SECRET_KEY = os.environ.get("SECRETARIAT_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRETARIAT_SECRET_KEY must be set when SECRETARIAT_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = [h for h in os.environ.get("SECRETARIAT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_celery_beat",
    "secretariat.core",
    "secretariat.content",
    "secretariat.finance",
    "secretariat.budget",
    "secretariat.servicedesk",
    "secretariat.continuity",
    "secretariat.web",
    "secretariat.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "secretariat.core.request_limits.RequestLimitMiddleware",  # before anything reads the body (CSRF)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "secretariat.core.request_context.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "secretariat.core.sessions.SessionTimeoutMiddleware",
    "secretariat.core.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "secretariat.urls"
WSGI_APPLICATION = "secretariat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "secretariat.web.navigation.main_navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'secretariat.sqlite3'}"),
        conn_max_age=int(os.environ.get("SECRETARIAT_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers up front, so a read-check-write service (the
    # audit chain's seal, balances) never races another writer; WAL lets readers proceed meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SECRETARIAT_TEST_DB_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity -------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

AXES_FAILURE_LIMIT = int(os.environ.get("SECRETARIAT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SECRETARIAT_LOCKOUT_HOURS", "0.5"))
# A username locks from the address that failed, so a stranger cannot lock a known user out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "secretariat.web.views.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "secretariat.core.request_context.client_ip"
AXES_VERBOSE = False

# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
SECRETARIAT_TRUSTED_PROXIES = [
    ipaddress.ip_network(address.strip(), strict=False)
    for address in os.environ.get("SECRETARIAT_TRUSTED_PROXIES", "").split(",") if address.strip()
]

OTP_TOTP_ISSUER = "Secretariat"
# Superusers and holders of a privileged role must sign in with a second factor; until they
# have one they reach only these pages (the first is where they are sent to enrol).
SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR = True
SECRETARIAT_SECOND_FACTOR_OPEN_URLS = ["web:two_factor", "web:logout"]

# Sessions end after this long without a request, and this long after sign-in at the latest;
# privileged users get the shorter pair.
SECRETARIAT_SESSION_IDLE_MINUTES = int(os.environ.get("SECRETARIAT_SESSION_IDLE_MINUTES", "60"))
SECRETARIAT_SESSION_ABSOLUTE_HOURS = float(os.environ.get("SECRETARIAT_SESSION_ABSOLUTE_HOURS", "12"))
SECRETARIAT_PRIVILEGED_SESSION_IDLE_MINUTES = int(os.environ.get("SECRETARIAT_PRIVILEGED_SESSION_IDLE_MINUTES", "15"))
SECRETARIAT_PRIVILEGED_SESSION_ABSOLUTE_HOURS = float(
    os.environ.get("SECRETARIAT_PRIVILEGED_SESSION_ABSOLUTE_HOURS", "8"))
SESSION_COOKIE_AGE = int(max(SECRETARIAT_SESSION_ABSOLUTE_HOURS, SECRETARIAT_PRIVILEGED_SESSION_ABSOLUTE_HOURS) * 3600)

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "secretariat.api.problems.csrf_failure"  # problem+json under /api/
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_flag("SECRETARIAT_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "secretariat" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files: front-end packages come from npm (node_modules), never a CDN -------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Source maps are large and only fetched by developer tools: serving them uncompressed keeps
# collectstatic fast.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz",
                                       "xz", "br", "swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi",
                                       "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map")

# --- Request size ---------------------------------------------------------------------------
# Bodies larger than these are refused from their Content-Length before they are read
# (core/request_limits.py): uploads (multipart) up to SECRETARIAT_MAX_REQUEST_MB, any other body
# up to DATA_UPLOAD_MAX_MEMORY_SIZE. Uploaded files above FILE_UPLOAD_MAX_MEMORY_SIZE are
# streamed to a temporary file rather than held in memory.
SECRETARIAT_MAX_REQUEST_MB = int(os.environ.get("SECRETARIAT_MAX_REQUEST_MB", "60"))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("SECRETARIAT_MAX_BODY_MB", "2.5")) * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "secretariat.api.authentication.ApiTokenAuthentication",
        "secretariat.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "secretariat.api.authentication.AnonymousClientThrottle",
        "secretariat.api.authentication.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("SECRETARIAT_API_RATE_ANONYMOUS", "60/minute"),
        "user": os.environ.get("SECRETARIAT_API_RATE_USER", "1200/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "secretariat.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "secretariat.api.problems.problem_exception_handler",
    "PAGE_SIZE": 50,
}
# API tokens (django-rest-knox): stored as hashes, each with an expiry its owner may shorten.
KNOX_TOKEN_MODEL = "api.ApiToken"
# knox's own migrations create its default token table even when the model is swapped out; an
# unmigrated app creates nothing for a swapped model, so no stray table holds users down.
MIGRATION_MODULES = {"knox": None}
SECRETARIAT_API_TOKEN_DAYS = int(os.environ.get("SECRETARIAT_API_TOKEN_DAYS", "30"))
SECRETARIAT_API_TOKEN_MAX_DAYS = int(os.environ.get("SECRETARIAT_API_TOKEN_MAX_DAYS", "90"))
REST_KNOX = {"TOKEN_TTL": timedelta(days=SECRETARIAT_API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Secretariat API",
    "DESCRIPTION": "Organisation, people, access, delegations of authority and the audit trail.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "secretariat.api.schema.document_problems",
                             "secretariat.api.schema.describe_times_of_day"],
}

# --- Background work -----------------------------------------------------------------------
# Without a broker (the embedded default and tests) tasks run eagerly, in the caller's process.
CELERY_BROKER_URL = os.environ.get("SECRETARIAT_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = "SECRETARIAT_BROKER_URL" not in os.environ
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Long work (OCR) never runs inside a request: without a broker it runs in a local worker process.
CONTENT_LOCAL_WORKER = CELERY_TASK_ALWAYS_EAGER

# --- Service desk -----------------------------------------------------------------------------
# Mailbox passwords live here, never in the database, as JSON keyed by secret name; each
# mail channel names its entry (docs/servicedesk.md, ADR 0024).
SECRETARIAT_MAILBOX_SECRETS = json.loads(os.environ.get("SECRETARIAT_MAILBOX_SECRETS", "{}"))
SECRETARIAT_SERVICEDESK_REOPEN_DAYS = int(os.environ.get("SECRETARIAT_SERVICEDESK_REOPEN_DAYS", "10"))
SECRETARIAT_SERVICEDESK_AUTO_CLOSE_DAYS = int(os.environ.get("SECRETARIAT_SERVICEDESK_AUTO_CLOSE_DAYS", "5"))
# The address people use to reach the platform, for links in mail (survey invitations).
SECRETARIAT_PUBLIC_URL = os.environ.get("SECRETARIAT_PUBLIC_URL", "")

# --- Logging: one JSON object per line ------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SECRETARIAT_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Audit trail and database roles (ADR 0006, docs/operations/database-roles.md) -------------
# The audit chain is keyed (HMAC-SHA256) with a key kept outside the database: from the
# environment or a file only the application's account can read. Checkpoints of the chain are
# appended to a file outside the database, so a rebuilt chain no longer matches them.
SECRETARIAT_AUDIT_KEY = os.environ.get("SECRETARIAT_AUDIT_KEY", "")
if not SECRETARIAT_AUDIT_KEY and os.environ.get("SECRETARIAT_AUDIT_KEY_FILE"):
    SECRETARIAT_AUDIT_KEY = Path(os.environ["SECRETARIAT_AUDIT_KEY_FILE"]).read_text().strip()
if not SECRETARIAT_AUDIT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRETARIAT_AUDIT_KEY or SECRETARIAT_AUDIT_KEY_FILE must be set when SECRETARIAT_DEBUG is off.")
    SECRETARIAT_AUDIT_KEY = "insecure-development-audit-key-never-use-in-production"
SECRETARIAT_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("SECRETARIAT_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))
# The owner role's connection, used by `migrate` and `grant_application_role`; DATABASE_URL is
# then the application's role, which owns nothing. Unset: both are DATABASE_URL.
SECRETARIAT_MIGRATION_DATABASE_URL = os.environ.get("SECRETARIAT_MIGRATION_DATABASE_URL", "")
