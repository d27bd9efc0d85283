"""Polku settings: one file, configured by environment variables.

Defaults are safe for a developer laptop: SQLite in WAL mode, DEBUG off unless
asked. Production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and HTTPS=1.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor  # type: ignore[import-untyped]

# Lets model admin and forms be subscripted for type checking (ModelForm[Client]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# The fallback key is public: good for development and tests only. With DEBUG off the WSGI
# server refuses to start on it and `check --deploy` fails (polku.core.checks).
DEVELOPMENT_SECRET_KEY = "polku-insecure-development-key-change-me-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' own Swagger UI files (no CDN, so the CSP holds)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "polku.core",
    "polku.accounts",
    "polku.audit",
    "polku.access",
    "polku.clients",
    "polku.rules",
    "polku.plans",
    "polku.reports",
    "polku.referrals",
    "polku.service_episodes",
    "polku.ktt",
    "polku.sharelist",
    "polku.exports",
    "polku.employment",
    "polku.api",
    "polku.demo",
]

MIDDLEWARE = [
    "polku.core.request_id.RequestIdMiddleware",  # first: every response and log line has it
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: refuses an oversized share-list upload at once.
    "polku.sharelist.middleware.ShareListUploadLimit",
    # After the language is known: refuses NUL and out-of-bounds numbers and dates.
    "polku.core.input_bounds.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "polku.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "polku.accounts.middleware.ActiveOrganisationMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "polku" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "polku.accounts.context_processors.active_organisation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite (WAL, immediate transactions) unless DATABASE_URL points elsewhere.
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
if os.environ.get("DATABASE_URL"):
    # Connections live DATABASE_CONN_MAX_AGE seconds (0: one per request); the health
    # check replaces one the server or a proxy dropped before the request uses it.
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    # Behind pgbouncer in transaction mode a server-side cursor may land on another
    # server connection, so .iterator() must fetch client-side.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_PGBOUNCER")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and sessions -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # each role's own start page (polku.accounts.navigation)
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Idle timeout: the session expires SESSION_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security headers ----------------------------------------------------------------------
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading a municipality's domain into browsers is hard to undo, so its IT opts in.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS: list[str] = []
if HTTPS and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # a decision (HSTS_PRELOAD), not an oversight
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere: everything comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Sign-in: second factor and lockout ------------------------------------------------------
# TOTP (django-otp) after the password, for every role. Off only for local experiments.
POLKU_SECOND_FACTOR_REQUIRED = env_bool("POLKU_SECOND_FACTOR_REQUIRED", True)
# Sensitive acts (break-glass) ask for a fresh code when the last one is older than this.
POLKU_REAUTHENTICATE_MINUTES = env_int("POLKU_REAUTHENTICATE_MINUTES", 15)
OTP_TOTP_ISSUER = "Polku"
# django-axes: five failed passwords for one username lock it for 15 minutes, from whatever
# addresses they came: counting per username and address would let a guesser spread over
# many addresses go on for ever. An administrator unlocks sooner with
# `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that without the address a guesser could rotate browsers or cookies; the
# username is what the guesser cannot rotate, and adding the address (as "or") would let a
# few colleagues' typos lock a whole office behind one address.
SILENCED_SYSTEM_CHECKS.append("axes.W006")
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its log lines would carry usernames
# A failed single sign-on guesses no password and has no username to lock (see oidc.py).
AXES_WHITELIST_CALLABLE = "polku.accounts.oidc.exempt_from_lockout"

# --- Single sign-on: OpenID Connect (mozilla-django-oidc) --------------------------------------
# Off unless the municipal identity provider is configured; then the login page offers it.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = False  # an identity must match an existing active user
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"
# The provider's own multi-factor sign-in replaces our TOTP only when the id_token's
# amr/acr claim names one of these values (e.g. "mfa", or an acr such as
# "http://ftn.ficora.fi/2017/loa2"); empty lists: TOTP is always asked as well.
OIDC_TRUSTED_AMR = env_list("OIDC_TRUSTED_AMR", "")
OIDC_TRUSTED_ACR = env_list("OIDC_TRUSTED_ACR", "")
OIDC_ENABLED = all(
    (
        OIDC_RP_CLIENT_ID,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("polku.accounts.oidc.MunicipalOIDCBackend")

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "fi"
# Each language is named in itself in the switcher, so the names are not translated.
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "polku" / "locale"]
FORMAT_MODULE_PATH = ["polku.core.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
# A server sets STATIC_ROOT and runs collectstatic: files get content-hashed names (browsers
# may cache them for good) and gzip/brotli copies, all served by WhiteNoise. Without it
# (development, tests, `make demo`) they are served from the packages under their own names.
STATIC_COLLECTED = bool(os.environ.get("STATIC_ROOT"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "build" / "static")
# The project-wide static files (polku.css, scripts, htmx) live beside the shared templates.
STATICFILES_DIRS = [BASE_DIR / "polku" / "static"]
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
# Source maps are fetched only by a browser's developer tools: compressing the API docs'
# megabytes of them would double collectstatic's time for nobody.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Polku ----------------------------------------------------------------------------------
# A contact detail older than this many days is flagged "check at the next meeting".
POLKU_CONTACT_VERIFY_DAYS = env_int("POLKU_CONTACT_VERIFY_DAYS", 180)
# How long a REST API token works after it is made (then a new one is needed).
POLKU_API_TOKEN_DAYS = env_int("POLKU_API_TOKEN_DAYS", 90)
# How long a break-glass grant opens a record without a care relationship.
POLKU_BREAK_GLASS_MINUTES = env_int("POLKU_BREAK_GLASS_MINUTES", 60)
# How long a questionnaire's one-time link (feedback, functional capacity) stays valid.
POLKU_QUESTIONNAIRE_LINK_DAYS = env_int("POLKU_QUESTIONNAIRE_LINK_DAYS", 14)
# Retention periods in years per record type (apply_retention); unset = the law's value in
# polku/rules/parameters/retention.yaml. POLKU_RETENTION_ACCESS_LOG_YEARS=12, for example.
POLKU_RETENTION_YEARS = {
    record_type: env_int(f"POLKU_RETENTION_{record_type.upper()}_YEARS", 0)
    for record_type in ("working_age_services", "access_log", "disclosure_log")
    if f"POLKU_RETENTION_{record_type.upper()}_YEARS" in os.environ
}
# The same in days for personal data outside the client records (POLKU_RETENTION_SESSION_DAYS).
POLKU_RETENTION_DAYS = {
    record_type: env_int(f"POLKU_RETENTION_{record_type.upper()}_DAYS", 0)
    for record_type in (
        "sign_in_log",
        "lockout_attempt",
        "session",
        "import_preview",
        "export_file",
    )
    if f"POLKU_RETENTION_{record_type.upper()}_DAYS" in os.environ
}
# The accessibility statement's feedback channel (laki digitaalisten palvelujen
# tarjoamisesta 306/2019 § 15): where users report accessibility problems.
POLKU_ACCESSIBILITY_EMAIL = os.environ.get(
    "POLKU_ACCESSIBILITY_EMAIL", "saavutettavuus@esimerkkila.invalid"
)

# --- Background jobs (django-tasks) ----------------------------------------------------------
# The share-list import and large documents (polku.exports) run as jobs. POLKU_TASK_WORKER=1
# queues them in the database for `manage.py db_worker` (production: one worker process per
# server, or a server of its own); unset, each job runs at once in the request that asks for
# it, so `make demo` and the tests need nothing else started (the page then shows the result
# instead of progress).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env_bool("POLKU_TASK_WORKER")
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
# Share-list files: the largest a page or the API takes (a month's list of 500,000 rows
# is ~45 MB as CSV) and the largest base64 JSON body (multipart takes the full size). An
# unconfirmed import keeps its rows for the retention period import_preview.
POLKU_SHARE_LIST_MAX_BYTES = env_int("POLKU_SHARE_LIST_MAX_BYTES", 100 * 1024 * 1024)
POLKU_SHARE_LIST_MAX_JSON_BYTES = env_int("POLKU_SHARE_LIST_MAX_JSON_BYTES", 32 * 1024 * 1024)

# Application logs never carry names or identity codes: only ids and event codes (and
# polku.core.log_format redacts anything shaped like an identity code). Every line has the
# request id; LOG_FORMAT=json (default with DEBUG off) writes one JSON object per line.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("plain" if DEBUG else "json")
LOG_FORMATTERS = {
    "json": "polku.core.log_format.JsonFormatter",
    "plain": "polku.core.log_format.PlainFormatter",
}
if LOG_FORMAT not in LOG_FORMATTERS:
    raise ImproperlyConfigured(f"LOG_FORMAT is json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"polku": {"()": LOG_FORMATTERS[LOG_FORMAT]}},
    "filters": {"refusals": {"()": "polku.core.log_format.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "polku"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # it logs every rendering step at INFO
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # a line per sign-in is the audit trail's job
        "django.request": {"filters": ["refusals"]},  # 403s: one line, no traceback
    },
}


# --- Operations: cache, proxies, rate limits, error reports (README "Deployment") ----------
def cache_from_url(url: str) -> dict[str, str]:
    """``CACHE_URL``: ``db://TABLE`` (run createcachetable), ``redis://HOST:6379/0`` (needs the
    redis package) or ``locmem://`` (each process its own: one-process installations only)."""
    scheme, _separator, rest = url.partition("://")
    backends = {
        "locmem": ("django.core.cache.backends.locmem.LocMemCache", rest or "polku"),
        "db": ("django.core.cache.backends.db.DatabaseCache", rest or "polku_cache"),
        "redis": ("django.core.cache.backends.redis.RedisCache", url),
        "rediss": ("django.core.cache.backends.redis.RedisCache", url),
    }
    if scheme not in backends:
        raise ImproperlyConfigured(f"CACHE_URL must start with {', '.join(backends)}://")
    backend, location = backends[scheme]
    return {"BACKEND": backend, "LOCATION": location}


# The rate limits' counters: every server process must share them (check --deploy: polku.W003).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {"default": cache_from_url(CACHE_URL or "locmem://")}
# Load balancers and proxies whose X-Forwarded-For is believed (addresses or networks, e.g.
# "127.0.0.1,::1" for nginx on the same server): the sign-in lockout and the rate limits then
# see the client's address instead of the balancer's (polku.core.client_ip).
POLKU_TRUSTED_PROXIES = env_list("POLKU_TRUSTED_PROXIES", "")
try:
    POLKU_TRUSTED_PROXY_NETWORKS = tuple(
        ipaddress.ip_network(proxy, strict=False) for proxy in POLKU_TRUSTED_PROXIES
    )
except ValueError as error:
    raise ImproperlyConfigured(f"POLKU_TRUSTED_PROXIES: {error}") from None
AXES_CLIENT_IP_CALLABLE = "polku.core.client_ip.client_ip"
# A balancer probes its backends over plain HTTP: the health check answers there instead of
# redirecting to HTTPS (it shows no data either way).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Requests per user to the API, and per address to the public one-time questionnaire links.
POLKU_API_RATE = os.environ.get("POLKU_API_RATE", "1200/min")
POLKU_PUBLIC_LINK_RATE = os.environ.get("POLKU_PUBLIC_LINK_RATE", "30/min")
# Error reports (polku.core.error_reporting): off unless a DSN is given.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from polku.core.error_reporting import start_error_reporting

    start_error_reporting(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
