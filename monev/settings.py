"""Django settings for monev: read only from the environment (see docs/configuration.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from monev.accounts.claims import MappingError, mapping_load
from monev.env import (
    ConfigError,
    env_bool,
    env_file_load,
    env_int,
    env_list,
    env_networks,
    env_secret,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent
MONEV_HOME = Path(env_str("MONEV_HOME", "./var")).resolve()
MONEV_HOME.mkdir(parents=True, exist_ok=True)
env_file_load(MONEV_HOME / "monev.env")  # settings `monev demo` (or an operator) kept there
# The data store (monev/core/storage.py): MONEV_HOME/data by default, another directory, or an
# S3-compatible bucket (`s3://bucket/prefix`) that several servers share.
MONEV_DATA_URL = env_str("MONEV_DATA_URL", "")
if MONEV_DATA_URL and not MONEV_DATA_URL.startswith(("s3://", "file://", "/")):
    raise ConfigError("MONEV_DATA_URL must be s3://bucket/prefix, file:///path or /path")
DATA_DIR = (
    Path(MONEV_DATA_URL.removeprefix("file://"))
    if MONEV_DATA_URL and not MONEV_DATA_URL.startswith("s3://")
    else MONEV_HOME / "data"
)
MONEV_S3_ENDPOINT = env_str("MONEV_S3_ENDPOINT", "")
MONEV_S3_REGION = env_str("MONEV_S3_REGION", "us-east-1")
MONEV_S3_ACCESS_KEY = env_str("MONEV_S3_ACCESS_KEY", "")
MONEV_S3_SECRET_KEY = env_str("MONEV_S3_SECRET_KEY", "")

DEBUG = env_bool("MONEV_DEBUG", False)
# `monev demo`, `monev serve --dev` and the test suite set MONEV_DEBUG; production never does.
_generate_keys = DEBUG or "pytest" in sys.modules

SECRET_KEY = env_secret("MONEV_SECRET_KEY", home=MONEV_HOME, generate=_generate_keys)
MONEV_NIK_KEY = env_secret("MONEV_NIK_KEY", home=MONEV_HOME, generate=_generate_keys)
MONEV_ENCRYPTION_KEY = env_secret("MONEV_ENCRYPTION_KEY", home=MONEV_HOME, generate=_generate_keys)
if len({SECRET_KEY, MONEV_NIK_KEY, MONEV_ENCRYPTION_KEY}) != 3:
    raise ConfigError("MONEV_SECRET_KEY, MONEV_NIK_KEY and MONEV_ENCRYPTION_KEY must differ")

ALLOWED_HOSTS = env_list("MONEV_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MONEV_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", f"sqlite:///{MONEV_HOME / 'monev.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "monev.core",
    "monev.regions",
    "monev.accounts",
    "monev.notifications",
    "monev.rosters",
    "monev.registry",
    "monev.coverage",
    "monev.budgets",
    "monev.workforce",
    "monev.indicators",
    "monev.meetings",
    "monev.reports",
    "monev.targeting",
    "monev.api",
    "monev.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "monev.core.middleware.RequestIdMiddleware",
    "monev.core.logs.RequestLogMiddleware",
    "monev.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "monev.core.middleware.LanguageMiddleware",
    "monev.core.middleware.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "monev.urls"
WSGI_APPLICATION = "monev.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "indicators:national"
LOGOUT_REDIRECT_URL = "accounts:login"

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
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Single sign-on by OpenID Connect (docs/sso.md): on when MONEV_OIDC_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env_str("MONEV_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("MONEV_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("MONEV_OIDC_AUTHORIZATION_URL", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("MONEV_OIDC_TOKEN_URL", "")
OIDC_OP_USER_ENDPOINT = env_str("MONEV_OIDC_USERINFO_URL", "")
OIDC_OP_JWKS_ENDPOINT = env_str("MONEV_OIDC_JWKS_URL", "")
OIDC_RP_SIGN_ALGO = env_str("MONEV_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("MONEV_OIDC_SCOPES", "openid email profile")
OIDC_VERIFY_SSL = env_bool("MONEV_OIDC_VERIFY_TLS", True)
OIDC_TIMEOUT = env_int("MONEV_OIDC_TIMEOUT", 10)
MONEV_OIDC_LOGOUT_URL = env_str("MONEV_OIDC_LOGOUT_URL", "")
MONEV_OIDC_LABEL = env_str("MONEV_OIDC_LABEL", "SSO")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's logout
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/akun/masuk/?sso=ditolak"
MONEV_OIDC_CLAIM_MAPPING = None
if OIDC_RP_CLIENT_ID:
    _missing = [
        name
        for name, value in {
            "MONEV_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "MONEV_OIDC_AUTHORIZATION_URL": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "MONEV_OIDC_TOKEN_URL": OIDC_OP_TOKEN_ENDPOINT,
            "MONEV_OIDC_USERINFO_URL": OIDC_OP_USER_ENDPOINT,
            "MONEV_OIDC_JWKS_URL": OIDC_OP_JWKS_ENDPOINT,
            "MONEV_OIDC_MAPPING": env_str("MONEV_OIDC_MAPPING", ""),
        }.items()
        if not value
    ]
    if _missing:
        raise ConfigError(f"MONEV_OIDC_CLIENT_ID is set but {', '.join(_missing)} are not")
    try:
        MONEV_OIDC_CLAIM_MAPPING = mapping_load(env_str("MONEV_OIDC_MAPPING", ""))
    except MappingError as exc:
        raise ConfigError(f"MONEV_OIDC_MAPPING: {exc}") from None
    AUTHENTICATION_BACKENDS.append("monev.accounts.sso.MonevOIDCBackend")

# Login throttling: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("MONEV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("MONEV_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = MONEV_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from finders; it still expects the dir
STORAGES = {
    # Uploaded documents and generated reports live in the data store (local or S3).
    "default": {"BACKEND": "monev.core.storage.StoreFiles"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": env_str("MONEV_TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend")
    }
}

# Cookies and headers. Behind a TLS-terminating proxy set MONEV_SECURE=true.
MONEV_SECURE = env_bool("MONEV_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = MONEV_SECURE
CSRF_COOKIE_SECURE = MONEV_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("MONEV_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = MONEV_SECURE and env_bool("MONEV_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = 31536000 if MONEV_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = MONEV_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if MONEV_SECURE else None
# HSTS preload is a commitment for a whole domain (go.id); the operator decides it at the proxy.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Uploads: rosters and registry extracts can be large files, streamed to disk, never held in
# memory; forms and JSON bodies stay small.
MONEV_MAX_UPLOAD_MB = env_int("MONEV_MAX_UPLOAD_MB", 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Indicators: how long (seconds) a process trusts its cached facts version before
# re-reading it (0 = every request); open data leaves cells under this many workers empty.
MONEV_INDICATORS_VERSION_TTL = float(env_int("MONEV_INDICATORS_VERSION_TTL", 1))
MONEV_OPEN_DATA_MIN_CELL = env_int("MONEV_OPEN_DATA_MIN_CELL", 10)

# API rate limits per token/user and per anonymous address (django-ninja throttling).
NINJA_DEFAULT_THROTTLE_RATES = {
    "auth": env_str("MONEV_API_RATE", "600/min"),
    "user": env_str("MONEV_API_RATE", "600/min"),
    "anon": env_str("MONEV_API_ANON_RATE", "60/min"),
}

# E-mail (docs/notifications.md): SMTP when MONEV_SMTP_HOST is set; otherwise each message
# is written as a file under MONEV_HOME/mail/ (the demo and development), or printed.
MONEV_SMTP_HOST = env_str("MONEV_SMTP_HOST", "")
_MAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
_mail_backend = env_str("MONEV_MAIL_BACKEND", "smtp" if MONEV_SMTP_HOST else "file")
if _mail_backend not in _MAIL_BACKENDS:
    raise ConfigError(f"MONEV_MAIL_BACKEND must be one of {sorted(_MAIL_BACKENDS)}")
if _mail_backend == "smtp" and not MONEV_SMTP_HOST:
    raise ConfigError("MONEV_MAIL_BACKEND=smtp needs MONEV_SMTP_HOST")
EMAIL_BACKEND = _MAIL_BACKENDS[_mail_backend]
EMAIL_HOST = MONEV_SMTP_HOST
EMAIL_PORT = env_int("MONEV_SMTP_PORT", 587)
EMAIL_HOST_USER = env_str("MONEV_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("MONEV_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MONEV_SMTP_STARTTLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("MONEV_SMTP_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("MONEV_SMTP_STARTTLS and MONEV_SMTP_SSL exclude each other")
EMAIL_TIMEOUT = env_int("MONEV_SMTP_TIMEOUT", 30)
EMAIL_FILE_PATH = str(MONEV_HOME / "mail")
DEFAULT_FROM_EMAIL = env_str("MONEV_MAIL_FROM", "Monev Jamsostek <monev@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MONEV_MAIL_MAX_ATTEMPTS = env_int("MONEV_MAIL_MAX_ATTEMPTS", 5)
# Links in e-mails point here (the address users open monev at).
MONEV_BASE_URL = env_str("MONEV_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# "Due soon" reminders go out this many days before an action item's due date.
MONEV_NOTIFY_DUE_DAYS = env_int("MONEV_NOTIFY_DUE_DAYS", 7)

# Logs: one JSON object a line in production (request id, user id, job id; monev/core/logs.py),
# plain text in debug/demo. Expected 4xx answers are one request line, without traceback.
MONEV_LOG_FORMAT = env_str("MONEV_LOG_FORMAT", "plain" if DEBUG else "json")
if MONEV_LOG_FORMAT not in {"json", "plain"}:
    raise ConfigError(f"MONEV_LOG_FORMAT must be json or plain, got {MONEV_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "monev.core.logs.ContextFilter"},
        "expected_4xx": {"()": "monev.core.logs.ExpectedClientErrorFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "monev.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": MONEV_LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("MONEV_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["expected_4xx"]},
        # django-tasks' own lines are replaced by monev.job's, which carry the job id.
        "django_tasks": {"level": "WARNING"},
    },
}

# /metrics (Prometheus): allowed with `Authorization: Bearer <MONEV_METRICS_TOKEN>`, or from an
# address in MONEV_METRICS_ALLOW (addresses or networks; loopback by default).
MONEV_METRICS_TOKEN = env_str("MONEV_METRICS_TOKEN", "")
MONEV_METRICS_ALLOW = env_networks("MONEV_METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])

# Browser assets: our own under monev/static; htmx from django-htmx's static files (no CDN,
# nothing outside the installed package).
STATICFILES_DIRS = [BASE_DIR / "static"]
