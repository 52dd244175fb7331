"""What a production install must have right, each problem with its fix, all at once.

`flask --app wsgi check` prints every problem (and the unit that migrates runs it); a
production app refuses to start on the settings' problems (create_app), so a wrong
configuration is a clear message at start, not a surprise under load. The database's
problems (unreachable, migrations pending) are checked by the command only: the web
app's readiness probe reports those while it runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from webinars.domain.sessions.working_hours import WorkingWeekError, home_place
from webinars.zoom.setup import REQUIRED_SETTINGS

# Keys shorter than this, or with few distinct characters, are guessable.
MIN_SECRET_KEY_LENGTH = 32
WEAK_SECRET_KEYS = {"dev", "secret", "changeme", "change-me", "test-secret-key", "development"}
# Domains reserved for examples and tests (RFC 2606, RFC 6761): mail from them is fake.
_FAKE_MAIL_DOMAIN = re.compile(
    r"(^|\.)(localhost|localdomain|example\.(com|net|org)|example|invalid|test|local)$"
)
ZOOM_SETTINGS = REQUIRED_SETTINGS  # all of them, or none


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and how to put it right."""

    setting: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.setting}: {self.message} Fix: {self.fix}"


def settings_problems(config: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a production configuration that needs no database to see."""
    problems: list[Problem] = []
    problems += _secret_key(config.get("SECRET_KEY"))
    uri = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if uri.startswith("sqlite"):
        problems.append(
            Problem(
                "DATABASE_URL",
                "SQLite is for development: its single writer and per-file locks do not "
                "hold under several gunicorn workers and nodes.",
                "set DATABASE_URL=postgresql+psycopg://user@host:5432/webinars.",
            )
        )
    if not config.get("REDIS_URL"):
        problems.append(
            Problem(
                "REDIS_URL",
                "is not set: the task queue would be a local file and every rate limit "
                "would be counted per gunicorn worker, so none of them would hold.",
                "set REDIS_URL=redis://127.0.0.1:6379/0 (shared by every node).",
            )
        )
    if config.get("REDIS_URL") and str(config.get("RATELIMIT_STORAGE_URI")).startswith("memory"):
        problems.append(
            Problem(
                "RATELIMIT_STORAGE_URI",
                "is memory://: each gunicorn worker would count its own requests, so an "
                "email could register several times the limit (README.md, Rate limits).",
                "set it to a shared storage such as redis://127.0.0.1:6379/0, or leave it "
                "unset (the limits then use REDIS_URL).",
            )
        )
    if not str(config.get("BASE_URL") or "").startswith("https://"):
        problems.append(
            Problem(
                "BASE_URL",
                f"is {config.get('BASE_URL')!r}: links in emails and calendar feeds must "
                "be https (private feed and manage links travel in them).",
                "set BASE_URL=https://your.host (the public address behind nginx).",
            )
        )
    problems += _sender(config.get("MAIL_DEFAULT_SENDER"))
    problems += _zoom(config)
    problems += _home_week(config)
    return problems


def database_problems(app: Any) -> list[Problem]:
    """The database answers, and its schema is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    from webinars.extensions import db

    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # unreachable, wrong password, no such database
        return [
            Problem(
                "DATABASE_URL",
                f"the database cannot be reached ({type(exc).__name__}: {exc}).",
                "check DATABASE_URL and that PostgreSQL runs and lets this user in.",
            )
        ]
    migrate: Migrate = app.extensions["migrate"].migrate
    heads = set(ScriptDirectory.from_config(migrate.get_config()).get_heads())
    if current != heads:
        return [
            Problem(
                "migrations",
                f"the database is at {sorted(current) or 'no revision'}, the code needs "
                f"{sorted(heads)}.",
                "run `flask --app wsgi db upgrade` (systemctl start webinars-migrate).",
            )
        ]
    return []


def _secret_key(key: Any) -> list[Problem]:
    if not key:
        return [
            Problem(
                "SECRET_KEY",
                "is not set: sessions, manage links and feed tokens are signed with it.",
                "set SECRET_KEY to 64 random hex characters "
                "(python3 -c 'import secrets; print(secrets.token_hex(32))').",
            )
        ]
    text = str(key)
    if len(text) < MIN_SECRET_KEY_LENGTH or text.lower() in WEAK_SECRET_KEYS or len(set(text)) < 8:
        return [
            Problem(
                "SECRET_KEY",
                f"is weak ({len(text)} characters, {len(set(text))} distinct): anyone who "
                "guesses it can forge sessions and private links.",
                "set SECRET_KEY to 64 random hex characters "
                "(python3 -c 'import secrets; print(secrets.token_hex(32))').",
            )
        ]
    return []


def _home_week(config: Mapping[str, Any]) -> list[Problem]:
    """The home department's working week must be readable: the grid and warnings use it."""
    if "HOME_WORK_DAYS" not in config:  # a partial mapping (tests): nothing to read
        return []
    try:
        home_place(config)
    except WorkingWeekError as exc:
        return [
            Problem(
                "HOME_WORK_DAYS, HOME_WORK_HOURS, HOME_LUNCH_BREAK",
                f"cannot be read ({exc}).",
                "set e.g. HOME_WORK_DAYS=12345 HOME_WORK_HOURS=09:00-18:00 "
                "HOME_LUNCH_BREAK=13:00-14:00 (or empty for no break).",
            )
        ]
    return []


def _sender(sender: Any) -> list[Problem]:
    address = parseaddr(str(sender or ""))[1]
    domain = address.rpartition("@")[2].lower()
    if "@" in address and domain and not _FAKE_MAIL_DOMAIN.search(domain):
        return []
    return [
        Problem(
            "MAIL_DEFAULT_SENDER",
            f"is {sender!r}: mail from a local or example address is dropped as spam, and "
            "calendar invitations name it as their organiser.",
            "set MAIL_DEFAULT_SENDER='Department name <webinars@your.university.domain>'.",
        )
    ]


def _zoom(config: Mapping[str, Any]) -> list[Problem]:
    given = [name for name in ZOOM_SETTINGS if config.get(name)]
    if not given or len(given) == len(ZOOM_SETTINGS):
        return []
    missing = [name for name in ZOOM_SETTINGS if name not in given]
    return [
        Problem(
            "ZOOM_*",
            f"Zoom is half configured: {', '.join(given)} set, {', '.join(missing)} missing, "
            "so no meeting would be created.",
            f"set {', '.join(missing)} (a Server-to-Server OAuth app), or unset the others.",
        )
    ]
