"""What the suite needs from the machine, and what happens when something is missing.

Five things live outside the repository: PostgreSQL (TEST_DATABASE_URL), Redis
(TEST_REDIS_URL, default on 127.0.0.1:6379), Debian's Chromium (CHROMIUM_PATH, with
Playwright), Zoom's published documents in ``../shared/zoom`` beside the repository, and
Node.js with npm (for Mozilla's ical.js, installed by the calendar tests into
tests/calendars/js/node_modules from the npm registry).
On a developer's machine a test that needs a missing one skips and says why (without
TEST_DATABASE_URL the PostgreSQL variants are simply not made). Under CI (``CI=true``,
as ``.ci/run`` sets it) a missing one fails the run instead of skipping: the session
stops before the first test with one message that names everything missing, and
`require` fails a test rather than skipping it.

A pytest plugin (tests/conftest.py loads it): the check at the start, a header line, and
a closing line when no test ran on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

# Database 15: tests only, and every test removes the keys it made.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ZOOM_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "zoom"
ZOOM_OPENAPI = ZOOM_DOCS / "meetings-api-openapi-2026-08.json"


def in_ci() -> bool:
    """True when the run is CI's (CI=true or 1), where nothing may quietly not run."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pg_url() -> str | None:
    """The PostgreSQL database the tests may use (TEST_DATABASE_URL), or None."""
    return os.environ.get("TEST_DATABASE_URL") or None


@cache
def postgresql_missing() -> str | None:
    """Why no test can run on PostgreSQL here, or None when they can."""
    url = pg_url()
    if url is None:
        return (
            "TEST_DATABASE_URL is not set, so no test runs on PostgreSQL (set it to a database "
            "of your own, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test_me)"
        )
    shown = sa.make_url(url).render_as_string(hide_password=True)
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any reason at all is a reason to say so
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        return f"PostgreSQL at TEST_DATABASE_URL ({shown}) is not reachable: {first_line}"
    return None


@cache
def redis_missing() -> str | None:
    """Why the tests cannot use Redis here, or None when they can."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        return f"Redis is not reachable at {REDIS_URL} (start redis-server): {exc}"
    return None


@cache
def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"browser tests need Chromium at {CHROMIUM} "
            "(apt-get install chromium, or set CHROMIUM_PATH)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"browser tests need Playwright (make install-test): {exc}"
    return None


@cache
def zoom_documents_missing() -> str | None:
    """Why the contract tests cannot read Zoom's documents here, or None when they can."""
    if not ZOOM_OPENAPI.is_file():
        return (
            f"Zoom's OpenAPI document is not at {ZOOM_OPENAPI} (the ../shared/zoom folder "
            "beside the repository); the contract tests need it"
        )
    return None


@cache
def node_missing() -> str | None:
    """Why Mozilla's ical.js cannot run here (no Node.js or npm), or None when it can."""
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if absent:
        return (
            f"Mozilla's ical.js needs Node.js and npm, and {' and '.join(absent)} is not on "
            "PATH (apt-get install nodejs npm)"
        )
    return None


def missing() -> list[str]:
    """Everything a CI run needs that this machine lacks, in words."""
    probes = (
        postgresql_missing,
        redis_missing,
        chromium_missing,
        zoom_documents_missing,
        node_missing,
    )
    return [problem for probe in probes if (problem := probe())]


def require(problem: str | None, *, allow_module_level: bool = False) -> None:
    """Skip the calling test (or module) when `problem` says what is missing; under CI, fail.

    Use with a probe: ``require(redis_missing())``.
    """
    if problem is None:
        return
    if in_ci():
        pytest.fail(f"CI=true, but {problem}", pytrace=False)
    pytest.skip(problem, allow_module_level=allow_module_level)


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # an xdist worker: the controller checks once


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI, stop before any test when the machine lacks something the suite needs."""
    if not in_ci() or _is_worker(session.config):
        return
    problems = missing()
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        pytest.exit(
            "CI=true, but this machine lacks what the test suite needs, and a CI run must "
            f"run every test:\n{lines}\nInstall or start what is missing (.ci/run installs "
            "Chromium), or run without CI=true to skip those tests.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    """One line at the top of a run: what this machine lets the suite run."""
    if _is_worker(config):
        return []
    names = {
        "PostgreSQL": postgresql_missing,
        "Redis": redis_missing,
        "Chromium": chromium_missing,
        "Zoom documents": zoom_documents_missing,
        "Node.js": node_missing,
    }
    found = ", ".join(f"{name} {'no' if probe() else 'yes'}" for name, probe in names.items())
    return [f"machine: {found}; CI: {'yes' if in_ci() else 'no'}"]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say so at the end when no test ran on PostgreSQL (no skip would show it)."""
    if not _is_worker(config) and pg_url() is None:
        terminalreporter.write_line(f"PostgreSQL: {postgresql_missing()}")
