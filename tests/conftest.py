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
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from huey import Huey
from huey.storage import MemoryStorage

from tests.fixtures.app import (
    DATABASES,
    PASSWORD,
    PG_URL,
    QueryCounter,
    app_on,
    session_input,
    worker_pg_url,
)
from webinars.domain.accounts.staff import create_user
from webinars.domain.sessions.scheduling import create_session
from webinars.extensions import db, huey
from webinars.models import (
    PartnerAcademy,
    Role,
    Session,
    User,
)

pytest_plugins = ["tests.environment", "tests.skip_report", "pytester"]


@pytest.fixture(scope="session")
def pg_url(worker_id: str) -> str | None:
    return worker_pg_url(worker_id) if PG_URL else None


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def app(database: str, tmp_path, pg_url: str | None) -> Iterator[Flask]:
    """An app on an empty database with the schema created from the models."""
    with app_on(database, tmp_path, pg_url) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def queue(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Huey:
    """The task queue as in production, in memory: what a commit queues waits for a worker
    (the tests' default runs each task at once). ``work_off(queue)`` is the worker. After
    ``app``, whose creation points the queue at its own storage."""
    monkeypatch.setattr(huey, "_immediate", False)
    monkeypatch.setattr(huey, "storage", MemoryStorage("test-queue"))
    return huey


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
