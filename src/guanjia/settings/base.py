"""One settings module, driven by the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG,
GUANJIA_DATA_DIR, GUANJIA_PII_KEY). SQLite in the data directory is the default; PostgreSQL by URL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GUANJIA_DATA_DIR") or Path.cwd() / "var").resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_from_file(name: str, make: Callable[[], str]) -> str:
    """A secret kept in the data directory, made on first use, so a fresh demo just works."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or _secret_from_file(
    "secret.key", lambda: secrets.token_urlsafe(50)
)
# Key for personal data (ID numbers, phones): Fernet key, base64 of 32 bytes.
PII_KEY = os.environ.get("GUANJIA_PII_KEY") or _secret_from_file(
    "pii.key", lambda: __import__("cryptography.fernet").fernet.Fernet.generate_key().decode()
)

ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "guanjia.core.admin_apps.GuanjiaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "ninja",  # its bundled Swagger UI files serve /api/v1/docs without a CDN
    "guanjia.core",
    "guanjia.places",
    "guanjia.people",
    "guanjia.appeals",
    "guanjia.property",
    "guanjia.decisions",
    "guanjia.api",
    "guanjia.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "guanjia.core.middleware.AuditActorMiddleware",
]

ROOT_URLCONF = "guanjia.urls"
WSGI_APPLICATION = "guanjia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "guanjia.web.context.navigation",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'guanjia.sqlite3'}"
# Connections are kept between requests: opening one (and, on SQLite, running its PRAGMAs) cost more
# than a small API request itself. The health check replaces a connection the server has dropped.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that asks the socket, not the server (guanjia/core/postgresql).
    DATABASES["default"]["ENGINE"] = "guanjia.core.postgresql"
    # Parameters bound on the server, and statements a connection repeats prepared once: PostgreSQL
    # then plans each hot query once per connection instead of on every request (a submission's
    # database CPU went from 6.4 to 3.3 ms).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Django's backend plus a file lock that queues writers (see guanjia/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "guanjia.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on busy_timeout instead of failing half-way with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # ":memory:" said outright: pytest-django only recognises Django's own engine name as SQLite.
    DATABASES["default"]["TEST"] = {
        "NAME": str(DATA_DIR / "test.sqlite3") if _env_bool("GUANJIA_TEST_SQLITE_FILE") else ":memory:"
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "guanjia",
    "immediate": _env_bool("HUEY_IMMEDIATE"),
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    # Nothing reads a task's return value; storing it was one more write per task.
    "results": False,
    **({"url": REDIS_URL} if REDIS_URL else {"filename": str(DATA_DIR / "huey.sqlite3")}),
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# CJ/T 349-2010 grid codes start with a 6-digit object code; configurable per deployment.
# Notification channels beyond the in-app centre, and the SMS provider (the default only logs).
GUANJIA_NOTIFY_CHANNELS = [
    c
    for c in os.environ.get(
        "GUANJIA_NOTIFY_CHANNELS", "guanjia.core.notify.EmailChannel,guanjia.core.notify.SmsChannel"
    ).split(",")
    if c
]
# Notifications committed within this many seconds of each other share one delivery job.
GUANJIA_NOTIFY_BATCH_SECONDS = float(os.environ.get("GUANJIA_NOTIFY_BATCH_SECONDS", "0.05"))
GUANJIA_SMS_PROVIDER = os.environ.get("GUANJIA_SMS_PROVIDER", "guanjia.core.notify.LoggingSmsProvider")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "guanjia@localhost")

GRID_OBJECT_CODE = os.environ.get("GUANJIA_GRID_OBJECT_CODE", "000000")
API_TOKEN_TTL_DAYS = int(os.environ.get("GUANJIA_API_TOKEN_TTL_DAYS", "30"))
GUANJIA_BRAND = _("管家 · 社区治理")
