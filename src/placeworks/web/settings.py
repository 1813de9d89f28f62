"""Django settings for placeworks.

Everything that differs between a laptop demo and a deployment comes from the environment:

``DATABASE_URL``
    Any URL dj-database-url understands. Default: SQLite at ``./var/placeworks.sqlite3`` (relative
    to the working directory, created as needed). Production and CI use PostgreSQL.
``PLACEWORKS_SECRET_KEY``
    Django's secret key. Without it a fixed, public development key is used: never deploy so.
``PLACEWORKS_DEBUG``
    ``true``/``1``/``yes`` turns Django's debug mode on. Off by default.
``PLACEWORKS_ALLOWED_HOSTS``
    Extra host names, comma separated, on top of 127.0.0.1, localhost and testserver.
``PLACEWORKS_FRONTEND_DIR``
    Folder of nhsuk-frontend's ``dist/nhsuk`` files (default: ``node_modules`` at the repo root).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from jinja2 import ChainableUndefined

from placeworks.web.frontend import frontend_dir

WEB_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _default_database_url() -> str:
    var = Path.cwd() / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'placeworks.sqlite3'}"


# DEVELOPMENT ONLY: this fallback key is public (it is in the source code). Any deployment must
# set PLACEWORKS_SECRET_KEY to a long random value of its own.
DEVELOPMENT_SECRET_KEY = "placeworks-development-only-insecure-key-set-PLACEWORKS_SECRET_KEY"
SECRET_KEY = os.environ.get("PLACEWORKS_SECRET_KEY") or DEVELOPMENT_SECRET_KEY

DEBUG = _flag("PLACEWORKS_DEBUG")

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"] + [
    host.strip()
    for host in os.environ.get("PLACEWORKS_ALLOWED_HOSTS", "").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "placeworks.web.footprints",
    "placeworks.web.baselines",
    "placeworks.web.runs",
    "simple_history",
    "placeworks.governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise serves the NHS.UK frontend and the admin's static files from the app itself.
    "placeworks.web.static.FrontendWhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "placeworks.web.urls"
WSGI_APPLICATION = "placeworks.web.wsgi.application"

TEMPLATES = [
    {
        # The app's pages: Jinja2 with the NHS.UK frontend macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [WEB_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "placeworks.web.jinja2_env.environment",
            # nhsuk-frontend-jinja reads optional parameters through chains (params.a.b).
            "undefined": ChainableUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
    {
        # Django's own templates, for the admin.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_database_url(), conn_max_age=0
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "sign_in"
# After signing in without a page to return to: the user's own place (``deal_views.home``).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "index"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
FRONTEND_DIR = frontend_dir()
STATICFILES_DIRS = [FRONTEND_DIR]
# Plain storage (no manifest), so pages work without `collectstatic`; WhiteNoise finds the files
# through Django's finders.
WHITENOISE_USE_FINDERS = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
