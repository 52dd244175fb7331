"""docs/deploy.md's backup and restore, performed: pg_dump, drop, pg_restore, same service.

The restored database serves the same sessions, the same registrations and the same
calendar feeds, byte for byte (same ETags), as before the loss.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.fixtures.app import session_input
from webinars import create_app
from webinars.domain.accounts.staff import create_user
from webinars.domain.sessions.scheduling import create_session
from webinars.extensions import db
from webinars.models import PartnerAcademy, Registration, RegistrationStatus, Role

PG = os.environ.get("TEST_DATABASE_URL")
pytestmark = [
    pytest.mark.skipif(not PG, reason="needs PostgreSQL: set TEST_DATABASE_URL"),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore"),
]


def _admin(sql: str) -> None:
    engine = sa.create_engine(sa.make_url(PG), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(sql))
    engine.dispose()


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _served(url: str, instance: Path) -> dict[str, object]:
    """What a fresh app on `url` serves: feeds with their ETags, pages, registrations."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "HUEY_SQLITE_PATH": str(instance)})
    client = app.test_client()
    served: dict[str, object] = {}
    for path in ("/calendars/all.ics", "/calendars/academies/izhevsk.ics"):
        response = client.get(path)
        served[path] = (response.status_code, response.headers["ETag"], response.data)
    served["/catalog/"] = client.get("/catalog/").status_code
    with app.app_context():
        served["registrations"] = db.session.execute(
            sa.select(Registration.email, Registration.status).order_by(Registration.email)
        ).all()
        db.engine.dispose()
    return served


def test_dump_drop_restore_serves_the_same(tmp_path):
    name = f"{sa.make_url(PG).database}_backup_{os.getpid()}"
    url = sa.make_url(PG).set(database=name).render_as_string(hide_password=False)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "HUEY_SQLITE_PATH": str(tmp_path / "q")})
        assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
        with app.app_context():
            academy = PartnerAcademy(
                slug="izhevsk", name_en="Izhevsk State Medical Academy", country="RU",
                city="Izhevsk", time_zone="Europe/Samara", language="ru",
            )  # fmt: skip
            db.session.add(academy)
            lecturer = create_user(
                "lecturer@sammi.uz", "Dr Lecturer", "correct horse battery", Role.LECTURER,
                "Asia/Samarkand", None,
            )  # fmt: skip
            db.session.flush()
            session = create_session(
                session_input(academy_ids=[academy.id], lecturer_ids=[lecturer.id], capacity=1),
                lecturer,
            )
            for n, status in enumerate([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]):
                db.session.add(Registration(session=session, email=f"s{n}@sammi.uz", status=status))
            db.session.commit()
            db.engine.dispose()
        before = _served(url, tmp_path / "q1")
        dump = tmp_path / "webinars.dump"

        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), _libpq(url)], check=True)
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{name}"')
        subprocess.run(["pg_restore", "--no-owner", "-d", _libpq(url), str(dump)], check=True)
        after = _served(url, tmp_path / "q2")

        assert after == before
        assert before["registrations"] == [
            ("s0@sammi.uz", RegistrationStatus.CONFIRMED),
            ("s1@sammi.uz", RegistrationStatus.WAITING),
        ]
        assert before["/calendars/all.ics"][0] == 200
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
