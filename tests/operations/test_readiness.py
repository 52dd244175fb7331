"""Liveness and readiness (issue 11, point 2): /livez answers while the process runs;
/readyz (and the older /healthz) answers 503 naming the part that failed when the database
or Redis does not answer within a short timeout; pages served meanwhile say the service
is briefly unavailable (503), not a generic 500.

"Down" is real here: PostgreSQL on a closed port, SQLite in a folder that is gone, Redis on
a closed port. Every test runs once per database kind, like the rest of the suite.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.pool import NullPool

from tests.environment import REDIS_URL, redis_missing, require
from tests.fixtures.app import PASSWORD
from tests.fixtures.registration import free_port
from webinars import create_app
from webinars.extensions import db

UNAVAILABLE = "The service is briefly unavailable."


def _down_url(database: str, tmp_path) -> str:
    if database == "postgresql":
        return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere"
    return f"sqlite:///{tmp_path / 'gone' / 'webinars.sqlite3'}"


@pytest.fixture
def down_app(database: str, tmp_path) -> Iterator[Flask]:
    """An app whose database cannot be reached (the `database` kind decides how)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": _down_url(database, tmp_path),
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_liveness_needs_nothing_but_the_process(down_app):
    response = down_app.test_client().get("/livez")

    assert (response.status_code, response.json) == (200, {"status": "ok"})


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
def test_readiness_without_the_database_is_503_naming_it(down_app, path):
    started = time.monotonic()
    response = down_app.test_client().get(path)

    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert response.json["failed"] == ["database"]
    assert response.json["checks"]["database"] == {"state": "failed", "reason": "unreachable"}
    assert response.json["checks"]["redis"] == {"state": "not configured"}


def test_readiness_with_the_database_answering_is_200(app):
    response = app.test_client().get("/readyz")

    assert response.status_code == 200
    assert response.json["checks"]["database"] == {"state": "ok"}
    assert "failed" not in response.json


@pytest.mark.parametrize("path", ["/", "/catalog/", "/sessions/1", "/calendars/all.ics"])
def test_pages_without_the_database_say_briefly_unavailable(down_app, path):
    response = down_app.test_client().get(path)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert UNAVAILABLE in response.get_data(as_text=True)


def test_an_api_client_without_the_database_gets_a_json_503(down_app):
    response = down_app.test_client().get("/catalog/", headers={"Accept": "application/json"})

    assert response.status_code == 503
    assert response.json["status"] == 503


def test_a_signed_in_page_when_the_database_goes_away_is_503(tmp_path):
    """Signed in while it worked, then the database goes: the page still renders (as
    signed out), it does not fail again inside the error page reading the account.
    (SQLite only: its database is a file that can go away under a running app; the
    closed-port tests above cover PostgreSQL.)"""
    folder = tmp_path / "data"
    folder.mkdir()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'webinars.sqlite3'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
        }
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    with app.app_context():
        from webinars.domain.accounts.staff import create_user
        from webinars.models import Role

        create_user("nodira@example.org", "Nodira", PASSWORD, Role.LECTURER, "Asia/Samarkand")
        db.session.commit()
    signed_in = client.post("/login", data={"email": "nodira@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302

    shutil.move(folder, tmp_path / "moved")
    response = client.get("/manage/")

    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)


def test_a_broken_query_on_a_healthy_database_is_still_a_500(app, monkeypatch):
    """Only an unreachable database is a 503: a bug stays a bug (logged, 500)."""
    import sqlalchemy as sa

    from webinars.web import public

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT nothing", {}, Exception("no such table: x"))

    monkeypatch.setattr(public, "public_sessions", broken)
    app.config["PROPAGATE_UNEXPECTED"] = False

    response = app.test_client().get("/")

    assert response.status_code == 500


def test_readiness_names_redis_when_it_is_configured_and_gone(app):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json["failed"] == ["redis"]
    assert response.json["checks"]["database"] == {"state": "ok"}


def test_readiness_with_redis_answering_is_200(app):
    require(redis_missing())
    app.config["REDIS_URL"] = REDIS_URL

    response = app.test_client().get("/readyz")

    assert response.status_code == 200
    assert response.json["checks"]["redis"] == {"state": "ok"}
