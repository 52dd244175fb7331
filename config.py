"""Configuration classes. Every setting comes from the environment (see README.md)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("WEBINARS_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _persistent_secret_key() -> str:
    """Development only: create a random key once and keep it under instance/."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


# The department the defaults describe (the demo's own, in Samarkand), in each language.
DEFAULT_HOME_NAMES = {
    "": "Department of Children's Diseases, Samarkand",
    "RU": "Кафедра детских болезней, Самарканд",
    "UZ": "Bolalar kasalliklari kafedrasi, Samarqand",
}


def _home_name(language: str = "") -> str | None:
    """HOME_NAME ("") or HOME_NAME_RU / HOME_NAME_UZ from the environment. With HOME_NAME
    unset, the default department's name in each language (so a first run speaks all
    three); with it set, a language left unset is None: HOME_NAME serves it as it is."""
    setting = f"HOME_NAME_{language}" if language else "HOME_NAME"
    if setting in os.environ:
        return os.environ[setting]
    if "HOME_NAME" in os.environ:
        return None
    return DEFAULT_HOME_NAMES[language]


class Config:
    """Settings shared by every environment."""

    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'webinars.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY")
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    REDIS_URL = os.environ.get("REDIS_URL")  # None: huey on SQLite, limits in memory

    # The home department: its city labels times in its zone on every page.
    HOME_NAME = _home_name()
    HOME_CITY = os.environ.get("HOME_CITY", "Samarkand")
    # The same names per language (ru, uz); unset: the default department's own names
    # while HOME_NAME is unset too, else HOME_NAME as it is; for the city CLDR's name of
    # HOME_CITY when it is its zone's own city (Самарканд, Samarqand).
    HOME_NAME_RU = _home_name("RU")
    HOME_NAME_UZ = _home_name("UZ")
    HOME_CITY_RU = os.environ.get("HOME_CITY_RU")
    HOME_CITY_UZ = os.environ.get("HOME_CITY_UZ")
    # The site's name in the header and titles, per language; unset: the translated
    # "International lectures".
    SITE_NAME = os.environ.get("SITE_NAME")
    SITE_NAME_RU = os.environ.get("SITE_NAME_RU")
    SITE_NAME_UZ = os.environ.get("SITE_NAME_UZ")
    HOME_TIME_ZONE = os.environ.get("HOME_TIME_ZONE", "Asia/Samarkand")
    # Its working week, as each academy's (Admin -> Partner academies): public holidays of
    # HOME_COUNTRY, ISO weekdays (1 Monday ... 7 Sunday), hours and a lunch break on its
    # clock ("" for none). The find-a-time grid and the warnings on save read them.
    HOME_COUNTRY = os.environ.get("HOME_COUNTRY", "UZ")
    HOME_WORK_DAYS = os.environ.get("HOME_WORK_DAYS", "12345")
    HOME_WORK_HOURS = os.environ.get("HOME_WORK_HOURS", "09:00-18:00")
    HOME_LUNCH_BREAK = os.environ.get("HOME_LUNCH_BREAK", "")

    LANGUAGES = ("en", "ru", "uz")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "webinars" / "translations")

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)
    TRUST_PROXY_HEADERS = _bool("TRUST_PROXY_HEADERS", False)

    # Operations: see docs/operations.md.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None  # unset: /metrics from loopback
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json": one object per line
    # /readyz: how long the database (and Redis) may take to answer before it says 503.
    READINESS_TIMEOUT_SECONDS = float(os.environ.get("READINESS_TIMEOUT_SECONDS", "2"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # "refuse": production does not start on a wrong configuration (webinars.selfcheck);
    # "warn": it logs the problems and starts, for benchmarks and trials on one machine.
    SELF_CHECK = os.environ.get("SELF_CHECK", "refuse")

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Every limit, its setting and what it counts: README.md (Rate limits).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "30 per minute")
    # Private links, counted per link (a whole class confirms from one address at once).
    LINK_RATE_LIMIT = os.environ.get("LINK_RATE_LIMIT", "120 per minute")
    CONFIRM_RATE_LIMIT = os.environ.get("CONFIRM_RATE_LIMIT", "20 per minute")
    NEW_LINK_RATE_LIMIT = os.environ.get("NEW_LINK_RATE_LIMIT", "5 per hour")
    PERSONAL_FEED_RATE_LIMIT = os.environ.get("PERSONAL_FEED_RATE_LIMIT", "10 per hour")
    INVITATION_RATE_LIMIT = os.environ.get("INVITATION_RATE_LIMIT", "30 per minute")

    HUEY_IMMEDIATE = False
    HUEY_SQLITE_PATH = str(INSTANCE_DIR / "huey.sqlite3")

    SCHEDULE_PAGE_SIZE = 25
    # scrypt; the test suite sets a cheap method (it creates hundreds of accounts).
    PASSWORD_HASH_METHOD = "scrypt"
    # Tests only: an unexpected error fails the test instead of answering the 500 page.
    PROPAGATE_UNEXPECTED = True

    # Calendar feeds: how long a worker trusts the data fingerprint it read (seconds; an
    # idle poll then costs no query), and the size of each process's cache of renderings.
    FEED_FINGERPRINT_SECONDS = 5.0
    # Python 3.11 only: cyclic garbage collected between requests and tasks, never inside
    # them (webinars.gc_safety, issue 9). Off by itself from Python 3.12.
    GC_AT_SAFE_POINTS = _bool("GC_AT_SAFE_POINTS", sys.version_info < (3, 12))
    FEED_CACHE_MAX_BYTES = 64 * 1024 * 1024
    # The most events one feed holds: a feed with more sessions in its usual window
    # (90 days back, 400 ahead) covers fewer days, says which, and points to narrower
    # feeds. ~1,000 events of ~650 bytes keep it under the 1 MB that Google reads whole.
    FEED_MAX_EVENTS = int(os.environ.get("FEED_MAX_EVENTS", "1000"))

    # Anonymous visitors' pages (/, /catalogue/, /sessions/<id>) kept in each worker: for
    # at most this many seconds (seats left and the clock move without a data change;
    # a change to what they show drops them at once: see web/page_cache.py), and up to
    # this many bytes. 0 seconds: never kept.
    PUBLIC_PAGE_CACHE_SECONDS = float(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "5"))
    PUBLIC_PAGE_CACHE_MAX_BYTES = 16 * 1024 * 1024

    # Zoom (Server-to-Server OAuth app). Zoom is "configured" when the account, client id,
    # secret and at least one host are set; webhooks also need the secret token.
    ZOOM_ACCOUNT_ID = os.environ.get("ZOOM_ACCOUNT_ID", "")
    ZOOM_CLIENT_ID = os.environ.get("ZOOM_CLIENT_ID", "")
    ZOOM_CLIENT_SECRET = os.environ.get("ZOOM_CLIENT_SECRET", "")
    ZOOM_HOSTS = os.environ.get("ZOOM_HOSTS", "")  # comma-separated licensed host emails
    ZOOM_WEBHOOK_SECRET_TOKEN = os.environ.get("ZOOM_WEBHOOK_SECRET_TOKEN", "")
    ZOOM_OAUTH_URL = os.environ.get("ZOOM_OAUTH_URL", "https://zoom.us/oauth/token")
    ZOOM_API_BASE_URL = os.environ.get("ZOOM_API_BASE_URL", "")  # set: wins over api_url
    ZOOM_HOST_BUFFER_MINUTES = int(os.environ.get("ZOOM_HOST_BUFFER_MINUTES", "15"))
    ZOOM_TIMEOUT_SECONDS = float(os.environ.get("ZOOM_TIMEOUT_SECONDS", "10"))
    ZOOM_MARKER_NAMESPACE = os.environ.get("ZOOM_MARKER_NAMESPACE", "webinars")
    ZOOM_TOKEN_FILE = os.environ.get("ZOOM_TOKEN_FILE", str(INSTANCE_DIR / "zoom-token.json"))

    # Mail: unset MAIL_SERVER keeps messages in the outbox (shown to admins) instead of sending.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "webinars@localhost")

    # Student registration: unconfirmed holds, keeping personal data, abuse limits.
    REGISTRATION_HOLD_HOURS = int(os.environ.get("REGISTRATION_HOLD_HOURS", "24"))
    REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "180"))
    REGISTRATION_RATE_LIMIT = os.environ.get(
        "REGISTRATION_RATE_LIMIT", "60 per 10 minutes;300 per day"
    )
    REGISTRATION_EMAIL_RATE_LIMIT = os.environ.get(
        "REGISTRATION_EMAIL_RATE_LIMIT", "5 per hour;20 per day"
    )

    # Attendance and certificates: the default share of a session's minutes that counts as
    # attended (each session may set its own), and when an unfinalised list is finalised.
    ATTENDANCE_SHARE_PERCENT = int(os.environ.get("ATTENDANCE_SHARE_PERCENT", "70"))
    ATTENDANCE_FINALISE_AFTER_HOURS = int(os.environ.get("ATTENDANCE_FINALISE_AFTER_HOURS", "48"))
    # Certificates: numbers read PREFIX-YEAR-NNNNNN; duration in academic hours of N minutes.
    CERTIFICATE_NUMBER_PREFIX = os.environ.get("CERTIFICATE_NUMBER_PREFIX", "WEB")
    CERTIFICATE_ACADEMIC_HOUR_MINUTES = int(
        os.environ.get("CERTIFICATE_ACADEMIC_HOUR_MINUTES", "45")
    )

    # Partner agreements: scanned documents (PDF) are kept here, outside the web root, under
    # random names, and served to staff only; uploads over the limit are refused (keep it
    # under the proxy's body limit, 10 MB in deploy/nginx).
    AGREEMENT_DOCUMENTS_DIR = os.environ.get(
        "AGREEMENT_DOCUMENTS_DIR", str(INSTANCE_DIR / "agreements")
    )
    AGREEMENT_DOCUMENT_MAX_BYTES = int(
        os.environ.get("AGREEMENT_DOCUMENT_MAX_BYTES", str(8 * 1024 * 1024))
    )
    # Partner academies: invitation links for coordinators, lecture requests left unanswered.
    COORDINATOR_INVITATION_DAYS = int(os.environ.get("COORDINATOR_INVITATION_DAYS", "7"))
    LECTURE_REQUEST_OVERDUE_DAYS = int(os.environ.get("LECTURE_REQUEST_OVERDUE_DAYS", "7"))

    # The cooperation report: "calendar" (January-December) or "academic" (September-
    # August) years, counted in HOME_TIME_ZONE; an academic hour is this many minutes.
    REPORT_YEAR = os.environ.get("REPORT_YEAR", "calendar")
    ACADEMIC_HOUR_MINUTES = int(os.environ.get("ACADEMIC_HOUR_MINUTES", "45"))


class DevelopmentConfig(Config):
    """Local development: SQLite, a key kept under instance/, cookies over plain http."""

    DEBUG = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECRET_KEY = Config.SECRET_KEY or _persistent_secret_key()
    MAIL_SERVER = None  # development shows mail on the outbox page instead of sending it


class TestingConfig(Config):
    """The test suite: a database from TEST_DATABASE_URL or a temporary SQLite file."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    HUEY_IMMEDIATE = True
    BASE_URL = "http://localhost"
    # Hashing with scrypt costs ~0.15 s per account; tests create hundreds of accounts.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # gc.disable() is process-wide: the suite keeps automatic collection, and
    # tests/test_gc_safety.py runs the safe points in processes of their own.
    GC_AT_SAFE_POINTS = False
    MAIL_SERVER = None  # tests that send mail point it at their own SMTP server


class ProductionConfig(Config):
    """Production: SECRET_KEY and DATABASE_URL must be set."""

    FORCE_HTTPS = _bool("FORCE_HTTPS", True)
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """The configuration class named by WEBINARS_ENV (default: development)."""
    return CONFIGS[name or os.environ.get("WEBINARS_ENV", "development")]
