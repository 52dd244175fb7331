"""flask commands: check, seed-demo, create-user, worker, translate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from webinars.domain.accounts.staff import StaffRuleError, create_user
from webinars.domain.sessions.timezones import is_valid_zone
from webinars.extensions import db
from webinars.models import PartnerAcademy, Role

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
TRANSLATIONS = PACKAGE_DIR / "translations"
POT = TRANSLATIONS / "messages.pot"
BABEL_CFG = ROOT_DIR / "babel.cfg"
# Flask-Babel's lazy forms, beside Babel's own keywords (_, gettext, ngettext, N_ ...), and
# the marker of WTForms' plural messages (webinars/web/translated_forms.py);
# tests/test_translations.py extracts with the same ones.
EXTRA_KEYWORDS = ("_l", "lazy_pgettext:1c,2", "ngettext_noop:1,2")


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default="lecturer", show_default=True
)
@click.option(
    "--time-zone",
    default=None,
    help="IANA zone; default: a coordinator's academy's, else HOME_TIME_ZONE.",
)
@click.option("--academy", "academy_slug", default=None, help="Slug, for coordinators.")
@click.password_option()
@with_appcontext
def create_user_command(email, name, role, time_zone, academy_slug, password) -> None:
    """Create a staff account."""
    if time_zone is not None and not is_valid_zone(time_zone):
        raise click.BadParameter(f"unknown time zone {time_zone!r}", param_hint="--time-zone")
    if len(password) < 8:
        raise click.BadParameter("use 8 characters or more", param_hint="--password")
    academy_id = None
    if academy_slug:
        academy = db.session.execute(
            db.select(PartnerAcademy).filter_by(slug=academy_slug)
        ).scalar_one_or_none()
        if academy is None:
            raise click.BadParameter(f"no academy {academy_slug!r}", param_hint="--academy")
        academy_id = academy.id
    try:
        user = create_user(email, name, password, Role(role), time_zone, academy_id)
    except StaffRuleError as exc:
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("check")
@with_appcontext
def check_command() -> None:
    """List every problem of this install's configuration and database, with its fix."""
    from flask import current_app

    from webinars.selfcheck import database_problems, settings_problems

    production = not (current_app.debug or current_app.testing)
    problems = settings_problems(current_app.config) if production else []
    problems += database_problems(current_app)
    for problem in problems:
        click.echo(f"✗ {problem.setting}: {problem.message}\n    Fix: {problem.fix}")
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found.")
    mode = "production" if production else "development (settings not checked)"
    click.echo(f"✓ No problem found ({mode}).")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo data (idempotent) and print the demo sign-ins."""
    from webinars.demo import seed_demo

    for line in seed_demo():
        click.echo(line)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run the background worker (tasks and periodic jobs), with its heartbeat: what a
    dead worker held is taken over at start and within a minute after it dies."""
    from webinars.jobs.takeover import start_heartbeat
    from webinars.jobs.worker import run_worker

    start_heartbeat(current_app._get_current_object())  # type: ignore[attr-defined]
    run_worker(workers)


@click.group("translate")
def translate() -> None:
    """Translation and localisation commands."""


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


@translate.command("extract")
def translate_extract() -> None:
    """Collect the strings to translate into messages.pot."""
    _pybabel(
        "extract",
        "-F",
        str(BABEL_CFG),
        *(arg for keyword in EXTRA_KEYWORDS for arg in ("-k", keyword)),
        "--sort-output",
        "--no-location",
        "-o",
        str(POT),
        str(ROOT_DIR),
    )


@translate.command("update")
def translate_update() -> None:
    """Extract, then merge new strings into every language's catalogue."""
    translate_extract.callback()  # type: ignore[misc]
    _pybabel("update", "--no-fuzzy-matching", "-i", str(POT), "-d", str(TRANSLATIONS))


@translate.command("compile")
def translate_compile() -> None:
    """Compile the catalogues (.po -> .mo)."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


@translate.command("init")
@click.argument("lang")
def translate_init(lang: str) -> None:
    """Start a catalogue for a new language."""
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang)


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (
        check_command,
        create_user_command,
        seed_demo_command,
        worker_command,
        translate,
    ):
        app.cli.add_command(command)
