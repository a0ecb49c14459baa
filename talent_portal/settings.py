"""Settings of the Shanghai Foreign Talent Service Portal.

One module, every knob read from the environment (documented in README.md and .env.example).
With nothing set the portal runs on its embedded default: SQLite, Celery tasks run in process
after commit, local-memory cache, e-mail printed to the console, media in a local folder.
With ``DJANGO_DEBUG=0`` it is in production mode and refuses to start without a secret key and
allowed hosts.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if not DEBUG else _DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if not DEBUG else ["127.0.0.1", "localhost", "testserver"]
)
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG=0."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")

# Public address of the portal, used in links of e-mails and on QR codes.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "talent_portal.core",
    "talent_portal.accounts",
    "services.classification",
    "services.outreach",
    "services.notifications",
    "permits",
    "talent_portal.dashboards",
    "talent_portal.operations",
]

MIDDLEWARE = [
    # First: every answer carries X-Request-ID (a sane incoming one, else a new one); the id goes
    # into the logs, the audit log and the Celery tasks the request causes.
    "talent_portal.core.tracing.RequestIdMiddleware",
    # Outermost after that: counts and times every answer, redirects and refusals included.
    "talent_portal.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp's middleware, with the policy also on the debug 404/500 pages.
    "talent_portal.core.security_headers.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Denials (403, objects hidden from a signed-in person) and un-audited downloads, once each.
    "talent_portal.core.audit.AuditTrailMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session limits; activity stamped at most once a minute.
    "talent_portal.accounts.middleware.SessionPolicyMiddleware",
    # After authentication: a visitor without a language prefix is sent to the stored preference.
    "talent_portal.core.middleware.PortalLocaleMiddleware",
    # Early: the language is known (for the message) and nothing has read the body yet.
    "talent_portal.core.request_limits.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a lock-out raised during authentication into the translated lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talent_portal.urls"
WSGI_APPLICATION = "talent_portal.wsgi.application"
ASGI_APPLICATION = "talent_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talent_portal.core.context_processors.portal",
                "talent_portal.dashboards.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
SILENCED_SYSTEM_CHECKS = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Covering indexes (INCLUDE columns) speed up PostgreSQL; the embedded SQLite just ignores
    # the extra columns, which is fine.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The database stays the truth for sessions: losing the cache logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses locked-out accounts and addresses before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Sign-in lock-out (django-axes, session sign-in only): after this many failures for one account,
# or from one address, further attempts are refused for the cool-off time.
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "talent_portal.accounts.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "talent_portal.core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "talent_portal.accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Officers and administrators sign in with a second factor (TOTP app, or a one-time backup code).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Shanghai Foreign Talent Portal")
# How long an administrator's "open two-factor enrolment" stays valid.
TWO_FACTOR_ENROLMENT_HOURS = env.int("TWO_FACTOR_ENROLMENT_HOURS", default=72)
# Sessions end after this much inactivity (officers and administrators, everyone else) and, in any
# case, this long after sign-in. Background polling (the notification bell) is not activity.
SESSION_IDLE_MINUTES_OFFICERS = env.int("SESSION_IDLE_MINUTES_OFFICERS", default=15)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
# Activity is written to the session at most this often (so most requests write nothing).
SESSION_ACTIVITY_STAMP_SECONDS = 60
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "dashboards:public_home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Links in verification and invitation e-mails stay valid this long.
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=env.int("EMAIL_VERIFICATION_DAYS", default=3))
INVITATION_MAX_AGE = timedelta(days=env.int("INVITATION_DAYS", default=14))

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("ja", "日本語"),
    ("ko", "한국어"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_LANGUAGES = ("zh-hans", "en", "ja", "ko")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "zh-hans")

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic puts the files WhiteNoise serves (a release step).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Front-end packages are installed by npm at setup (package.json) and served from here.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served-publicly/"
STORAGES = {
    "default": {
        "BACKEND": env.str("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Upload and request-body limits: see "Input hardening" at the end.

# --- Uploads and request bodies -------------------------------------------------------------
# Sizes are given in MB in the environment.
_MB = 1024 * 1024
# One uploaded file (PDF, JPEG or PNG; checked by content, images re-encoded).
UPLOAD_MAX_FILE_BYTES = int(env.float("UPLOAD_MAX_FILE_MB", default=10) * _MB)
# All versions of all documents of one application together.
UPLOAD_MAX_APPLICATION_BYTES = int(env.float("UPLOAD_MAX_APPLICATION_MB", default=100) * _MB)
# Whole request bodies, refused with 413 from the Content-Length before they are read
# (talent_portal.core.request_limits, which also refuses NULs in addresses): views that take
# files, and every other view.
REQUEST_MAX_UPLOAD_BODY_BYTES = int(env.float("REQUEST_MAX_UPLOAD_BODY_MB", default=32) * _MB)
REQUEST_MAX_BODY_BYTES = int(env.float("REQUEST_MAX_BODY_MB", default=2.5) * _MB)
# Django's own limits: form fields (not files) in memory, and files kept in memory before they
# spill to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * _MB)
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- E-mail ---------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Shanghai Foreign Talent Portal <noreply@talent.example.cn>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Secrets at rest ------------------------------------------------------------------------
# Comma-separated Fernet keys, newest first; older keys still decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS",
    default=[] if not DEBUG else ["uW2nFXJ0p7bW8WJ1tq1m6rPjJ6t6o5m7qX9y2Qe3r5w="],
)
# Key of the HMAC digest that lets passport numbers be looked up without decrypting them.
FIELD_DIGEST_KEY = env.str("FIELD_DIGEST_KEY", default="" if not DEBUG else "dev-digest-key")
if not DEBUG and (not FIELD_ENCRYPTION_KEYS or not FIELD_DIGEST_KEY):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and FIELD_DIGEST_KEY must be set when DJANGO_DEBUG=0.")

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in this process (after commit, as they are enqueued then).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
}
# How long a publish may try before giving up (the outbox sweeper resends later).
CELERY_TASK_PUBLISH_RETRY = False

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous call is answered 401 with a WWW-Authenticate header.
        "talent_portal.accounts.authentication.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # A read-only personal token may only read, whatever the view allows.
        "talent_portal.accounts.authentication.TokenScope",
    ],
    "DEFAULT_SCHEMA_CLASS": "talent_portal.core.api.PortalAutoSchema",
    "EXCEPTION_HANDLER": "talent_portal.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The parsers refuse NUL characters in bodies (PostgreSQL cannot store them).
    "DEFAULT_PARSER_CLASSES": [
        "talent_portal.core.parsers.JSONParser",
        "talent_portal.core.parsers.FormParser",
        "talent_portal.core.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"anonymous_lookup": "20/hour"},
    # Throttles identify clients like the rest of the portal (see TRUSTED_PROXY_COUNT below).
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DEFAULT_DAYS", default=90)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shanghai Foreign Talent Service Portal API",
    "DESCRIPTION": (
        "Work permits, single-window applications, talent classification and outreach. "
        "Errors are JSON objects with a machine `code`, a translated `detail` and, for input "
        "errors, `fields`. Send `Accept-Language` (zh-hans, en, ja, ko) to choose the language."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would load a badge from validator.swagger.io (another origin, refused by the CSP,
    # and it would tell a third party where our schema is).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per shared choice set (several models have a "state", "kind" or "status").
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "permits.models.choices.State",
        "PermitStateEnum": "permits.models.permits.PermitState",
        "PermitKindEnum": "permits.models.permits.PermitKind",
        "DocumentKindEnum": "permits.models.documents.DocumentKind",
        "DocumentDecisionEnum": [("accepted", "accepted"), ("rejected", "rejected")],
        "OrganizationKindEnum": "talent_portal.accounts.models.OrganizationKind",
        "TalentClassEnum": "services.classification.models.TalentClass",
        "ClaimStatusEnum": "services.classification.models.records.ClaimStatus",
        "LanguageEnum": "talent_portal.settings.LANGUAGES",
        "EventStatusEnum": [("published", "published"), ("cancelled", "cancelled")],
        "RegistrationStatusEnum": "services.outreach.models.events.RegistrationStatus",
        "EventLanguageEnum": "services.outreach.models.events.Language",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
}

# --- Security -------------------------------------------------------------------------------
# How many reverse proxies in front of the portal append to X-Forwarded-For. 0: use the socket's
# address (a client-sent X-Forwarded-For is then ignored, so it cannot dodge throttles).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * SESSION_ABSOLUTE_HOURS
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Also the default (same-origin); stated so the deployment checks and the tests see it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The health and metrics endpoints are probed over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/(live|ready)$", r"^metrics$"]

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
        "object-src": ["'none'"],
    },
}

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# One JSON object per line in production, readable lines for ``make run``; every line carries the
# request id (also in the Celery tasks a request causes).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'plain'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "talent_portal.core.tracing.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "talent_portal.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Its INFO lines name the account of every failed sign-in; the audit log keeps a digest.
        "axes": {"level": "WARNING"},
    },
}
# Celery's own loggers go through the same handler (the worker keeps its root logger as is).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Days an applicant has to answer an officer's request for documents.
PERMITS_RESPONSE_DAYS = env.int("PERMITS_RESPONSE_DAYS", default=30)

# Personal API tokens: knox's hashed, expiring tokens, with a name the user gives them.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
CSRF_FAILURE_VIEW = "talent_portal.core.views.csrf_failure"

# --- Personal data (PIPL): retention --------------------------------------------------------
# Applied by ``manage.py purge_expired_personal_data`` (nightly beat task, see celery.py) and
# stated on the privacy notice. A draft never submitted for this many days since its last change
# loses its personal data and its uploaded files:
RETENTION_ABANDONED_DRAFT_DAYS = env.int("RETENTION_ABANDONED_DRAFT_DAYS", default=180)
# A closed case (refused, withdrawn, closed; issued once its permits have lapsed) this many days
# after it closed: files deleted and personal fields blanked; the decision record stays.
RETENTION_CLOSED_CASE_DAYS = env.int("RETENTION_CLOSED_CASE_DAYS", default=5 * 365)

# --- Operations: metrics, backups (docs/OPERATIONS.md) ---------- ------------------------
# /metrics: Prometheus text, from these networks (the client's address as in net.client_ip) or
# with ``Authorization: Bearer <METRICS_TOKEN>``; 404 for anyone else.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Several processes (gunicorn workers, Celery pool processes): each writes its counters here and a
# scrape adds them up. Empty: a scrape sees only the process answering it.
METRICS_DIR = env.str("METRICS_DIR", default="")
# Backups (``manage.py backup`` / ``restore``, ``make backup`` / ``make restore``).
BACKUP_DIR = env.str("BACKUP_DIR", default=str(BASE_DIR / "backups"))
