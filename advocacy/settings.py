"""Settings of the #AvecPôleEmploi platform, read from the environment.

Every value comes from an environment variable (see the README for the full list).
The defaults serve the embedded mode: SQLite under var/, a file cache, a filesystem
Celery broker, e-mails on the console. Production sets DEBUG=false and must then
provide SECRET_KEY and ALLOWED_HOSTS, or start-up stops with a clear message.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    # A production instance that silently fell back to a development key would sign
    # sessions and unsubscribe links with a public secret, so both values are required.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this instance serves when DEBUG is off.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Base address used in links that leave the site (e-mails, tracked links).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "dsfr",
    "widget_tweaks",
    "accounts",
    "content",
    "advocacy.sharing",
    "advocacy.reach",
    "advocacy.campaigns",
    "advocacy",
    # Django's own form templates, for the renderer above; last, so that django-dsfr's
    # versions of some of them come first.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Public tracked links (/s/<code>) are answered here, before any session or cookie.
    "advocacy.sharing.redirect.ClickRedirectMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "advocacy.middleware.MethodNotAllowedPage",
]

if not DEBUG:
    # In production whitenoise serves the collected static files; in development
    # runserver serves them straight from the apps.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "advocacy.urls"
WSGI_APPLICATION = "advocacy.wsgi.application"

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
                "advocacy.context_processors.platform",
                "advocacy.campaigns.context_processors.campaigns",
            ],
            # After Django's builtins: its `date` filter writes « 1er décembre » in French.
            "builtins": ["advocacy.templatetags.french_dates"],
        },
    },
]
# django-dsfr renders form fields with the design system's markup, through the project's
# templates (which override some of its snippets) and bound field: advocacy/forms.py.
FORM_RENDERER = "advocacy.forms.FormRenderer"

# --- Data stores ----------------------------------------------------------------

VAR_DIR.mkdir(exist_ok=True)

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the embedded worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "advocacy.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="advocacy"),
            "TIMEOUT": 300,
        }
    }
else:
    # A file cache is shared by the web server and the embedded worker, unlike locmem.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "TIMEOUT": 300,
        }
    }

# Parts of the layout that are the same for everyone in a language (the design system's
# assets, the footer) are kept in each process's memory: they change only with a deploy,
# which restarts the processes, and reading them from Redis would cost a round trip each.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "layout"}

# --- Click buffer (advocacy.sharing.buffer) ----------------------------------------

# Clicks on tracked links are appended to a buffer and written to the database in
# batches: Redis in production, append-only files under var/ in embedded mode.
CLICK_BUFFER = env.str("CLICK_BUFFER", default="redis" if REDIS_URL else "file")
if CLICK_BUFFER not in ("redis", "file"):
    raise ImproperlyConfigured("CLICK_BUFFER must be 'redis' or 'file'.")
CLICK_BUFFER_REDIS_URL = env.str("CLICK_BUFFER_REDIS_URL", default=REDIS_URL)
if CLICK_BUFFER == "redis" and not CLICK_BUFFER_REDIS_URL:
    raise ImproperlyConfigured("CLICK_BUFFER=redis needs REDIS_URL (or CLICK_BUFFER_REDIS_URL).")
CLICK_BUFFER_KEY = env.str("CLICK_BUFFER_KEY", default="advocacy:clicks")
CLICK_BUFFER_DIR = env.str("CLICK_BUFFER_DIR", default=str(VAR_DIR / "clicks"))
CLICK_BUFFER_BATCH = env.int("CLICK_BUFFER_BATCH", default=2000)
CLICK_BUFFER_LOCK_SECONDS = env.int("CLICK_BUFFER_LOCK_SECONDS", default=300)

# --- Celery -----------------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # The embedded broker is a folder: `make run` starts a worker (with beat) on it,
    # so scheduled and background work happens without installing anything.
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast messages (worker control) would otherwise land in ./control.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    "content-publish-due-kits": {"task": "content.tasks.publish_due_kits", "schedule": 60.0},
    "content-expire-due-kits": {"task": "content.tasks.expire_due_kits", "schedule": 60.0},
}
# Buffered clicks reach the database every few seconds; old visitor-hash salts are deleted hourly.
CELERY_BEAT_SCHEDULE["sharing-drain-clicks"] = {
    "task": "advocacy.sharing.tasks.drain_clicks",
    "schedule": env.float("CLICK_DRAIN_SECONDS", default=10.0),
}
CELERY_BEAT_SCHEDULE["sharing-purge-salts"] = {"task": "advocacy.sharing.tasks.purge_salts", "schedule": 3600.0}

# --- Authentication -------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Accessibility of the sign-in fields (accounts/forms.py).
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[#AvecPôleEmploi] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Sign-in attempts are limited per client address and per account. The client address
# is REMOTE_ADDR unless TRUSTED_PROXY_COUNT says how many proxies of ours sit in front,
# so a forged X-Forwarded-For header cannot reset the counter.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/10m/ip,5/10m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Signing up is only open to staff addresses; an empty list accepts any address
# (useful for the demo and for tests).
STAFF_EMAIL_DOMAINS = env.list("STAFF_EMAIL_DOMAINS", default=[])
if not DEBUG and not STAFF_EMAIL_DOMAINS:
    # Anybody could otherwise open an account, join the programme and read what is meant
    # for staff (briefs, discussions), and their shares would count in the figures.
    raise ImproperlyConfigured(
        "STAFF_EMAIL_DOMAINS must list the staff e-mail domains that may sign up when DEBUG is off."
    )

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="#AvecPôleEmploi")
MFA_RECOVERY_CODE_COUNT = 10

# Open sessions are recorded at sign-in (allauth), which is all that ending them on
# deactivation needs. Tracking activity would write the person's address and a row
# update on every page view: more personal data kept, and five queries per page.
USERSESSIONS_TRACK_ACTIVITY = False

# Sign-in through the organisation's OpenID Connect provider, enabled when its
# address and client are configured.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_ID = env.str("OIDC_PROVIDER_ID", default="france-travail")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="France Travail")
# The claim carrying the code of the person's unit (an OrgUnit code), synced at sign-in.
OIDC_UNIT_CLAIM = env.str("OIDC_UNIT_CLAIM", default="")
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [], "OAUTH_PKCE_ENABLED": True}}
if OIDC_SERVER_URL and OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": OIDC_PROVIDER_ID,
            "name": OIDC_PROVIDER_NAME,
            "client_id": OIDC_CLIENT_ID,
            "secret": OIDC_CLIENT_SECRET,
            "settings": {"server_url": OIDC_SERVER_URL, "fetch_userinfo": True},
        }
    )
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = True
# The organisation's provider vouches for its staff's addresses, so a first sign-in
# through it lands in the existing account with the same e-mail.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
# Sessions are read on every page: from the cache (Redis in production), with the
# database behind it, so a page costs no session query. Ending a session (sign-out,
# deactivation through allauth's UserSession.end) deletes it from both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# Expired sessions, and allauth's record of each ended one (IP address, browser), are
# deleted every night (accounts.services.sessions_purge).
CELERY_BEAT_SCHEDULE["accounts-purge-sessions"] = {
    "task": "accounts.tasks.purge_sessions",
    "schedule": crontab(hour=3, minute=40),
}
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security ---------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# No inline script anywhere: every script is a file served from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation ---------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
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
# No Subresource Integrity hashes on django-dsfr's files: they are taken from the files as
# shipped, but the manifest storage rewrites every url() of a collected stylesheet to its
# hashed name, so in production the browser refused dsfr.min.css and every page lost the
# design system. The files come from our own origin (CSP 'self'), which SRI adds nothing to.
DSFR_USE_INTEGRITY_CHECKSUMS = False
# The design system now recommends marking optional fields rather than required ones.
# Which fields say « (facultatif) » is decided by advocacy.forms.is_marked_optional (the
# project's field snippets); django-dsfr still reads this for its own form context.
DSFR_MARK_OPTIONAL_FIELDS = True

# --- E-mail ---------------------------------------------------------------------------

if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A provider through django-anymail: EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend and
# its settings as JSON in ANYMAIL (API key, WEBHOOK_SECRET "user:password").
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_BACKEND)
ANYMAIL = env.json("ANYMAIL", default={})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="#AvecPôleEmploi <ne-pas-repondre@avecpoleemploi.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Admins", a) for a in env.list("ADMIN_EMAILS", default=[])]

# --- Campaigns, alerts and crisis brake ------------------------------------------------

# Replies to notifications reach the web-social team.
CAMPAIGN_REPLY_TO = env.str("CAMPAIGN_REPLY_TO", default="") or env.str(
    "BRAND_SUPPORT_EMAIL", default="web-social@avecpoleemploi.example"
)
# Who receives delivery and spike alerts by e-mail (default: the reply-to address).
CAMPAIGN_ALERT_EMAILS = env.list("CAMPAIGN_ALERT_EMAILS", default=[CAMPAIGN_REPLY_TO])
CAMPAIGN_CHUNK_SIZE = env.int("CAMPAIGN_CHUNK_SIZE", default=500)
CAMPAIGN_MAX_ATTEMPTS = env.int("CAMPAIGN_MAX_ATTEMPTS", default=5)
CAMPAIGN_RETRY_BASE_SECONDS = env.int("CAMPAIGN_RETRY_BASE_SECONDS", default=60)
CAMPAIGN_CLAIM_TIMEOUT_MINUTES = env.int("CAMPAIGN_CLAIM_TIMEOUT_MINUTES", default=30)
CAMPAIGN_UNSUBSCRIBE_MAX_AGE_DAYS = env.int("CAMPAIGN_UNSUBSCRIBE_MAX_AGE_DAYS", default=90)
CAMPAIGN_ALERT_FAILURE_RATE = env.float("CAMPAIGN_ALERT_FAILURE_RATE", default=0.02)
CAMPAIGN_ALERT_WINDOW_MINUTES = env.int("CAMPAIGN_ALERT_WINDOW_MINUTES", default=15)
CAMPAIGN_ALERT_MIN_SAMPLE = env.int("CAMPAIGN_ALERT_MIN_SAMPLE", default=20)
CAMPAIGN_STALL_MINUTES = env.int("CAMPAIGN_STALL_MINUTES", default=10)
CAMPAIGN_RETRACTION_REMINDER_HOURS = env.int("CAMPAIGN_RETRACTION_REMINDER_HOURS", default=24)
# The anymail tracking webhook view of the provider in use, served at /webhooks/e-mail/.
CAMPAIGN_TRACKING_WEBHOOK = env.str("CAMPAIGN_TRACKING_WEBHOOK", default="")
# Spike alerts: a watched hashtag's count over the rolling window must reach both
# SPIKE_MULTIPLE × its median hourly count over the past week (scaled to the window)
# and SPIKE_MIN_COUNT posts.
SPIKE_WINDOW_HOURS = env.int("SPIKE_WINDOW_HOURS", default=3)
SPIKE_MULTIPLE = env.float("SPIKE_MULTIPLE", default=4.0)
SPIKE_MIN_COUNT = env.int("SPIKE_MIN_COUNT", default=30)
CELERY_BEAT_SCHEDULE.update(
    {
        "campaigns-resume": {"task": "advocacy.campaigns.tasks.resume_campaigns", "schedule": 60.0},
        "campaigns-alerts": {"task": "advocacy.campaigns.tasks.check_alerts", "schedule": 60.0},
        "campaigns-pauses": {"task": "advocacy.campaigns.tasks.end_due_pauses", "schedule": 60.0},
        "campaigns-reminders": {"task": "advocacy.campaigns.tasks.send_retraction_reminders", "schedule": 900.0},
        "campaigns-spikes": {"task": "advocacy.campaigns.tasks.detect_spikes", "schedule": crontab(minute=5)},
        "campaigns-reconcile": {
            "task": "advocacy.campaigns.tasks.reconcile_deliveries",
            "schedule": crontab(hour=4, minute=30),
        },
        "campaigns-digest-daily": {
            "task": "advocacy.campaigns.tasks.send_digests",
            "schedule": crontab(hour=7, minute=30),
            "args": ("daily",),
        },
        "campaigns-digest-weekly": {
            "task": "advocacy.campaigns.tasks.send_digests",
            "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
            "args": ("weekly",),
        },
    }
)

# --- API ------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated request gets 401 with a
        # WWW-Authenticate header rather than 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.access.DenyByDefault"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "advocacy.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's three parsers, the JSON one saying where a NaN or an Infinity stands.
    "DEFAULT_PARSER_CLASSES": [
        "advocacy.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API #AvecPôleEmploi",
    "DESCRIPTION": "API de la plateforme ambassadeurs #AvecPôleEmploi.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]",
    "ENUM_NAME_OVERRIDES": {
        "JobFunctionEnum": "accounts.models.JobFunction.choices",
        "CampaignKindEnum": "advocacy.campaigns.models.Campaign.Kind",
        "CampaignStatusEnum": "advocacy.campaigns.models.Campaign.Status",
        "DeliveryStatusEnum": "advocacy.campaigns.models.Delivery.Status",
        "StoryKindEnum": "content.models.Story.Kind",
        "StoryStatusEnum": "content.models.Story.Status",
    },
}
# One name per shared choice set, so the kits API and the accounts API share their enums.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "JobFunctionEnum": "accounts.models.JobFunction",
        "NetworkEnum": "accounts.models.Network",
        "KitStatusEnum": "content.models.Kit.Status",
    }
)
# Where a person shares (the networks, e-mail, plain copy), apart from accounts' Network.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SharingChannelEnum"] = "advocacy.sharing.intents.Channel"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].setdefault("NetworkEnum", "accounts.models.Network")

# --- Reach: collecting hashtag posts -------------------------------------------------

# X API v2 recent search; an empty token switches the X collector off (logged once).
X_BEARER_TOKEN = env.str("X_BEARER_TOKEN", default="")
X_API_BASE_URL = env.str("X_API_BASE_URL", default="https://api.x.com").rstrip("/")
# Longest wait for a rate-limit reset that a run sleeps through; beyond it the query pauses
# until the reset (recorded on its CollectorState) and the worker moves on. A long sleep
# would hold a worker while beat keeps queueing runs behind it.
X_MAX_RATE_LIMIT_WAIT = env.int("X_MAX_RATE_LIMIT_WAIT", default=10)
if not 0 <= X_MAX_RATE_LIMIT_WAIT <= 60:
    raise ImproperlyConfigured(
        "X_MAX_RATE_LIMIT_WAIT must be between 0 and 60 seconds: a longer rate limit pauses the query "
        "until X's reset time instead of holding a worker asleep."
    )
# Mastodon instances whose public hashtag timeline is read, e.g. "piaille.fr,mastodon.social".
MASTODON_INSTANCES = env.list("MASTODON_INSTANCES", default=[])
# Hosts serving our tracked links (/s/<code>), besides SITE_URL's.
TRACKED_LINK_HOSTS = env.list("TRACKED_LINK_HOSTS", default=[])
REACH_COLLECT_EVERY_MINUTES = env.int("REACH_COLLECT_EVERY_MINUTES", default=5)
CELERY_BEAT_SCHEDULE["reach-collect-x"] = {
    "task": "advocacy.reach.tasks.collect_x",
    "schedule": REACH_COLLECT_EVERY_MINUTES * 60,
}
# The refresh reads the posts of the last X_REFRESH_DAYS again for their metrics. Every
# post it returns counts against the project's monthly post cap (10,000 on the Basic
# plan), once per UTC day whatever the number of reads that day: the depth is its cost,
# the interval only the metrics' freshness (see the README for the estimate).
X_REFRESH_EVERY_HOURS = env.int("X_REFRESH_EVERY_HOURS", default=6)
X_REFRESH_DAYS = env.int("X_REFRESH_DAYS", default=3)
if X_REFRESH_EVERY_HOURS < 0:
    raise ImproperlyConfigured("X_REFRESH_EVERY_HOURS must be 0 (no refresh) or a number of hours.")
if not 1 <= X_REFRESH_DAYS <= 7:
    raise ImproperlyConfigured("X_REFRESH_DAYS must be between 1 and 7: recent search reaches seven days back.")
if X_REFRESH_EVERY_HOURS:
    CELERY_BEAT_SCHEDULE["reach-refresh-x"] = {
        "task": "advocacy.reach.tasks.collect_x",
        "schedule": X_REFRESH_EVERY_HOURS * 60 * 60,
        "kwargs": {"refresh": True},
    }
# After X's "monthly usage cap" 429, every X query pauses this long: X does not say when
# the cap resets (the project's billing date), and one request per pause is enough to
# find out; recent search reaches seven days back, so a day's wait loses no post.
X_USAGE_CAP_PAUSE_HOURS = env.int("X_USAGE_CAP_PAUSE_HOURS", default=24)
if not 1 <= X_USAGE_CAP_PAUSE_HOURS <= 6 * 24:
    raise ImproperlyConfigured(
        "X_USAGE_CAP_PAUSE_HOURS must be between 1 and 144 hours: longer, the next run would find its since_id "
        "older than recent search's seven days."
    )
# Handles declared after posting: their owners' earlier posts of a membership period count.
# Declaring a handle already queues this for that account; the daily pass is the safety net.
CELERY_BEAT_SCHEDULE["reach-reattribute"] = {
    "task": "advocacy.reach.tasks.reattribute_recent",
    "schedule": 24 * 60 * 60,
}
CELERY_BEAT_SCHEDULE["reach-collect-mastodon"] = {
    "task": "advocacy.reach.tasks.collect_mastodon",
    "schedule": REACH_COLLECT_EVERY_MINUTES * 60,
}
# A status an instance learns of late (fetched rather than delivered: a boost of an older
# post, a reply thread) gets an id from its publication time, below where the forward read
# stands: the refresh reads the last MASTODON_REFRESH_HOURS again, newest first, which also
# updates their metrics. Mastodon has no post cap; its rate limit is per address.
MASTODON_REFRESH_EVERY_HOURS = env.int("MASTODON_REFRESH_EVERY_HOURS", default=1)
MASTODON_REFRESH_HOURS = env.int("MASTODON_REFRESH_HOURS", default=72)
# The refresh of a tag reads at most this many statuses (pages of 40), newest first: on a
# tag busier than that over the window, the oldest part is not read again. The run logs
# it, and the collector's state says how far back it read (refresh_read_until).
MASTODON_REFRESH_MAX_STATUSES = env.int("MASTODON_REFRESH_MAX_STATUSES", default=1000)
if MASTODON_REFRESH_EVERY_HOURS < 0 or MASTODON_REFRESH_HOURS < 1 or MASTODON_REFRESH_MAX_STATUSES < 1:
    raise ImproperlyConfigured(
        "MASTODON_REFRESH_EVERY_HOURS must be 0 (no refresh) or a number of hours, MASTODON_REFRESH_HOURS and "
        "MASTODON_REFRESH_MAX_STATUSES at least 1."
    )
if MASTODON_REFRESH_EVERY_HOURS:
    CELERY_BEAT_SCHEDULE["reach-refresh-mastodon"] = {
        "task": "advocacy.reach.tasks.collect_mastodon",
        "schedule": MASTODON_REFRESH_EVERY_HOURS * 60 * 60,
        "kwargs": {"refresh": True},
    }
# A running import with no sign of life for this long lost its worker: an uploaded file is
# imported again from the start, up to REACH_IMPORT_MAX_ATTEMPTS runs, then the job fails.
REACH_IMPORT_STALE_MINUTES = env.int("REACH_IMPORT_STALE_MINUTES", default=15)
REACH_IMPORT_MAX_ATTEMPTS = env.int("REACH_IMPORT_MAX_ATTEMPTS", default=3)
if REACH_IMPORT_STALE_MINUTES < 1:
    raise ImproperlyConfigured("REACH_IMPORT_STALE_MINUTES must be at least 1 (minutes without progress).")
if REACH_IMPORT_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("REACH_IMPORT_MAX_ATTEMPTS must be at least 1.")
CELERY_BEAT_SCHEDULE["reach-recover-imports"] = {
    "task": "advocacy.reach.tasks.import_jobs_recover",
    "schedule": 5 * 60,
}

# --- Content uploads (content/uploads.py) ----------------------------------------------

CONTENT_IMAGE_MAX_BYTES = env.int("CONTENT_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
CONTENT_IMAGE_MAX_PIXELS = env.int("CONTENT_IMAGE_MAX_PIXELS", default=40_000_000)
CONTENT_DOCUMENT_MAX_BYTES = env.int("CONTENT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# The link a draft kit made from a field story starts with (curators change it).
CONTENT_STORY_DEFAULT_LINK = env.str("CONTENT_STORY_DEFAULT_LINK", default="https://www.francetravail.fr/")

# --- Branding -------------------------------------------------------------------------

# Everything that brands the site comes from here so that the operator, with the
# approval of the government information service, can change it without code.
BRAND = {
    "organisation": env.str("BRAND_ORGANISATION", default="France Travail"),
    "short_name": env.str("BRAND_SHORT_NAME", default="#AvecPôleEmploi"),
    "service_name": env.str("BRAND_SERVICE_NAME", default="Ambassadeurs #AvecPôleEmploi"),
    "tagline": env.str("BRAND_TAGLINE", default="") or _("Partager notre action, en toute transparence"),
    "logo_text": env.str("BRAND_LOGO_TEXT", default="République<br>française"),
    "hashtag": env.str("BRAND_HASHTAG", default="#AvecPôleEmploi"),
    "support_email": env.str("BRAND_SUPPORT_EMAIL", default="web-social@avecpoleemploi.example"),
}
DEMO_MODE = env.bool("DEMO_MODE", default=DEBUG)

# --- Logging ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Reach roll-ups and reports (advocacy/reach/rollups.py, monthly.py) --------------------

# Today, yesterday and days touched by late events are recomputed this often, so reports
# are at most this many minutes behind the raw events.
REACH_ROLLUP_EVERY_MINUTES = env.int("REACH_ROLLUP_EVERY_MINUTES", default=5)
# Days recomputed per pass at most, today and yesterday included: an import of old posts
# or a hashtag's change of kind can mark years of days, drained pass after pass (most
# recent first) instead of holding a worker for an hour. A day takes well under a second
# to a few seconds (see the README).
REACH_ROLLUP_MAX_DAYS_PER_PASS = env.int("REACH_ROLLUP_MAX_DAYS_PER_PASS", default=60)
if REACH_ROLLUP_MAX_DAYS_PER_PASS < 3:
    raise ImproperlyConfigured(
        "REACH_ROLLUP_MAX_DAYS_PER_PASS must be at least 3: today, yesterday and one marked day, or marked days "
        "would never be computed."
    )
CELERY_BEAT_SCHEDULE["reach-rollup-refresh"] = {
    "task": "advocacy.reach.tasks.rollup_refresh",
    "schedule": REACH_ROLLUP_EVERY_MINUTES * 60,
}
# The previous month's report goes to each manager on the first day of the month.
CELERY_BEAT_SCHEDULE["reach-monthly-reports"] = {
    "task": "advocacy.reach.tasks.monthly_reports_send",
    "schedule": crontab(day_of_month=1, hour=7, minute=0),
}
