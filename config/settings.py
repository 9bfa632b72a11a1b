"""Corroborate settings: one module, configured from the environment.

With no environment at all it runs the demo on SQLite with DEBUG on. Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL through psycopg 3),
and optionally REDIS_URL for the shared cache.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-for-the-local-demo"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin with the project's site: apps and models in a curator's order.
    "config.apps.CorroborateAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    # The read API's documentation page takes Swagger UI from ninja's static files,
    # not from a CDN, when ninja is an installed app (reader/api.py).
    "ninja",
    "reversion",
    "nested_admin",
    "axes",
    "import_export",
    "intake",
    "provenance",
    "claims",
    "reader",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.PolicyOnceCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A stored public page is answered here, before the middleware a reader without a
    # session does not need (reader/cache.py).
    "reader.cache.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    # The public pages (templates/reader/, reader/environment.py): first, so their names
    # find them. The admin, the form widgets and docs/methodology.md use Django's engine.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "reader"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "reader.environment.environment",
            "context_processors": ["django.template.context_processors.request"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL's planner assumes by default that reading a page at random costs four
# times a sequential read, as on a spinning disk. On SSDs, or with the data in memory,
# 1.1 is the usual setting: with 4 it hashed the whole citation table to walk a
# claim's chains of citation instead of following the index (docs/decisions.md).
# POSTGRES_RANDOM_PAGE_COST overrides it; set it the same on a replica. It is a
# per-connection setting: nothing changes on the server.
#
# JIT compilation is off for the same reason: it pays for long analytic queries, and
# the planner's guess at a recursive walk of citations (hundreds of rows for a few
# dozen) crossed its cost threshold, so PostgreSQL spent longer compiling a short
# query than running it.
POSTGRES_OPTIONS = (
    f"-c random_page_cost={os.environ.get('POSTGRES_RANDOM_PAGE_COST', '1.1')} -c jit=off"
)
# SQLite keeps 2 MB of pages per connection by default: at 100,000 claims the search's
# visibility checks read past that, and 64 MB (SQLITE_CACHE_MB) keeps them in memory.
SQLITE_INIT = f"PRAGMA cache_size=-{int(os.environ.get('SQLITE_CACHE_MB', '64')) * 1024}"
for _alias in DATABASES:
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[_alias].setdefault("OPTIONS", {}).setdefault("options", POSTGRES_OPTIONS)
    elif DATABASES[_alias]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES[_alias].setdefault("OPTIONS", {}).setdefault("init_command", SQLITE_INIT)
# No TEST NAME: Django names the test database after the real one, test_<name>
# (pytest-xdist adds _gw0, _gw1 …), so runs against different databases on one server
# do not collide. A fixed name here would bring the collisions back.

# An optional read replica for the public pages (config/db_router.py); tests read the
# primary through it, as Django's test runner does not copy data to a replica.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", POSTGRES_OPTIONS)
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Files served at the site's root by WhiteNoise, as browsers and crawlers ask for them
# there whatever the page says: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "root_files"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Files the site writes for readers: the whole-archive download (reader/archive.py),
# stored through the "default" storage. With several app servers, point MEDIA_ROOT at
# a volume they share, or "default" at shared object storage (docs/deployment.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The licence the whole-archive download is offered under (its datapackage.json).
ARCHIVE_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "corroborate",
            # The cache is an optimisation: a Redis that is down or hanging must cost a
            # request a fraction of a second, not a worker's whole timeout. Pages are
            # then served uncached (reader/cache.py, docs/deployment.md).
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Shared HTTP caches in front of the site that take PURGE by surrogate key (Varnish with
# xkey: config/varnish.vcl, `manage.py serve_edge`), as addresses separated by commas.
# Each is sent the keys a change makes stale once it commits (reader/edge.py).
EDGE_PURGE_URLS = [
    url.strip() for url in os.environ.get("EDGE_PURGE_URLS", "").split(",") if url.strip()
]

# Serves /benchmark/hello/, a view that does nothing, for the load test to measure
# pages against (benchmarks/loadtest.sh); never set in production.
BENCHMARK_VIEWS = os.environ.get("BENCHMARK_VIEWS", "") == "1"

# --- Security -------------------------------------------------------------------------

# Content Security Policy (django-csp): every script, style, image and font comes from
# this site; nothing may frame it, and forms post only here. On in development too, so
# an inline script or style that production would block shows up at once.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Admin login throttling (django-axes): five wrong passwords for one user name from one
# address lock that pair out for an hour, with a page that says so (templates/axes/).
# A success clears the count. Behind a proxy every request comes from the proxy's
# address, so the lock is then per user name.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"

if not DEBUG:
    # Production: HTTPS only, for a year, subdomains included; cookies never sent in
    # clear. A TLS-terminating proxy must say so: SECURE_PROXY_SSL_HEADER names the
    # header it sets, e.g. HTTP_X_FORWARDED_PROTO (its value must be "https").
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if os.environ.get("SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")

SITE_NAME = "Corroborate"

# Imports in the admin (django-import-export, intake/): who may import or export a
# model, and how large a file may be. A file is read whole, and every row is checked
# in the preview before anything is written, so the limits keep one import in seconds.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# HTTP caching of public answers (reader/cache.py, docs/deployment.md, the numbers'
# reasons in docs/decisions.md): browsers ask again every time (a 304 costs one cache
# round trip); shared caches keep an answer for HTTP_SHARED_MAX_AGE seconds, may serve
# it stale for a while as they fetch it again, and for a day while the site is down.
HTTP_MAX_AGE = int(os.environ.get("HTTP_MAX_AGE", "0"))
HTTP_SHARED_MAX_AGE = int(os.environ.get("HTTP_SHARED_MAX_AGE", "60"))
HTTP_STALE_WHILE_REVALIDATE = int(os.environ.get("HTTP_STALE_WHILE_REVALIDATE", "30"))
HTTP_STALE_IF_ERROR = int(os.environ.get("HTTP_STALE_IF_ERROR", str(24 * 3600)))
