"""The private links' rate limits count per link, not per address (issue 11, point 6): a
class of 50 behind one university address confirms at once, while one link hammered is
still refused."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from flask import Flask

from tests.fixtures.registration import person
from webinars import create_app
from webinars.domain.registration.manage_links import manage_token
from webinars.extensions import db
from webinars.models import Registration


@pytest.fixture
def limited(app: Flask, tmp_path) -> Flask:
    """The same database, with the rate limits on (memory storage, a prefix of its own)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "HUEY_SQLITE_PATH": str(tmp_path / "huey-limited.sqlite3"),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    )


def _links(app: Flask, enrol, session_id: int, count: int) -> list[str]:
    registrations = [enrol(session_id, person(f"class-{n}")) for n in range(count)]
    with app.app_context():
        return [manage_token(db.session.get(Registration, r.id)) for r in registrations]


def test_a_class_behind_one_address_confirms_at_once(app, limited, open_session, enrol):
    session = open_session(capacity=60)
    links = _links(app, enrol, session.id, 50)
    client = limited.test_client()  # one address (127.0.0.1) for the whole class

    answers = []
    for token in links:
        answers.append(client.get(f"/r/{token}/confirm").status_code)
        answers.append(client.post(f"/r/{token}/confirm").status_code)
        answers.append(client.get(f"/r/{token}").status_code)

    assert answers.count(429) == 0
    assert answers == [200, 302, 200] * 50


def test_one_link_hammered_is_still_refused(app, limited, open_session, enrol):
    session = open_session()
    (token,) = _links(app, enrol, session.id, 1)
    client = limited.test_client()
    allowed = int(limited.config["CONFIRM_RATE_LIMIT"].split()[0])

    answers = [client.get(f"/r/{token}/confirm").status_code for _ in range(allowed + 1)]

    assert answers == [200] * allowed + [429]


def test_every_limit_and_its_setting_is_documented():
    import config

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("### Rate limits", 1)[1].split("\n## ", 1)[0]
    settings = [name for name in vars(config.Config) if name.endswith("_RATE_LIMIT")]

    assert len(settings) >= 9
    rows = [f"| `{name}` | `{getattr(config.Config, name)}` |" for name in settings]
    assert [row for row in rows if row not in section] == []
