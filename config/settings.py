"""Settings for Espace Famille, read from the environment.

Production behaviour follows from ``DEBUG=0`` alone: secure cookies, HSTS, SSL redirect, and a
``SECRET_KEY`` that must come from the environment.
"""

from __future__ import annotations

import os
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The demo bank page (eopayment's dummy backend) outside DEBUG, for a public demo only.
DEMO_BANK = env_bool("DEMO_BANK", False)
TESTING = env_bool("ESPACEFAMILLE_TESTING", False)
# API Particulier (family quotient); its staging is https://staging.particulier.api.gouv.fr
API_PARTICULIER_URL = os.environ.get("API_PARTICULIER_URL", "https://particulier.api.gouv.fr")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("SECRET_KEY doit être défini dans l'environnement (DEBUG=0).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "espacefamille.core.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "phonenumber_field",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "espacefamille.core",
    "espacefamille.accounts",
    "espacefamille.households",
    "espacefamille.catalog",
    "espacefamille.bookings",
    "espacefamille.billing",
    "espacefamille.audit",
    "espacefamille.payments",
    "espacefamille.quotient",
    "espacefamille.directdebit",
    "espacefamille.news",
    "espacefamille.inquiries",
    "espacefamille.configuration",
    "espacefamille.kitchen",
    "espacefamille.attendance",
    "espacefamille.notifications",
    "espacefamille.counter",
    "espacefamille.privacy",
    "espacefamille.onboarding",
    "espacefamille.pes",
    "espacefamille.portal",
    "espacefamille.backoffice",
    "espacefamille.api",
    # Not "rest_framework": the API renders JSON only (no browsable API, so none of its templates
    # or static files), and as an app its template tags would be imported by the template
    # engine of every worker, and Django REST framework with them (issue 17, item 5). Its
    # French messages are read from LOCALE_PATHS below.
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "espacefamille.demo",
]

MIDDLEWARE = [
    "espacefamille.core.middleware.PrivatePagesMiddleware",
    "espacefamille.core.read_replica.PrimaryPinMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "espacefamille.accounts.session_limits.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "espacefamille.core.middleware.MunicipalityScopeMiddleware",
    "espacefamille.core.middleware.BoundedUrlIdsMiddleware",
]

# Who acts and where: each front door resolves its own membership (core imports none of them).
ACTING_RESOLVERS = [
    ("/api/", "espacefamille.api.acting.key_acting"),
    ("/agents/", "espacefamille.backoffice.acting.agent_acting"),
    ("", "espacefamille.portal.acting.family_acting"),
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "espacefamille.core.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "espacefamille" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "espacefamille.portal.context_processors.portal",
                "espacefamille.backoffice.context_processors.backoffice",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default (zero set-up), PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
# SQLite maps up to this much of the file into memory (reads without a copy); the mapped pages
# count in the process's resident memory. 64 MB keeps the monthly invoicing run under 300 MB
# whatever the file's size (149 MB against 261–318 MB with 256 MB), for the same CPU time and
# the best wall time of 256, 64 and 0 (bench/bench_invoicing.py, interleaved runs).
SQLITE_MMAP_MB = int(os.environ.get("SQLITE_MMAP_MB", "64"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialize writers (docs/architecture.md#the-locking-protocol); WAL lets
    # readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA mmap_size={SQLITE_MMAP_MB * 1024 * 1024};"
        ),
    }
    if DATABASES["default"]["NAME"] and DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # Keep PostgreSQL connections between requests (a new one per request costs CPU).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind pgbouncer in transaction mode (DATABASE_POOLER=pgbouncer) a connection may change
    # server between transactions: no server-side cursors, no prepared statements.
    if os.environ.get("DATABASE_POOLER", "") == "pgbouncer":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
    else:
        # A kept connection prepares a statement the fifth time it runs it (psycopg's
        # prepare_threshold, which needs the parameters bound by the server): PostgreSQL then
        # neither parses nor plans it again. A validation's statements cost the server half
        # the CPU, the trivial page's a third (bench/README.md, "Fifth session").
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
# A streaming replica (DATABASE_REPLICA_URL): only the reads that tolerate a second of
# staleness go there, and only from a browser that did not write in the last
# REPLICA_PIN_SECONDS seconds (espacefamille.core.read_replica); a replica that fails is left
# alone for REPLICA_RETRY_SECONDS, its pages read the primary meanwhile.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "5"))
REPLICA_RETRY_SECONDS = int(os.environ.get("REPLICA_RETRY_SECONDS", "10"))
DATABASE_ROUTERS = ["espacefamille.core.read_replica.ReplicaRouter"]
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **DATABASES["default"],
        **dj_database_url.parse(DATABASE_REPLICA_URL),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "espacefamille.accounts.login_limits.AccountLockoutBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "espacefamille.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "espacefamille.accounts.passwords.FrenchCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
INVITATION_VALIDITY = timedelta(days=30)
JOIN_CODE_VALIDITY = timedelta(days=180)
CHILD_JOIN_CODE_VALIDITY = timedelta(days=30)  # a code linking one child to a second household
JOIN_CODE_MAX_FAILURES = 5  # per account and per address within the window below
JOIN_CODE_FAILURE_WINDOW = timedelta(minutes=15)

# Sessions (accounts.session_limits): end after 30 minutes without a request, 12 hours after
# sign-in whatever the activity, and when the browser closes.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIMIT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Agents: password then a TOTP code (django-otp); their sessions end after 30 minutes idle.
AGENT_IDLE_TIMEOUT = SESSION_IDLE_TIMEOUT
AGENT_RECOVERY_CODES = 10
# Wrong second-factor codes in a row (TOTP and recovery codes together) that lock an agent's
# second factor, and for how long (accounts.second_factor_limits); django-otp's own growing
# delays between failures apply as well.
SECOND_FACTOR_FAILURE_LIMIT = 10
SECOND_FACTOR_LOCK_TIME = timedelta(minutes=15)
OTP_TOTP_ISSUER = "Espace Famille"
# Django's admin asks for the same second factor (core.admin_site) and never shows a device's
# secret (accounts.admin); django-otp's own admin pages hide them too, should they come back.
ADMIN_LOGIN_FORM = "espacefamille.accounts.admin_sign_in.AdminSignInForm"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lock out per account *and* address, with a cool-off: never permanently
# (docs/architecture.md#settings-that-differ-from-the-defaults).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client's address behind reverse proxies: TRUSTED_PROXIES lists the proxies' addresses or
# networks (e.g. TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1); X-Forwarded-For is read only from them.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "espacefamille.accounts.client_address.client_address"
# Per account across addresses, with its own cool-off (accounts.login_limits).
ACCOUNT_FAILURE_LIMIT = int(os.environ.get("ACCOUNT_FAILURE_LIMIT", "20"))
ACCOUNT_LOCKOUT_WINDOW = timedelta(hours=1)
# Sign-ups per client address.
SIGNUP_LIMIT_PER_ADDRESS = int(os.environ.get("SIGNUP_LIMIT_PER_ADDRESS", "5"))
SIGNUP_WINDOW = timedelta(hours=1)


def _package_dir(name: str) -> Path:
    """An installed package's folder, found without importing the package."""
    spec = find_spec(name)
    if spec is None or spec.origin is None:
        raise ImproperlyConfigured(f"{name} is not installed")
    return Path(spec.origin).parent


# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [
    BASE_DIR / "espacefamille" / "locale",
    # Django REST framework's own French (its serializers' messages), found without importing it.
    _package_dir("rest_framework") / "locale",
]
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Documents of news posts and family requests: outside MEDIA_ROOT and the static files, served
# only by views that check who asks (espacefamille.core.uploads).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
# The DGFiP's PES V2 schema set (a folder holding PES_V2/Rev0/PES_Aller.xsd): without it no
# treasury file is produced, since none may leave unvalidated.
PES_XSD_PATH = os.environ.get("PES_XSD_PATH", "")
MAX_UPLOAD_SIZE = int(os.environ.get("MAX_UPLOAD_SIZE", str(5 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# The accessibility statement's compliance status ("Accessibilité : …" in every footer); a town
# that had the RGAA audit done sets what it found ("conforme", "non conforme").
ACCESSIBILITY_COMPLIANCE = os.environ.get("ACCESSIBILITY_COMPLIANCE", "partiellement conforme")

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Espace Famille <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Absolute links in e-mails (activation, password reset) when no request is at hand.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Web push (notifications/push.py): the deployment's VAPID keys, made by `manage.py vapid_keys`.
WEBPUSH_VAPID_PRIVATE_KEY = os.environ.get("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_VAPID_PUBLIC_KEY = os.environ.get("WEBPUSH_VAPID_PUBLIC_KEY", "")
WEBPUSH_VAPID_SUBJECT = os.environ.get("WEBPUSH_VAPID_SUBJECT", "mailto:ne-pas-repondre@localhost")
# Push services besides the browsers' own (notifications/push_subscriptions.py KNOWN_PUSH_HOSTS),
# e.g. a local test service "127.0.0.1" (the only hosts allowed over plain http).
WEBPUSH_ENDPOINT_HOSTS = env_list("WEBPUSH_ENDPOINT_HOSTS")

# --- Background tasks (Django's tasks API, database backend: nothing lost if a worker dies) ---
# TASKS_BACKEND=espacefamille.core.rq_tasks.RetryingRQBackend queues them on the Redis of
# REDIS_URL instead (django-tasks-rq): workers on several machines, and a task whose worker died
# is queued again (core.rq_tasks).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG or TESTING
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# --- The open API (/api/v1/, espacefamille.api) ----------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["espacefamille.api.authentication.KeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["espacefamille.api.authentication.ScopeRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["espacefamille.api.authentication.KeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "espacefamille.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "espacefamille.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "espacefamille.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Espace Famille — API",
    "DESCRIPTION": (
        "L'API ouverte d'une commune : clé API en en-tête `Authorization: Bearer <clé>`, "
        "droits par clé, erreurs `application/problem+json` (RFC 9457) avec le code de la "
        "raison et le message en français."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "APPEND_COMPONENTS": {
        "securitySchemes": {"cleApi": {"type": "http", "scheme": "bearer"}},
    },
    "SECURITY": [{"cleApi": []}],
    "AUTHENTICATION_WHITELIST": [],
    # api/urls.py's ids: integers (a longer number matches no route and answers the 404).
    "PATH_CONVERTER_OVERRIDES": {"row_id": int},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "espacefamille.api.schema.database_bounds_strip",
    ],
}
# Requests per key, per minute (answered 429 with Retry-After beyond).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/min")
# Who hears the domain's events after commit (core.events): the webhook deliveries.
EVENT_RECEIVERS = ["espacefamille.api.webhook_delivery.events_receive"]
# Consecutive failed attempts before a webhook subscription is disabled (and the admins told).
WEBHOOK_MAX_FAILURES = int(os.environ.get("WEBHOOK_MAX_FAILURES", "15"))
WEBHOOK_ALLOW_HTTP = DEBUG or TESTING

# --- Redis (REDIS_URL): the cache and the sessions every app node shares, the task queue ----
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ef",
        }
    }
    # Read from Redis, written through to the database: a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# SECURE_COOKIES=0 only for plain HTTP on loopback (make cluster), with SECURE_SSL_REDIRECT=0.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = 0 if DEBUG or TESTING else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG and not TESTING
SECURE_HSTS_PRELOAD = not DEBUG and not TESTING
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)

# Features no page of the portal uses, refused to every page (and anything injected in one).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The payment providers' pages a form (or its redirect) may go to, e.g.
        # PAYMENT_FORM_ACTION=https://paiement.systempay.fr,https://www.payfip.gouv.fr
        "form-action": ["'self'", *env_list("PAYMENT_FORM_ACTION")],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: no personal data; requests are not logged with their bodies ------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
