"""Fixtures: app, client, runner, factories, a login helper and a SQL query counter.

Every test that uses `app` runs once per database: SQLite always, and PostgreSQL too when
TEST_DATABASE_URL is set (.ci/run sets it). Under pytest-xdist each worker gets its own
PostgreSQL database, so parallel runs never share tables.

Two plugins come along: tests/environment (what the machine must provide; under CI=true
anything missing fails the run) and tests/skip_report (skips by reason at the end; under
CI only the allowed ones pass).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from webinars import create_app
from webinars.domain.sessions.scheduling import SessionInput, create_session
from webinars.domain.staff import create_user
from webinars.extensions import db
from webinars.models import (
    Conference,
    PartnerAcademy,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    User,
    Visibility,
    utcnow,
)

pytest_plugins = ["tests.environment", "tests.skip_report", "pytester"]

PG_URL = os.environ.get("TEST_DATABASE_URL") or None
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORD = "correct horse battery"


def _worker_pg_url(worker_id: str) -> str:
    """A database of this xdist worker's own on the PostgreSQL server (created if missing)."""
    assert PG_URL
    if worker_id == "master":
        return PG_URL
    url = sa.make_url(PG_URL)
    name = f"{url.database}_{worker_id}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url(worker_id: str) -> str | None:
    return _worker_pg_url(worker_id) if PG_URL else None


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


def database_url(kind: str, tmp_path, pg_url: str | None) -> str:
    """The URL of a fresh test database of `kind`."""
    if kind == "postgresql":
        assert pg_url
        return pg_url
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest) -> str:
    return request.param


@contextmanager
def app_on(database: str, tmp_path, pg_url: str | None, **config: Any) -> Iterator[Flask]:
    """An app on an empty database of `database`'s kind, schema from the models.

    `config` adds to or overrides the test configuration (e.g. WTF_CSRF_ENABLED).
    """
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(database, tmp_path, pg_url),
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
            **config,
        }
    )
    with app.app_context():
        db.drop_all()
        _drop_alembic_version()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(database: str, tmp_path, pg_url: str | None) -> Iterator[Flask]:
    """An app on an empty database with the schema created from the models."""
    with app_on(database, tmp_path, pg_url) as app:
        yield app


def _drop_alembic_version() -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context, for tests that call domain functions directly."""
    with app.app_context():
        yield


_counter = itertools.count(1)


@pytest.fixture
def make_academy(app: Flask) -> Callable[..., PartnerAcademy]:
    """Factory: a partner academy (defaults: Izhevsk, Europe/Samara)."""

    def make(**fields: Any) -> PartnerAcademy:
        n = next(_counter)
        values = dict(
            slug=f"academy-{n}",
            name_en=f"Academy {n}",
            country="RU",
            city="Izhevsk",
            time_zone="Europe/Samara",
            language="ru",
        )
        values.update(fields)
        with app.app_context():
            academy = PartnerAcademy(**values)
            db.session.add(academy)
            db.session.commit()
            db.session.refresh(academy)
            db.session.expunge(academy)
            return academy

    return make


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Factory: a staff account with PASSWORD (default role: lecturer)."""

    def make(role: Role = Role.LECTURER, **fields: Any) -> User:
        n = next(_counter)
        with app.app_context():
            user = create_user(
                fields.pop("email", f"user{n}@example.org"),
                fields.pop("name", f"User {n}"),
                PASSWORD,
                role,
                fields.pop("time_zone", "Asia/Samarkand"),
                fields.pop("academy_id", None),
            )
            for key, value in fields.items():
                setattr(user, key, value)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def session_input(**fields: Any) -> SessionInput:
    """A valid SessionInput for a week from now, 14:00 Samarkand, changed by `fields`."""
    day = (utcnow() + timedelta(days=7)).date()
    values: dict[str, Any] = dict(
        kind=SessionKind.WEBINAR,
        title="Pediatric cardiology update",
        language="en",
        starts_local=datetime.combine(day, time(14)),
        time_zone="Asia/Samarkand",
        duration_minutes=90,
        lecturer_ids=[],
        academy_ids=[],
        status=SessionStatus.SCHEDULED,
        visibility=Visibility.PUBLIC,
        conference=Conference.LINK,
        join_url="https://meet.example.org/abc",
    )
    values.update(fields)
    return SessionInput(**values)


@pytest.fixture
def make_session(app: Flask, make_user, make_academy) -> Callable[..., Session]:
    """Factory: a stored session; creates a lecturer and an academy unless given."""

    def make(actor: User | None = None, **fields: Any) -> Session:
        if "lecturer_ids" not in fields:
            fields["lecturer_ids"] = [(actor or make_user()).id]
        if "academy_ids" not in fields:
            fields["academy_ids"] = [make_academy().id]
        with app.app_context():
            acting = db.session.get(User, actor.id) if actor else None
            session = create_session(session_input(**fields), acting)
            db.session.commit()
            return db.session.get(Session, session.id)

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign a user in on the test client."""

    def do(user: User) -> FlaskClient:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        self.statements.append(statement)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """Context manager factory counting the SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return counting
