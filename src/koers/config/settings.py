"""Koers settings: one file, driven by environment variables.

Every setting an operator may change is read here through the small helpers below;
secrets may also come from a file named by ``<NAME>_FILE`` (Docker/Kubernetes secrets).
"""

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from koers.core import languages

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "")
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Production must set SECRET_KEY (or SECRET_KEY_FILE); the fallback is for a laptop
# and the test suite only, and `koers check --deploy` reports it.
SECRET_KEY = env("SECRET_KEY") or "django-insecure-koers-local-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    # django-ninja's own copy of Swagger UI for /api/v1/docs, served as static files: the
    # Content Security Policy allows no CDN.
    "ninja",
    # Before allauth, so our templates (NL Design System) override allauth's plain ones.
    "koers.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "koers.core",
    "koers.audit",
    "koers.organisation",
    "koers.rulebook",
    "koers.access",
    "koers.cycles",
    "koers.goals",
    "koers.conversations",
    "koers.improvement",
    "koers.evaluations",
    "koers.consequences",
    "koers.development",
    "koers.notify",
    "koers.api",
]

MIDDLEWARE = [
    "koers.web.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "koers.web.middleware.PrivateResponseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The log-in pages' forms may go on to the employer sign-in providers (web/middleware.py).
    "koers.web.middleware.SignInFormActionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale: the API's 405 as a problem in the caller's language.
    "koers.api.problems.MethodNotAllowedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "koers.web.middleware.UserLanguageMiddleware",
    "koers.web.middleware.LocalTimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the user, their language and the messages are known (access/mfa.py).
    "koers.web.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "koers.config.urls"
WSGI_APPLICATION = "koers.config.wsgi.application"
ASGI_APPLICATION = "koers.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koers.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default so one command runs everything on a laptop;
# production sets DATABASE_URL=postgres://… (see README).
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'koers.sqlite3'}")
# On PostgreSQL each app-server thread keeps its connection for 10 minutes instead of
# opening one per request (the signed-in floor of every page paid it), checked before
# reuse so a restarted database or a proxy that closed it costs one retry, not an error.
# With several app servers, PgBouncer (in session mode) keeps the total bounded
# (docs/operations.md). 0 opens one per request again.
_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "600" if _POSTGRES else "0")),
        conn_health_checks=_POSTGRES,
    )
}
# The password may stay out of the URL: DATABASE_PASSWORD, or a file in DATABASE_PASSWORD_FILE.
if env("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = env("DATABASE_PASSWORD")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the task worker write while the web process reads.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": env("SQLITE_TEST_NAME", "")} if env("SQLITE_TEST_NAME") else {}
    )


def cache_from_url(url: str) -> dict[str, object]:
    """``KOERS_CACHE_URL``: empty for the database (the default), ``redis://…`` or
    ``rediss://…`` for Redis (needs the Python package ``redis``), ``locmem://`` for the
    memory of one process (a single process only: each process counts on its own)."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "koers_cache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    scheme = url.partition("://")[0]  # not the rest: it may hold a password
    raise ImproperlyConfigured(
        f"KOERS_CACHE_URL: {scheme!r} is none of redis://, rediss://, locmem:// (or empty)")


# The cache holds allauth's log-in rate limits (and little else). It must be one for all
# web processes, or each counts on its own and N workers allow N times the attempts: by
# default it is Django's database cache, in the database every process already shares.
# Its table `koers_cache` is a model of core (`core.CacheEntry`) rather than a step
# `koers createcachetable` after migrating: `koers migrate` is the one set-up step that
# runs everywhere (a fresh machine, `bin/demo`, a release, each pytest-xdist worker's
# test database on SQLite and PostgreSQL), and `flush` empties the table between tests.
# 10,000 entries before the oldest are culled: an attacker spraying addresses must not
# push the live counters out.
CACHES = {"default": cache_from_url(env("KOERS_CACHE_URL"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

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
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: staff log in with their work e-mail; accounts are created by HR
# (import or admin), never by self sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "koers.web.auth.NoSignupAccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Behind a reverse proxy REMOTE_ADDR is the proxy's address, and a limit per IP would
# lock everyone out at once. KOERS_TRUSTED_PROXY_COUNT is the number of proxies of one's
# own in front of the app; the client is the address they forwarded
# (`access.security.client_ip`, which the account adapter gives allauth as well, so the
# rate limits and the security log agree). 0: X-Forwarded-For is ignored.
KOERS_TRUSTED_PROXY_COUNT = max(int(env("KOERS_TRUSTED_PROXY_COUNT", "0")), 0)
ALLAUTH_TRUSTED_PROXY_COUNT = KOERS_TRUSTED_PROXY_COUNT
# Personal API tokens (access/tokens.py): every token has an expiry day, at most this many
# days ahead, and at most this many requests a minute (counted per minute in the database).
KOERS_API_TOKEN_MAX_DAYS = max(int(env("KOERS_API_TOKEN_MAX_DAYS", "365")), 1)
KOERS_API_TOKEN_RATE_PER_MINUTE = max(int(env("KOERS_API_TOKEN_RATE_PER_MINUTE", "120")), 1)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Two-factor sign-in is required of superusers and of whoever holds HR or a body's role
# (access/mfa.py): until they set up TOTP, they see only its set-up page and the API
# answers 403. Off ("false") only where every account signs in through the employer's
# OpenID Connect sign-in and that asks for a second factor itself.
KOERS_MFA_REQUIRED = env_bool("KOERS_MFA_REQUIRED", True)
MFA_TOTP_ISSUER = "Koers"
# A code of the 30-second window just before or after the server's is accepted too
# (RFC 6238, section 5.2: typed at the end of its window, or a phone's clock a little
# off); each code still works once (allauth marks it used for the three windows).
MFA_TOTP_TOLERANCE = 1
# Employer sign-in (OpenID Connect: Microsoft Entra ID, Flemish ACM/IDM, Keycloak…) is
# set per organisation on its page by HR (access/sign_in.py, docs/operations.md); the
# adapter builds allauth's apps from those settings and links a sign-in to an existing
# person by the organisation's rules alone: allauth's linking by e-mail (which wipes the
# password of an address it did not verify) stays off, and nobody signs up.
SOCIALACCOUNT_ADAPTER = "koers.web.auth.NoSignupSocialAdapter"
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = False
# Only https providers, unless this says otherwise (a provider on the same machine in a
# test or a demo).
KOERS_OIDC_ALLOW_HTTP = env_bool("KOERS_OIDC_ALLOW_HTTP", False)

LANGUAGE_CODE = languages.DEFAULT
LANGUAGES = languages.CHOICES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("KOERS_STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
# Front-end packages come from npm (package-lock.json) and are served as they are.
NODE_MODULES = Path(env("KOERS_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
STATICFILES_DIRS = [
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    # The Koers theme (web/koers-theme.css) sets its text in this typeface.
    ("vendor/fonts", NODE_MODULES / "@fontsource-variable" / "atkinson-hyperlegible-next"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# In production `koers collectstatic` writes every static file under a name that carries
# a hash of its content (KOERS_STATIC_HASHED=1), so the server that serves STATIC_ROOT
# (granian's --static-path-mount, or the reverse proxy) may let browsers keep them for a
# year: a changed file has a new name. The deploy checks warn when it is off (core/checks.py).
# The local demo and the tests serve the files as they are, with no collectstatic step.
KOERS_STATIC_HASHED = env_bool("KOERS_STATIC_HASHED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": (
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage" if KOERS_STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage")},
}
# Uploads: the imports read at most this many bytes (a zip bomb in an XLSX is cut off too).
KOERS_IMPORT_MAX_BYTES = int(env("KOERS_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = KOERS_IMPORT_MAX_BYTES + 1024 * 1024

# E-mail goes to an SMTP relay configured with EMAIL_HOST, else into files in the folder
# EMAIL_FILE_PATH (one per connection; `koers demo` uses var/demo-mail), else to the console.
# Only the task workers use it: every e-mail is written to the outbox first (notify/outbox.py).
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "25")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                # Seconds a send may hang; well below the outbox's lease (notify/outbox.py).
                "timeout": int(env("EMAIL_TIMEOUT", "30")),
            },
        }
    }
elif env("EMAIL_FILE_PATH"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env("EMAIL_FILE_PATH")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "koers@localhost")

# /metrics (core/metrics.py) answers only to "Authorization: Bearer <this token>"; without
# a token it does not exist. PROMETHEUS_MULTIPROC_DIR (read by prometheus_client) names a
# folder the app-server processes of one host share, so one scrape counts all of them.
KOERS_METRICS_TOKEN = env("KOERS_METRICS_TOKEN")

# Unexpected errors go to Sentry, or a server that speaks its protocol, when this names
# one; what a report holds is scrubbed of personal data (core/error_reports.py).
KOERS_SENTRY_DSN = env("KOERS_SENTRY_DSN")
KOERS_SENTRY_ENVIRONMENT = env("KOERS_SENTRY_ENVIRONMENT", "production")

# The keys that sign the audit trail's hashes, "id:secret" pairs, the current one first
# (audit/keys.py, docs/audit.md "Keys"); kept outside the database, in a file in production.
KOERS_AUDIT_KEYS = env("KOERS_AUDIT_KEYS")
# Where the daily task writes a signed anchor of the audit trail (a folder the database's
# administrators cannot write); empty: no anchor is written on a schedule.
KOERS_AUDIT_ANCHOR_DIR = env("KOERS_AUDIT_ANCHOR_DIR")

# /health/ready reports a worker as stalled when the heartbeat task (enqueued by every
# round of `koers scheduler`, 15 minutes by default) has not run for this long.
KOERS_WORKER_STALE_MINUTES = int(env("KOERS_WORKER_STALE_MINUTES", "45"))
# What the workers record of a finished task (every e-mail and PDF is one) is deleted by a
# daily task after this many days, a failed one after four times as many.
KOERS_TASK_RESULTS_KEEP_DAYS = max(int(env("KOERS_TASK_RESULTS_KEEP_DAYS", "7")), 2)

# PDFs are laid out by the task workers (access/renderings.py), never in a request: a
# layout still running after KOERS_PDF_MAX_SECONDS is stopped, a document of more than
# KOERS_PDF_MAX_PAGES pages is not written; a PDF is kept KOERS_PDF_KEEP_HOURS, then purged.
KOERS_PDF_MAX_PAGES = max(int(env("KOERS_PDF_MAX_PAGES", "100")), 1)
KOERS_PDF_MAX_SECONDS = max(float(env("KOERS_PDF_MAX_SECONDS", "60")), 1.0)
KOERS_PDF_KEEP_HOURS = max(float(env("KOERS_PDF_KEEP_HOURS", "24")), 1.0)
# Signed records (organisation/records.py, organisation/pades.py): each organisation's logo
# and signing key, outside the database, in KOERS_ORGANISATIONS_DIR/<short name>/
# (logo.svg|png|jpg; signing.p12 and its passphrase in signing.pass, or pkcs11.json and
# pkcs11.pin for a key on a PKCS#11 token). Without a key a
# signed report's PDF is not signed by the organisation, and `check --deploy` warns.
KOERS_ORGANISATIONS_DIR = env("KOERS_ORGANISATIONS_DIR", "")
# pyHanko imports cryptography's DSA key type for DSA signatures, which Koers never makes;
# the deprecation it triggers at every start says nothing to an operator.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Strict CSP: no inline script or style anywhere (templates use static files only).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Permissions-Policy (`web/middleware.py`): Koers uses no powerful browser feature, so
# each is denied. Only features current browsers recognise are named (an unknown name
# is a console warning). WebAuthn needs `publickey-credentials-*` set to ["self"] before
# "webauthn" joins MFA_SUPPORTED_TYPES.
KOERS_PERMISSIONS_POLICY: dict[str, list[str]] = {feature: [] for feature in (
    "accelerometer", "autoplay", "browsing-topics", "camera", "clipboard-read",
    "clipboard-write", "compute-pressure", "display-capture", "encrypted-media",
    "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection", "local-fonts",
    "magnetometer", "microphone", "midi", "otp-credentials", "payment",
    "picture-in-picture", "publickey-credentials-create", "publickey-credentials-get",
    "screen-wake-lock", "serial", "storage-access", "usb", "window-management",
    "xr-spatial-tracking",
)}
# HTTPS. The local demo speaks plain http on 127.0.0.1, so all of this stays off until
# KOERS_HTTPS says the site is served over https only; then http is redirected to https,
# the cookies travel over https alone and browsers are told (HSTS) to use nothing else
# for a year, subdomains included. Behind a proxy that ends TLS, the app sees http:
# KOERS_PROXY_SSL_HEADER trusts the proxy's X-Forwarded-Proto (the proxy must set it and
# overwrite what a client sent), or the redirect would loop.
KOERS_HTTPS = env_bool("KOERS_HTTPS", False)
SECURE_SSL_REDIRECT = KOERS_HTTPS
# Probes of the load balancer or Kubernetes speak plain http to the app server itself.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = int(env("KOERS_HSTS_SECONDS", str(365 * 24 * 3600))) if KOERS_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = KOERS_HTTPS and env_bool("KOERS_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds the whole registrable domain for a long time once it is submitted to
# the browsers' list: the domain's owner decides, so it is off unless asked for.
SECURE_HSTS_PRELOAD = KOERS_HTTPS and env_bool("KOERS_HSTS_PRELOAD", False)
# An operator who wrote KOERS_HSTS_PRELOAD=0 has taken that decision: the deploy check that
# asks for it (security.W021) has been answered. Left unset, it keeps asking.
SILENCED_SYSTEM_CHECKS = (
    ["security.W021"] if KOERS_HTTPS and env("KOERS_HSTS_PRELOAD") and not SECURE_HSTS_PRELOAD
    else [])
if env_bool("KOERS_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool(
    "SECURE_COOKIES", KOERS_HTTPS or (not DEBUG and SITE_URL.startswith("https")))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Logs go to standard error: lines of text with time and level, or with
# KOERS_LOG_FORMAT=json one JSON object a line for a log collector (core/logs.py). Every
# request is logged once ("koers.request": request id, user id, method, path, status,
# duration; never a name or what was typed).
KOERS_LOG_FORMAT = env("KOERS_LOG_FORMAT", "text")
if KOERS_LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("KOERS_LOG_FORMAT is text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "koers.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "koers.core.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": KOERS_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of every PDF at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
