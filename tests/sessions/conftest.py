"""Helpers for domain tests: a fixed clock and sessions stored at chosen local times.

Domain functions take `now`, so these tests never depend on the real clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from tests.conftest import session_input
from webinars.domain.sessions.scheduling import create_session
from webinars.extensions import db
from webinars.models import PartnerAcademy, Session, User

# The tests' clock: Monday 2026-01-05, 11:00 in Samarkand.
NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
DAY = date(2026, 1, 20)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """A naive wall-clock time on `day` (default: a fortnight after NOW)."""
    return datetime.combine(day, time(hour, minute))


@pytest.fixture
def store(ctx, make_user, make_academy) -> Callable[..., Session]:
    """Create and commit a session in the current app context, as seen at `now`.

    Defaults: 14:00 Samarkand on DAY, 90 minutes, a new lecturer and a new academy.
    """

    def make(actor: User | None = None, now: datetime = NOW, **fields: Any) -> Session:
        fields.setdefault("starts_local", at(14))
        if "lecturer_ids" not in fields:
            fields["lecturer_ids"] = [(actor or make_user()).id]
        if "academy_ids" not in fields:
            fields["academy_ids"] = [make_academy().id]
        acting = db.session.get(User, actor.id) if actor else None
        session = create_session(session_input(**fields), acting, now=now)
        db.session.commit()
        return session

    return make


@pytest.fixture
def shymkent(make_academy) -> PartnerAcademy:
    """South Kazakhstan Medical Academy, on Asia/Almaty time."""
    return make_academy(
        slug="skma",
        name_en="South Kazakhstan Medical Academy",
        country="KZ",
        city="Shymkent",
        time_zone="Asia/Almaty",
        language="ru",
    )


@pytest.fixture
def izhevsk(make_academy) -> PartnerAcademy:
    """Izhevsk State Medical Academy, on Europe/Samara time."""
    return make_academy(
        slug="isma",
        name_en="Izhevsk State Medical Academy",
        country="RU",
        city="Izhevsk",
        time_zone="Europe/Samara",
        language="ru",
    )
