"""The migrations build the schema from nothing, match the models, and go back down.

Runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL, each time on a database
of its own made for the test (never the one the `app` fixture fills with create_all).
Covers every revision in migrations/versions, whatever has been added since.
"""

from __future__ import annotations

from collections.abc import Iterator

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from tests.fixtures.app import DATABASES
from webinars import create_app
from webinars.extensions import db


@pytest.fixture(params=DATABASES)
def empty_app(request: pytest.FixtureRequest, tmp_path, pg_url: str | None) -> Iterator[Flask]:
    """An app on a brand-new, empty database."""
    if request.param == "postgresql":
        assert pg_url
        url = _fresh_pg_database(pg_url)
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        _drop_pg_database(url)


def _admin_engine(url: str) -> sa.Engine:
    return sa.create_engine(sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _fresh_pg_database(base_url: str) -> str:
    url = sa.make_url(base_url)
    name = f"{url.database}_migrations"
    engine = _admin_engine(base_url)
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    engine = _admin_engine(url)
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}"'))
    engine.dispose()


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def _schema_gaps() -> dict[str, set[str]]:
    """Tables the models have and the database lacks, and the other way round."""
    tables, models = _tables() - {"alembic_version"}, set(db.metadata.tables)
    return {"models without a migration": models - tables, "tables no model has": tables - models}


NO_GAPS: dict[str, set[str]] = {"models without a migration": set(), "tables no model has": set()}


def _head(app: Flask) -> str:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"the migrations have several heads; merge them: {heads}"
    return heads[0]


def test_migrations_have_a_single_head(empty_app):
    assert _head(empty_app)


def test_upgrade_builds_every_table_from_nothing(empty_app):
    with empty_app.app_context():
        assert _tables() == set()

        flask_migrate.upgrade()

        assert (gaps := _schema_gaps()) == NO_GAPS, gaps
        assert _version() == _head(empty_app)


def test_upgrade_leaves_nothing_for_autogenerate(empty_app):
    """The models and the migrated schema agree: `flask db migrate` would find nothing."""
    with empty_app.app_context():
        flask_migrate.upgrade()
        options = {
            "compare_type": True,
            "compare_server_default": False,
            **empty_app.extensions["migrate"].configure_args,
        }
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts=options)
            differences = compare_metadata(context, db.metadata)

    assert differences == [], "\n".join(repr(d)[:200] for d in differences)


def _version() -> str | None:
    return db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def test_downgrade_to_base_and_up_again(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        upgraded = _tables()

        flask_migrate.downgrade(revision="base")
        assert _tables() <= {"alembic_version"}

        flask_migrate.upgrade()
        assert _tables() == upgraded
        assert _version() == _head(empty_app)


def test_db_upgrade_command_builds_the_schema(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["db", "upgrade"])

    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert _version() == _head(empty_app)
        assert {"users", "sessions", "partner_academies", "audit_entries"} <= _tables()
