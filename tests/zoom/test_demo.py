"""`flask --app wsgi seed-demo` with Zoom configured (pointing at the stand-in), then the
worker's sweep: every future online demo session gets its meeting, and no other does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.fakes.zoom_fixtures import CLIENT_TIMEOUT
from tests.fixtures.zoom import HOSTS
from webinars import create_app
from webinars.demo_history import HISTORY_DESCRIPTION
from webinars.domain.sessions.conferencing import join_link
from webinars.extensions import db
from webinars.jobs.zoom import sweep_zoom
from webinars.models import Conference, Session, SessionStatus, utcnow
from webinars.zoom import marker_session_id

ROOT = Path(__file__).resolve().parents[2]


def _flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_seed_demo_then_worker_gives_future_online_sessions_meetings(tmp_path, zoom_server):
    zoom_env = {
        "ZOOM_ACCOUNT_ID": zoom_server.account_id,
        "ZOOM_CLIENT_ID": zoom_server.client_id,
        "ZOOM_CLIENT_SECRET": zoom_server.client_secret,
        "ZOOM_HOSTS": ",".join(HOSTS),
        "ZOOM_OAUTH_URL": zoom_server.oauth_url,
        "ZOOM_API_BASE_URL": zoom_server.api_base_url,
        "ZOOM_TIMEOUT_SECONDS": str(CLIENT_TIMEOUT),
        "ZOOM_TOKEN_FILE": str(tmp_path / "zoom-token.json"),
    }
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ZOOM_", "WEBINARS_"))},
        **zoom_env,
        "DATABASE_URL": database,
        "WEBINARS_INSTANCE_DIR": str(tmp_path / "instance"),
        "REDIS_URL": "",
    }
    _flask(env, "db", "upgrade")

    seeded = _flask(env, "seed-demo")
    assert seeded.stdout.startswith("Demo data ready (")
    assert zoom_server.api_requests() == []  # no Zoom call while seeding: the worker makes them

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
            **{k: v for k, v in zoom_env.items() if k != "ZOOM_TIMEOUT_SECONDS"},
            "ZOOM_TIMEOUT_SECONDS": CLIENT_TIMEOUT,
        }
    )
    sweep_zoom()  # the worker's periodic task (run at once: tests use huey's immediate mode)

    with app.app_context():
        sessions = (
            db.session.execute(db.select(Session).where(Session.description != HISTORY_DESCRIPTION))
            .scalars()
            .all()
        )  # the history since 2023 is past, with a plain link
        now = utcnow()
        online = [s for s in sessions if s.conference is Conference.ZOOM]
        future = [s for s in online if s.ends_at > now and s.status is SessionStatus.SCHEDULED]
        assert {s.conference for s in sessions} <= {Conference.ZOOM, Conference.NONE}
        assert len(future) >= 3 and any(s.is_cancelled for s in online)
        meetings = zoom_server.meetings()
        assert Counter(marker_session_id(m["agenda"]) for m in meetings) == Counter(
            s.id for s in future
        )
        for session in future:
            (meeting,) = [m for m in meetings if marker_session_id(m["agenda"]) == session.id]
            assert meeting["start_time"] == session.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            assert join_link(session) == meeting["join_url"]
