"""TalentHub settings, read from the environment.

With nothing set, the portal runs on an embedded default: SQLite, Celery tasks executed
eagerly in-process, emails printed to the console, and DEBUG off, so it refuses to start
without a SECRET_KEY. The development profile, TALENTHUB_ENV=dev (set by the Makefile for
`make run` and friends, and by talenthub/test_settings.py for the test suite), turns DEBUG
on unless DEBUG itself is set. A production deployment sets at least SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and EMAIL_URL, and leaves DEBUG unset (or 0).
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# "dev" (the Makefile, the test suite) or "production" (anything else, the default): a
# server nobody configured must not show tracebacks or run without secure cookies.
TALENTHUB_ENV = env("TALENTHUB_ENV", default="production")
if TALENTHUB_ENV not in ("dev", "production"):
    raise ImproperlyConfigured('TALENTHUB_ENV must be "dev" or "production".')
DEBUG = env.bool("DEBUG", default=TALENTHUB_ENV == "dev")
_DEV_SECRET = "django-insecure-talenthub-development-only"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "talenthub.core",
    # Domain apps, in dependency order: each refers only to the apps in the layers above
    # it in this list (docs/architecture.md; tests/test_layers.py checks it). Demo data
    # loads in this order too.
    "programmes",
    "resources",
    "events",
    "cohorts",
    "alumni",
    "compact",
    "insights",
    # The public JSON API reads every domain app, so it sits above them all.
    "api",
]

MIDDLEWARE = [
    # First, so every response (a redirect, a 413) carries X-Request-ID and every log line
    # written while serving the request names it (talenthub/core/request_id.py).
    "talenthub.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (CSRF reads request.POST) or loads the session.
    "talenthub.core.request_guards.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "talenthub.core.request_guards.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff: signed out after a spell of inactivity, and no admin page without MFA.
    "talenthub.core.middleware.StaffIdleTimeoutMiddleware",
    "talenthub.core.middleware.StaffMfaRequiredMiddleware",
]

# Request bodies. The largest legitimate upload is 10 MB (a project report, a compact
# document) plus a form's other fields; a request declaring more than MAX_REQUEST_BYTES is
# refused with 413 before its body is read, and a body streamed without a length is read
# no further than that (talenthub.core.middleware). A form's non-file fields may total
# DATA_UPLOAD_MAX_MEMORY_SIZE; an uploaded file above FILE_UPLOAD_MAX_MEMORY_SIZE is
# spooled to a temporary file rather than held in memory.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=12 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

ROOT_URLCONF = "talenthub.urls"
WSGI_APPLICATION = "talenthub.wsgi.application"

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
                "talenthub.core.context_processors.site",
                "insights.context_processors.insights_pages",
            ],
            "builtins": ["talenthub.core.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "talenthub.core.forms.GovukFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# PostgreSQL connection pool (psycopg's, through Django): DB_POOL_MAX_SIZE connections at
# most per process, DB_POOL_MIN_SIZE kept open; 0 (the default) = no pool, a connection
# per request (or per CONN_MAX_AGE). A pool needs CONN_MAX_AGE=0 (docs/operations.md,
# "Scaling").
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=0)
if DB_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": DB_POOL_MAX_SIZE,
        # A request waits this long for a free connection, then fails (500) rather than hang.
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: wait for a lock rather than fail, as the dev server and the
    # eager tasks share one file.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, but a Redis that is down fails open to a cache in the process
            # (sign-in's rate limits, page caches) instead of failing the request.
            "BACKEND": "talenthub.core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # The user model has one name field, full_name (Django's default list looks for
        # username, first_name and last_name, which it does not have).
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login, and it must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[TalentHub] "
ACCOUNT_ADAPTER = "talenthub.core.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "talenthub.core.forms.SignupForm"}
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Sign-in throttling (allauth's defaults, written out): failed sign-ins are limited per
# client address and per account, on the public form and on /admin/login/ (which goes
# through allauth's form, talenthub/urls.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
}
# Members are told by email when their password, email addresses or MFA change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# The client address used for throttling and the sign-in audit: with TRUSTED_PROXY_COUNT=0
# (no proxy in front) X-Forwarded-For is ignored, as anyone can send it; behind N proxies
# that each append to X-Forwarded-For, the Nth address from the right is the client's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Multi-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery
# codes, and passkeys / security keys (WebAuthn). Required for staff before any admin page
# (talenthub/core/middleware.py); any member may turn it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "TalentHub"
# WebAuthn needs a secure origin; the development server on http://127.0.0.1 is allowed.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# A staff session ends after this many minutes without a request; members keep the
# normal session expiry.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "personal_home"

LANGUAGE_CODE = "en-gb"
# locale/en_GB: sentence case for django-allauth's Title Case words ("Sign in").
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (minutes, project reports) live outside the web root and are served only
# through views that check permissions.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="TalentHub <no-reply@talenthub.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that accepts a connection and never answers must not hold a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Redis is the result backend too, but no task stores a result unless it opts in with
# ignore_result=False (TASK_IGNORE_RESULT below): every task's outcome is already in the
# database (a booking's status, an outbox row), so a stored result would be a copy nobody
# reads. The backend is there for a caller that must wait on a task, and for chords.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 24 * 60 * 60  # opted-in results are kept a day, then dropped
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker was killed goes back to the queue after the visibility timeout
# (acks_late: a task is acknowledged when it ends, not when it starts). Every task ends
# within its hard time limit, well inside the timeout, so a running task is never handed
# to a second worker; every task is safe to run twice anyway. The sweeps on the beat
# schedule do the work of a task lost with Redis (it keeps nothing on disk).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 30 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Every task ends within these: at the soft limit it gets SoftTimeLimitExceeded (its
# transaction rolls back; the sweeps redo the work), at the hard limit its process is
# killed. The longest task is a batch of EMAIL_BATCH_SIZE (200) emails: about 6 s at the
# 36–40 emails/s a worker process sends (bench_email), or as long as the mail server's
# EMAIL_TIMEOUT on the one message that hangs (the batch stops at the first such).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=5 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=6 * 60)
_VISIBILITY = CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < _VISIBILITY:
    raise ImproperlyConfigured(
        f"Need 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < {_VISIBILITY} (the "
        "broker's visibility timeout: a task still running then would be handed to a second "
        "worker)."
    )
# Two queues: "email" for sending the outbox (one message or a batch), "celery" for the
# rest (promotions, offer expiry, fan-outs, sweeps, reports). A worker started without -Q
# serves both; a larger site runs workers for each (`-Q email`, `-Q celery`), so a
# region-wide announcement's 500 batches do not hold up an offer expiring
# (docs/operations.md, "Scaling").
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("email"))
CELERY_TASK_ROUTES = {
    "talenthub.core.tasks.send_outbound_email": {"queue": "email"},
    "talenthub.core.tasks.send_outbound_emails": {"queue": "email"},
}
# Publishing a task to a broker that is down: a short retry, then the caller logs it
# (talenthub/core/queueing.py) and the sweeps catch up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Periodic work: each entry queries for due rows, so a late or repeated run is harmless.
CELERY_BEAT_SCHEDULE = {
    "retry-unsent-email": {
        "task": "talenthub.core.tasks.send_pending_emails",
        "schedule": crontab(minute="*/5"),
    },
    "report-stuck-email": {
        "task": "talenthub.core.tasks.report_stuck_emails",
        "schedule": crontab(minute=15),
    },
    # Announcements whose fan-out was cut short (a killed worker, Redis restarted).
    "events-announce-sweep": {
        "task": "events.tasks.announce_sweep_task",
        "schedule": crontab(minute="*/10"),
    },
    # Events: end offers past their deadline (and pass the places on); send due reminders.
    "events-expire-offers": {
        "task": "events.tasks.expire_offers_task",
        "schedule": crontab(minute="*"),
    },
    # Events: place transfers to a colleague past their deadline (the holder keeps it).
    "events-expire-transfers": {
        "task": "events.tasks.expire_transfers_task",
        "schedule": crontab(minute="*"),
    },
    # Events: "tell me when booking opens" alerts whose booking has opened.
    "events-send-booking-alerts": {
        "task": "events.tasks.send_booking_alerts_task",
        "schedule": crontab(minute="*/5"),
    },
    "events-send-reminders": {
        "task": "events.tasks.send_event_reminders_task",
        "schedule": crontab(minute=5),
    },
    # Events: re-promote where a place is free and people wait (a lost promotion task).
    "events-promote-sweep": {
        "task": "events.tasks.promote_sweep_task",
        "schedule": crontab(minute="*/10"),
    },
    # E-bulletins whose fan-out was cut short, the same way.
    "compact-bulletin-sweep": {
        "task": "compact.tasks.sweep_bulletins",
        "schedule": crontab(minute="*/10"),
    },
    "alumni-career-update-sweep": {
        "task": "alumni.tasks.sweep_career_updates",
        "schedule": crontab(minute="*/10"),
    },
    "compact-action-digests": {
        "task": "compact.tasks.send_action_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "compact-meeting-reminders": {
        "task": "compact.tasks.send_meeting_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    "compact-terms-review-reminders": {
        "task": "compact.tasks.send_terms_review_reminders",
        "schedule": crontab(minute=45, hour=7),
    },
    "compact-charter-renewal-reminders": {
        "task": "compact.tasks.send_charter_renewal_reminders",
        "schedule": crontab(minute=50, hour=7),
    },
    "cohorts-expire-offers": {
        "task": "cohorts.tasks.expire_cohort_offers",
        "schedule": crontab(minute="*/5"),
    },
    "cohorts-promote-sweep": {
        "task": "cohorts.tasks.sweep_cohort_promotions",
        "schedule": crontab(minute="*/10"),
    },
    # Cohort announcements ("applications open") whose fan-out was cut short.
    # "Tell me when it opens": a programme's next cohort, a talent pool's next intake.
    "cohorts-send-programme-alerts": {
        "task": "cohorts.tasks.send_programme_alerts",
        "schedule": crontab(minute="*/5"),
    },
    "alumni-send-pool-alerts": {
        "task": "alumni.tasks.send_pool_alerts",
        "schedule": crontab(minute=10),
    },
    "cohorts-announce-sweep": {
        "task": "cohorts.tasks.sweep_cohort_announcements",
        "schedule": crontab(minute="*/10"),
    },
    "cohorts-invite-feedback": {
        "task": "cohorts.tasks.invite_cohort_feedback",
        "schedule": crontab(hour=7, minute=30),
    },
    # Insights: the quarter's equality releases, on its first day (the first page view
    # makes them if this has not run; hourly, so a failed run is made good).
    # Retention: old outbox bodies, expired account emails, old audit entries, expired
    # sessions (docs/retention.md). Hourly, so an unsent reset link goes soon after it
    # expires; each run does at most 50 batches of each (a backlog: `manage.py
    # apply_retention`).
    "core-apply-retention": {
        "task": "talenthub.core.tasks.apply_retention",
        "schedule": crontab(minute=40),
    },
    "insights-publish-equality-releases": {
        "task": "insights.tasks.publish_equality_releases",
        "schedule": crontab(minute=10),
    },
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The public JSON API (/api/v1/, docs/api.md). Personal access tokens only: no session
# authentication, so no cross-site request can act through a signed-in browser.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.PersonalTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.TokenRateThrottle",
        "api.throttles.AddressRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Per personal access token, and per client address (signed in or not).
        "token": env("API_RATE_PER_TOKEN", default="600/hour"),
        "address": env("API_RATE_PER_ADDRESS", default="1200/hour"),
    },
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TalentHub API",
    "DESCRIPTION": (
        "Programmes, cohorts, events, the career resource hub and compacts, read in JSON; "
        "a member's own bookings and applications with a personal access token. "
        "Versioning and deprecation: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Stable names for the choice sets several models call "status" or "kind".
    "ENUM_NAME_OVERRIDES": {
        "ProgrammeStatusEnum": "programmes.models.Programme.Status",
        "ProgrammeKindEnum": "programmes.models.Programme.Kind",
        "CohortStatusEnum": "cohorts.models.Cohort.Status",
        "ApplicationStatusEnum": "cohorts.models.Application.Status",
        "SessionAttendanceStatusEnum": "cohorts.models.Attendance.Status",
        "EventStatusEnum": "events.models.Event.Status",
        "BookingStatusEnum": "events.models.Booking.Status",
        "FrameworkKindEnum": "resources.models.Framework.Kind",
        "DocumentKindEnum": "compact.models.Document.Kind",
        "MeetingStatusEnum": "compact.models.Meeting.Status",
        "OpportunityKindEnum": "resources.models.DevelopmentOpportunity.Kind",
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # "__Host-": the browser accepts these cookies only if Secure, for path "/" and with no
    # Domain, so a sibling subdomain cannot set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logs: one line a record on stderr with time (UTC), level, logger, request id and task
# id; LOG_FORMAT=json makes each line a JSON object (talenthub/core/log_format.py). The
# Celery worker and beat use this too (talenthub/celery.py). Errors of Django's own
# loggers (a 500, a suspicious request) are also emailed to ADMINS when DEBUG is off.
LOG_FORMAT = env("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "talenthub.core.log_format.ContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"()": "talenthub.core.log_format.TextFormatter"},
        "json": {"()": "talenthub.core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's default handlers for "django" (which printed its records a
        # second time in development); its records reach the console through the root.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each step of every certificate PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Who is emailed Django's errors: ADMINS="Ann Operator <ann@example.org>,ops@example.org".
ADMINS = [(name, address) for name, address in getaddresses([env("ADMINS", default="")]) if address]
if any("@" not in address for _, address in ADMINS):
    raise ImproperlyConfigured("ADMINS must be email addresses: 'Name <a@b>, c@d'.")
MANAGERS = ADMINS

# Error tracking: Sentry or GlitchTip when SENTRY_DSN is set, personal data and equality
# monitoring data scrubbed before anything is sent (talenthub/core/error_tracking.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from talenthub.core.error_tracking import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Domain settings.
TALENTHUB = {
    "PAGE_SIZE": 20,
    # Events: the demand report lists events with at least this many people waiting.
    "EVENT_RERUN_WAITING_THRESHOLD": env.int("EVENT_RERUN_WAITING_THRESHOLD", default=10),
    # Events: how long (seconds) a member's booking, cancellation or offer reply waits
    # for the event's lock before it is told "This event is busy, please try again".
    "EVENT_LOCK_TIMEOUT": env.float("EVENT_LOCK_TIMEOUT", default=5.0),
    # How long a colleague has to accept a place passed to them (never past the start).
    "TRANSFER_OFFER_HOURS": env.int("TRANSFER_OFFER_HOURS", default=48),
    # Compact action plans: an action with no progress update for this long is flagged.
    "COMPACT_STALE_WEEKS": 8,
    # Public pages kept for visitors without cookies, at most this many seconds after a
    # change made without saving a row (update(), the clock); 0: off (the default with
    # DEBUG, so a template edited in development shows at once). core/page_cache.py.
    # Admin changelists: rows made by talenthub/core/admin_changelist.py, each column
    # worked out once a page (the same HTML as Django's); False: Django's own code.
    "ADMIN_LEAN_CHANGELIST": True,
    # Admin changelists: the whole of a table with at least this many rows is shown as
    # PostgreSQL's estimate ("about 260,000 bookings"), not counted (COUNT(*): 12 ms for
    # 260,000 rows), but on its last pages; filtered or searched lists are counted.
    # 0: always count. talenthub/core/pagination.py.
    "ADMIN_ESTIMATED_COUNT_FROM": env.int("ADMIN_ESTIMATED_COUNT_FROM", default=50_000),
    # Pages and parts of pages are kept only in a cache every worker shares (Redis): in a
    # cache of each process's own, a save seen by one worker would leave the others
    # showing the old page until it expired (talenthub.core.page_cache).
    "PUBLIC_PAGE_CACHE_SECONDS": env.int(
        "PUBLIC_PAGE_CACHE_SECONDS", default=60 if REDIS_URL and not DEBUG else 0
    ),
    # Cohorts: the largest project report a participant may upload.
    "PROJECT_WORK_MAX_BYTES": 10 * 1024 * 1024,
    # Insights: counts from 1 to this number are protected wherever a group is shown
    # (7 follows NHS Digital's rule for published counts).
    "SUPPRESSION_THRESHOLD": env.int("INSIGHTS_SUPPRESSION_THRESHOLD", default=7),
    # Bulk email goes out in tasks of this many messages, one connection each; the retry
    # sweep queues at most this many pending emails a run.
    "EMAIL_BATCH_SIZE": env.int("EMAIL_BATCH_SIZE", default=200),
    "EMAIL_SWEEP_LIMIT": env.int("EMAIL_SWEEP_LIMIT", default=20_000),
    # Insights: the equality reports are published as a release every this many months
    # (3: quarterly, from January), audited together with this many releases before it
    # (older ones are deleted; each one more makes the audit slower: docs/insights.md).
    "EQUALITY_RELEASE_MONTHS": env.int("INSIGHTS_RELEASE_MONTHS", default=3),
    "EQUALITY_RELEASE_HISTORY": env.int("INSIGHTS_RELEASE_HISTORY", default=1),
    # Who runs this portal: named on the privacy notice, the accessibility statement and
    # the contact page. An operator sets these for their organisation (README).
    "OPERATOR": {
        "NAME": env("OPERATOR_NAME", default="TalentHub demonstration service"),
        "ADDRESS": env("OPERATOR_ADDRESS", default=""),
        # The site's inbox: the contact form's messages go here.
        "CONTACT_EMAIL": env("CONTACT_EMAIL", default="help@talenthub.local"),
        "DPO_EMAIL": env("DPO_EMAIL", default="dpo@talenthub.local"),
        "ICO_REGISTRATION": env("ICO_REGISTRATION", default=""),
        # When the accessibility statement was last reviewed (ISO date).
        "ACCESSIBILITY_REVIEWED": env("ACCESSIBILITY_REVIEWED", default="2026-12-07"),
    },
    # The contact form: at most this many messages per client address (allauth's rate
    # syntax; the client address as allauth sees it, so proxies are trusted alike).
    "CONTACT_RATE_LIMIT": env("CONTACT_RATE_LIMIT", default="5/h/ip"),
    # The public certificate check (/certificates/<code>/): this many unknown codes per
    # client address; past it, every check from that address is refused for a while.
    "CERTIFICATE_CHECK_RATE_LIMIT": env("CERTIFICATE_CHECK_RATE_LIMIT", default="30/h/ip"),
    # Retention (docs/retention.md; talenthub/core/retention.py), 0 = keep for ever: an
    # email's body, HTML and headers are deleted this many days after it was queued (the
    # row stays; an account email's body goes as soon as it is sent), audit log entries
    # this many days after they were made. Purged in batches of RETENTION_BATCH_SIZE.
    "OUTBOX_BODY_RETENTION_DAYS": env.int("OUTBOX_BODY_RETENTION_DAYS", default=90),
    "AUDIT_LOG_RETENTION_DAYS": env.int("AUDIT_LOG_RETENTION_DAYS", default=730),
    "RETENTION_BATCH_SIZE": env.int("RETENTION_BATCH_SIZE", default=1000),
    # /healthz: unhealthy (503) when more than THRESHOLD emails have waited over MINUTES
    # since they were queued (docs/operations.md, "Monitoring"). A region-wide
    # announcement (100,000 emails) is sent in about 7 minutes by two worker processes.
    "OUTBOX_BACKLOG_MINUTES": env.int("OUTBOX_BACKLOG_MINUTES", default=30),
    "OUTBOX_BACKLOG_THRESHOLD": env.int("OUTBOX_BACKLOG_THRESHOLD", default=100),
}
