"""Fixtures for the Zoom tests: the stand-in server, clients wired to it, and an app whose
Zoom settings point at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask

from tests.conftest import session_input
from tests.fakes.zoom_fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    CLIENT_TIMEOUT,
    WEBHOOK_SECRET,
    make_zoom_client,
    webhook_sender,
    zoom_client,
    zoom_server,
    zoom_server_session,
)
from tests.fakes.zoom_server import ZoomServer
from webinars.domain.sessions.scheduling import create_session
from webinars.extensions import db
from webinars.models import Conference, Session, User, ZoomMeeting

HOSTS = ("host1@example.edu", "host2@example.edu", "host3@example.edu")


def zoom_settings(server: ZoomServer, token_file: str, **overrides: Any) -> dict[str, Any]:
    """App settings that point the app's Zoom client at the stand-in."""
    settings: dict[str, Any] = {
        "ZOOM_ACCOUNT_ID": server.account_id,
        "ZOOM_CLIENT_ID": server.client_id,
        "ZOOM_CLIENT_SECRET": server.client_secret,
        "ZOOM_HOSTS": ",".join(HOSTS),
        "ZOOM_WEBHOOK_SECRET_TOKEN": WEBHOOK_SECRET,
        "ZOOM_OAUTH_URL": server.oauth_url,
        "ZOOM_API_BASE_URL": server.api_base_url,
        "ZOOM_TIMEOUT_SECONDS": CLIENT_TIMEOUT,
        "ZOOM_TOKEN_FILE": token_file,
        "ZOOM_HOST_BUFFER_MINUTES": 15,
    }
    settings.update(overrides)
    return settings


@pytest.fixture
def zoom_app(app: Flask, zoom_server: ZoomServer, tmp_path) -> Flask:  # noqa: F811
    """The test app with Zoom configured against the stand-in server."""
    app.config.update(zoom_settings(zoom_server, str(tmp_path / "zoom-token.json")))
    return app


@pytest.fixture
def zctx(zoom_app: Flask) -> Iterator[None]:
    """An app context of ``zoom_app``."""
    with zoom_app.app_context():
        yield


def soon(days: int = 7, hour: int = 14, minute: int = 0) -> datetime:
    """A naive wall-clock time ``days`` from today (for ``starts_local``)."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour, minute))


@pytest.fixture
def zoom_session(zctx, make_user, make_academy) -> Callable[..., Session]:
    """Factory, inside ``zctx``: a committed Zoom session (a week ahead, 14:00 Samarkand)."""

    def make(actor: User | None = None, **fields: Any) -> Session:
        fields.setdefault("conference", Conference.ZOOM)
        fields.setdefault("join_url", None)
        if "lecturer_ids" not in fields:
            fields["lecturer_ids"] = [(actor or make_user()).id]
        if "academy_ids" not in fields:
            fields["academy_ids"] = [make_academy().id]
        acting = db.session.get(User, actor.id) if actor else None
        session = create_session(session_input(**fields), acting)
        db.session.commit()
        return session

    return make


def record_of(session_id: int) -> ZoomMeeting | None:
    """The session's meeting record, read afresh."""
    db.session.expire_all()
    return db.session.execute(
        db.select(ZoomMeeting).where(ZoomMeeting.session_id == session_id)
    ).scalar_one_or_none()


def marked(server: ZoomServer, session_id: int) -> list[dict[str, Any]]:
    """The stand-in's meetings carrying the session's marker."""
    marker = f"[webinars:session-{session_id}]"
    return [m for m in server.meetings() if str(m.get("agenda", "")).startswith(marker)]
