"""Settings for Coproduce, read from environment variables only.

The table of variables is in the README. Two modes:

* production (the default): secure cookies, HSTS, HTTPS redirect; ``SECRET_KEY``,
  ``ALLOWED_HOSTS`` and ``DATABASE_URL`` must be set (``coproduce serve`` refuses to start otherwise).
* demo (``COPRODUCE_DEMO=1``, set by ``coproduce demo`` and by the tests): plain HTTP on loopback,
  SQLite in the data folder, email printed to the terminal, a secret key kept in the data folder.
"""

from __future__ import annotations

import errno
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DEMO = env_bool("COPRODUCE_DEMO")
DATA_DIR = Path(os.environ.get("COPRODUCE_DATA_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG") and DEMO  # never on outside the demo


DATA_DIR_HINT = "Choose a folder you can write to, with --data-dir or COPRODUCE_DATA_DIR."


def _cannot_write(where: Path, error: OSError, hint: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"cannot write to {where}: {error.strerror or error}. {hint}")


def writable_folder(folder: Path, *, hint: str = DATA_DIR_HINT, file: Path | None = None) -> Path:
    """Make ``folder`` if it is missing and check that a file can be written in it (and that ``file``, if it
    is there already, can be read and written): otherwise one line saying what is wrong and what to do, not
    a traceback. A full disk is caught here too."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".coproduce-write-test-"):
            pass
        if file is not None and file.exists() and not os.access(file, os.R_OK | os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as error:
        raise _cannot_write(file if file is not None and file.exists() else folder, error, hint) from None
    return folder


# The start of the key made up when SECRET_KEY is unset outside the demo (core.checks refuses it under
# `check --deploy`; `coproduce serve` refuses to start without SECRET_KEY).
UNSET_SECRET_KEY_PREFIX = "insecure-unset-"  # noqa: S105  (a marker, not a secret)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not DEMO:
        # Commands that need no key (e.g. `coproduce --help`) still work: serve checks for real.
        return UNSET_SECRET_KEY_PREFIX + secrets.token_urlsafe(40)
    # The demo keeps one key in its data folder so sessions survive a restart. It is written whole or not at
    # all (a new file, readable by its owner only, renamed into place), so a full disk cannot leave an empty
    # or cut-short key behind.
    path = DATA_DIR / "secret_key"
    writable_folder(DATA_DIR, file=path)
    key = path.read_text().strip() if path.exists() else ""
    if not key:
        key = secrets.token_urlsafe(50)
        handle, name = tempfile.mkstemp(dir=DATA_DIR, prefix=".secret_key-")
        try:
            with os.fdopen(handle, "w") as new:
                new.write(key)
                new.flush()
                os.fsync(new.fileno())
            os.replace(name, path)
        except OSError as error:
            Path(name).unlink(missing_ok=True)
            raise _cannot_write(DATA_DIR, error, DATA_DIR_HINT) from None
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEMO else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "coproduce.core",
    "coproduce.accounts",
    "coproduce.partnerships",
    "coproduce.notifications",
    "coproduce.dataprotection",
    "coproduce.governance",
    "coproduce.voice",
    "coproduce.support",
    "coproduce.fund",
    "coproduce.improvement",
    "coproduce.conversations",
    "coproduce.decisions",
    "coproduce.commitments",
    "coproduce.learning",
    "coproduce.evaluation",
    "coproduce.reports",
    "coproduce.api",
    "coproduce.datarights",
]

MIDDLEWARE = [
    # First: the request id for every log line; /healthz, /readyz and /metrics answered before any host check,
    # HTTPS redirect, session or sign-in; then the request counts and timings (core/operations.py).
    "coproduce.core.operations.RequestIdMiddleware",
    "coproduce.core.operations.OperationsEndpointsMiddleware",
    "coproduce.core.operations.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The client's address for the audit log, read by core.audit while the request is answered.
    "coproduce.core.middleware.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coproduce.core.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's saved language wins over the cookie's and the browser's (core/languages.py).
    "coproduce.core.middleware.PersonLanguageMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coproduce.core.middleware.CSPMiddleware",  # django-csp's, with the header's text kept
    "django_htmx.middleware.HtmxMiddleware",
    "coproduce.core.middleware.RefuseControlCharactersMiddleware",  # NUL and other control characters: 400
    "allauth.account.middleware.AccountMiddleware",
    "coproduce.core.middleware.NoStoreForSignedInMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coproduce.urls"
WSGI_APPLICATION = "coproduce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # After Django's own builtins: its ``{% url %}`` remembers addresses (core/reversing.py).
            # And its ``date`` filter names the month as it is next to a day ("7 grudnia"; core/templatetags/dates.py).
            "builtins": ["coproduce.core.templatetags.cached_url", "coproduce.core.templatetags.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coproduce.partnerships.context_processors.navigation",
                "coproduce.partnerships.context_processors.navigation_items",
                "coproduce.notifications.context_processors.notifications",
            ],
        },
    }
]
FORM_RENDERER = "coproduce.core.forms_rendering.SGFormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at the start of a transaction, so two writers queue on
    # busy_timeout instead of failing half-way with "database is locked".
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
    ),
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "coproduce.sqlite3"),
            "CONN_MAX_AGE": 60,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    _database = str(DATABASES["default"]["NAME"])
    if _database and _database != ":memory:" and not _database.startswith("file:"):
        writable_folder(
            Path(_database).parent,
            file=Path(_database),
            hint=DATA_DIR_HINT if not DATABASE_URL else "Point DATABASE_URL at a file in a folder you can write to.",
        )
# The fixed SQL of the busiest queries is prepared on PostgreSQL (core/db.py, ADR 15). psycopg prepares only
# when this is set; Django's own cursors bind on the client and never prepare, so it affects nothing else.
COPRODUCE_DB_PREPARE = env_bool("COPRODUCE_DB_PREPARE", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the start-of-request health check made without a round trip (ADR 16).
    DATABASES["default"]["ENGINE"] = "coproduce.core.postgresql"
    if COPRODUCE_DB_PREPARE:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "coproduce.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "coproduce.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # reset links are valid for one hour

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:landing"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:landing"
ACCOUNT_ADAPTER = "coproduce.accounts.adapter.AccountAdapter"
# A password signs in by email address; a code signs in by email or by text message to a confirmed mobile
# number (accounts/adapter.py, docs/text-messages.md).
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # allauth keeps this session and ends the others
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Coproduce] "
# Sign-in limits (SECURITY.md, accounts/limits.py). allauth's per-address limits on signing in would lock out
# everyone behind one family-centre router (and every attempt at a made-up email counts there), so they are
# off: django-axes locks an email at one address, accounts/limits.py slows an account down wherever it is
# tried from and limits the codes of the second step. allauth keeps its limits on sending email.
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False}
ACCOUNT_FORMS = {
    "login": "coproduce.accounts.forms.LoginForm",
    "reset_password": "coproduce.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "coproduce.accounts.forms.ResetPasswordKeyForm",
    "request_login_code": "coproduce.accounts.forms.RequestLoginCodeForm",
    "confirm_login_code": "coproduce.accounts.forms.ConfirmLoginCodeForm",
}
MFA_ADAPTER = "coproduce.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "coproduce.accounts.forms.AuthenticateForm",
    "reauthenticate": "coproduce.accounts.forms.ReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Coproduce"
USERSESSIONS_TRACK_ACTIVITY = False  # it would write to the database on every page view

AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "coproduce.accounts.lockout.attempted_email"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "coproduce.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "coproduce.core.clientaddress.client_address_for_limits"


def _proxy_count() -> int:
    """How many proxies in front append to X-Forwarded-For: ``COPRODUCE_PROXY_COUNT``, or one when only
    ``COPRODUCE_BEHIND_PROXY`` is set. core/clientaddress.py reads the client's address with it."""
    value = os.environ.get("COPRODUCE_PROXY_COUNT", "").strip()
    if not value:
        return 1 if env_bool("COPRODUCE_BEHIND_PROXY") else 0
    if not value.isdigit():
        raise ImproperlyConfigured(f"COPRODUCE_PROXY_COUNT must be a whole number of proxies, not {value!r}.")
    return int(value)


# One rule for the client's address (core/clientaddress.py) for every limit and the audit log; allauth's
# own (sessions list, its remaining limits) asks the account adapter, which uses the same rule.
COPRODUCE_PROXY_COUNT = _proxy_count()

# The default cache is shared by every process (a table in the database): allauth counts its limits there and
# remembers authenticator codes already used, so neither can be multiplied by the number of web processes.
# What a process may keep for itself (counts for a page, template fragments) goes in the local caches.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "coproduce_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "coproduce-local"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "coproduce-template-fragments",
    },
}

# Sessions end after an hour without activity.
SESSION_ENGINE = "coproduce.core.sessions"  # Django's database sessions, read without the ORM
SESSION_COOKIE_AGE = int(os.environ.get("COPRODUCE_SESSION_IDLE_SECONDS", str(60 * 60)))
SESSION_SAVE_EVERY_REQUEST = False  # see core.middleware.SessionIdleTimeoutMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = False  # a cookie lifetime lets the idle timeout work
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "coproduce.core.views.csrf_failure"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if DEMO:
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SECURE_SSL_REDIRECT = False
else:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("COPRODUCE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("COPRODUCE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the domain and its subdomains to HTTPS in browsers for years: the operator
        # chooses it (COPRODUCE_HSTS_PRELOAD=1), so its absence is not a warning here.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env_bool("COPRODUCE_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("COPRODUCE_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Coproduce <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people use to reach this site, for links in emails sent by background tasks.
COPRODUCE_SITE_URL = os.environ.get("COPRODUCE_SITE_URL", "http://127.0.0.1:8000")
# Where the source code of this deployment can be had: every page's footer links to it (the AGPL asks a
# service run over a network to offer its users the source).
COPRODUCE_SOURCE_URL = os.environ.get("COPRODUCE_SOURCE_URL", "")
if DEMO and not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds to wait for each reply of the mail server. Email is sent by background tasks only (core.outbox),
# never inside a request; a server that never answers costs a task this long, then a retry.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT") or 10)
# Attempts to send one email before it is marked as not sent (waits between them: see below).
COPRODUCE_EMAIL_ATTEMPTS = int(os.environ.get("COPRODUCE_EMAIL_ATTEMPTS") or 5)

# --- Text messages (core/sms.py, docs/text-messages.md) ---------------------------------------
# console: printed in the terminal (the demo); notify: GOV.UK Notify; locmem: kept in memory (the tests); or
# the dotted path of a class of your own.
COPRODUCE_SMS_BACKEND = os.environ.get("COPRODUCE_SMS_BACKEND") or ("console" if DEMO else "notify")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
# One SMS template in Notify whose whole body is ((body)).
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_TIMEOUT = float(os.environ.get("NOTIFY_TIMEOUT") or 10)
# Numbers typed without a country code are read as numbers of this country.
COPRODUCE_SMS_REGION = os.environ.get("COPRODUCE_SMS_REGION", "GB")
COPRODUCE_SMS_ATTEMPTS = int(os.environ.get("COPRODUCE_SMS_ATTEMPTS") or 5)
# Texts cost money and attract abuse: at most this many in any 24 hours per number, per partnership, in all.
COPRODUCE_SMS_PER_NUMBER_PER_DAY = int(os.environ.get("COPRODUCE_SMS_PER_NUMBER_PER_DAY") or 10)
COPRODUCE_SMS_PER_PARTNERSHIP_PER_DAY = int(os.environ.get("COPRODUCE_SMS_PER_PARTNERSHIP_PER_DAY") or 300)
COPRODUCE_SMS_PER_DAY = int(os.environ.get("COPRODUCE_SMS_PER_DAY") or 2000)

# --- Background work ------------------------------------------------------------------------
# django-tasks-db's backend, keeping the id of the request that queued a task (core/task_backend.py).
TASKS = {"default": {"BACKEND": "coproduce.core.task_backend.DatabaseBackend", "QUEUES": ["default"]}}
# A task still running this many seconds after it started has lost its worker: `coproduce worker` runs
# it again (a task may set its own: core.background). Seconds before the first retry of a failed task;
# each later wait is twice the last, at most 15 minutes.
COPRODUCE_TASK_STALE_AFTER = int(os.environ.get("COPRODUCE_TASK_STALE_AFTER") or 15 * 60)
COPRODUCE_TASK_RETRY_DELAY = int(os.environ.get("COPRODUCE_TASK_RETRY_DELAY") or 30)

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# English and the catalogues in locale/ (docs/languages.md: each needs review by a fluent speaker). Arabic
# and Urdu are written right to left (Django's LANGUAGES_BIDI).
LANGUAGES = [
    ("en-gb", _("English")),
    ("gd", _("Scottish Gaelic")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
    ("ar", _("Arabic")),
    ("ur", _("Urdu")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The switcher's cookie (/language/): read by LocaleMiddleware for people not signed in; a year, this site only.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEMO
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_TZ = True


# --- Logging: no secrets, no personal data beyond what the audit log holds -------------------
# One JSON object per line in production, plain text in the demo (COPRODUCE_LOG_FORMAT=json|text), each with
# the request id and task id (core/logs.py, docs/operations.md "Logs").
def log_format(demo: bool) -> str:
    chosen = os.environ.get("COPRODUCE_LOG_FORMAT") or ("text" if demo else "json")
    if chosen not in ("json", "text"):
        raise ImproperlyConfigured(f"COPRODUCE_LOG_FORMAT must be json or text, not {chosen!r}.")
    return chosen


COPRODUCE_LOG_FORMAT = log_format(DEMO)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "coproduce.core.logs.ContextFilter"}},
    "formatters": {
        "coproduce": {"()": "coproduce.core.logs.JsonFormatter"}
        if COPRODUCE_LOG_FORMAT == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s request=%(request_id)s task=%(task_id)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "coproduce"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Operating it: /healthz, /readyz, /metrics (core/operations.py, docs/operations.md) ----------
# /metrics is off (404) unless one of these is set: a bearer token, or the addresses (or networks) a scraper
# connects from, as the web server sees them (the peer, not X-Forwarded-For).
COPRODUCE_METRICS_TOKEN = os.environ.get("COPRODUCE_METRICS_TOKEN", "")
COPRODUCE_METRICS_ALLOW = env_list("COPRODUCE_METRICS_ALLOW")
# /readyz looks for unapplied migrations at most once in this many seconds per process.
COPRODUCE_READY_MIGRATIONS_EVERY = float(os.environ.get("COPRODUCE_READY_MIGRATIONS_EVERY") or 10)


def check_production_settings() -> None:
    """Raise ImproperlyConfigured when a production server lacks what it needs."""
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured("coproduce serve needs these environment variables: " + ", ".join(missing))
