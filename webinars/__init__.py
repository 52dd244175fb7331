"""The webinars application: create_app() wires extensions, blueprints, CLI and errors."""

from __future__ import annotations

import os
import sys
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_for


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the app. `config` is a config class, or a dict of overrides for tests."""
    app = Flask(
        __name__,
        template_folder=os.path.join(os.path.dirname(__file__), os.pardir, "templates"),
        instance_path=str(_instance_path()),
    )
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_for("testing" if config else None))
        app.config.update(config or {})
    app.config.from_prefixed_env("WEBINARS")
    _check_production_settings(app)

    from webinars import cli, errors, extensions, gc_safety, i18n, jobs, security
    from webinars.domain.reports import cache as report_cache
    from webinars.observability import logs
    from webinars.web import register_blueprints

    # Before the database: teardowns run in reverse, so the collection comes after the
    # session is closed.
    gc_safety.init_app(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=_migrations_dir(), render_as_batch=True, compare_type=True
    )
    extensions.bootstrap.init_app(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.init_huey(app)
    security.init_app(app)
    i18n.init_app(app)
    register_blueprints(app)
    errors.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    report_cache.init_app(app)
    logs.init_app(app)
    if app.config.get("TRUST_PROXY_HEADERS"):
        # Behind a TLS-terminating proxy: take scheme, host and client address from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    return app


def _instance_path() -> Any:
    from config import INSTANCE_DIR

    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return INSTANCE_DIR


def _migrations_dir() -> str:
    return os.path.join(os.path.dirname(__file__), os.pardir, "migrations")


def _check_production_settings(app: Flask) -> None:
    """A production app does not start on a wrong configuration: every problem at once."""
    if app.debug or app.testing:
        return
    from webinars.selfcheck import settings_problems

    problems = settings_problems(app.config)
    if not problems or _running_self_check():
        return
    lines = "\n".join(f"  - {problem}" for problem in problems)
    if app.config.get("SELF_CHECK") == "warn":  # benchmarks and trials, never a real install
        app.logger.warning("Starting despite %d problem(s):\n%s", len(problems), lines)
        return
    raise RuntimeError(
        f"The production configuration has {len(problems)} problem(s):\n{lines}\n"
        "See README.md (Production) and `flask --app wsgi check`."
    )


def _running_self_check() -> bool:
    """`flask --app wsgi check` must start on a wrong configuration, to list it."""
    words = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    return os.path.basename(sys.argv[0]) == "flask" and "check" in words
