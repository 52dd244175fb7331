"""Fixtures for the feed tests: sessions at chosen days, and feeds fetched and checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask

from tests.calendars.ics_check import Component, check_feed
from tests.conftest import session_input
from webinars.domain.sessions.scheduling import create_session
from webinars.extensions import db
from webinars.models import Session, User, utcnow


@pytest.fixture
def add_session(app: Flask, make_user, make_academy) -> Callable[..., int]:
    """Factory: a stored session `days` from today (negative: in the past); returns its id.

    Past sessions are created "back then" (scheduling refuses a start in the past);
    `now` sets the time of creation (and so `updated_at`).
    """

    defaults: dict[str, int] = {}  # one lecturer and one academy unless told: accounts are slow

    def add(
        days: int = 7,
        hour: int = 14,
        actor: User | None = None,
        now: datetime | None = None,
        **fields: Any,
    ) -> int:
        if "lecturer_ids" not in fields:
            if actor is None and "lecturer" not in defaults:
                defaults["lecturer"] = make_user().id
            fields["lecturer_ids"] = [actor.id if actor else defaults["lecturer"]]
        if "academy_ids" not in fields:
            defaults.setdefault("academy", make_academy().id)
            fields["academy_ids"] = [defaults["academy"]]
        day = (utcnow() + timedelta(days=days)).date()
        fields.setdefault("starts_local", datetime.combine(day, time(hour)))
        with app.app_context():
            data = session_input(**fields)
            starts = data.starts_local.replace(tzinfo=UTC)
            soon = utcnow() + timedelta(hours=1)
            now = now or (utcnow() if starts > soon else starts - timedelta(days=30))
            acting = db.session.get(User, actor.id) if actor else None
            session = create_session(data, acting, now=now)
            db.session.commit()
            return session.id

    return add


@pytest.fixture
def fetch_feed(client) -> Callable[..., tuple[Any, Component]]:
    """GET a feed, expect 200 text/calendar, run the three layers of checks on it."""

    def fetch(url: str, **kwargs: Any):
        response = client.get(url, **kwargs)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.mimetype == "text/calendar"
        assert response.mimetype_params == {"charset": "utf-8", "method": "PUBLISH"}
        return response, check_feed(response.data)

    return fetch


def load(app: Flask, session_id: int) -> Session:
    """A session with what events show, loaded and detached for assertions."""
    with app.app_context():
        session = db.session.get(Session, session_id)
        _ = (session.lecturers, session.academies, session.guest_speakers)
        db.session.expunge(session)
        return session
