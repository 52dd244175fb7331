"""reschedule_session: a new start (and duration), everything else kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fixtures.sessions import DAY, NOW, at
from webinars.domain.sessions.rules import SessionRulesError
from webinars.domain.sessions.scheduling import reschedule_session
from webinars.extensions import db

LATER = NOW + timedelta(hours=1)
DAY_BEFORE = DAY - timedelta(days=1)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def test_reschedule_moves_start_and_duration_only(store):
    session = store(title="Rickets today", capacity=30, description="Case-based.")

    reschedule_session(session, at(16), "Asia/Samarkand", 60, None, LATER)
    db.session.commit()

    assert (session.starts_at, session.ends_at) == (utc(20, 11), utc(20, 12))
    assert (session.title, session.capacity, session.description) == (
        "Rickets today",
        30,
        "Case-based.",
    )


def test_reschedule_keeps_registration_window_that_still_fits(store):
    session = store(
        registration_opens_local=at(9, day=DAY_BEFORE), registration_closes_local=at(12)
    )

    reschedule_session(session, at(16), "Asia/Samarkand", 90, None, LATER)

    assert session.registration_opens_at == utc(19, 4)
    assert session.registration_closes_at == utc(20, 7)


def test_reschedule_earlier_closes_registration_at_new_start(store):
    session = store(
        registration_opens_local=at(9, day=DAY_BEFORE), registration_closes_local=at(13)
    )

    reschedule_session(session, at(11), "Asia/Samarkand", 90, None, LATER)

    assert session.registration_closes_at == session.starts_at == utc(20, 6)
    assert session.registration_opens_at == utc(19, 4)


def test_reschedule_before_registration_opens_drops_opening(store):
    session = store(registration_opens_local=at(10), registration_closes_local=at(13))

    reschedule_session(session, at(9), "Asia/Samarkand", 90, None, LATER)

    assert session.registration_opens_at is None
    assert session.registration_closes_at == session.starts_at == utc(20, 4)


def test_reschedule_to_other_zone_keeps_registration_instants(store):
    # Registration closes 12:00 Samarkand (07:00 UTC). Moving the session to 15:00 Izhevsk
    # time must not turn that into 12:00 Izhevsk (08:00 UTC).
    session = store(
        registration_opens_local=at(9, day=DAY_BEFORE), registration_closes_local=at(12)
    )

    reschedule_session(session, at(15), "Europe/Samara", 90, None, LATER)

    assert session.starts_at == utc(20, 11)
    assert session.time_zone == "Europe/Samara"
    assert session.registration_opens_at == utc(19, 4)
    assert session.registration_closes_at == utc(20, 7)


def test_reschedule_into_past_refused(store):
    session = store()

    with pytest.raises(SessionRulesError) as raised:
        reschedule_session(session, at(10, day=NOW.date()), "Asia/Samarkand", 90, None, LATER)

    assert set(raised.value.errors) == {"starts_local"}


def test_reschedule_to_unknown_zone_refused_beside_zone(store):
    session = store(registration_closes_local=at(12))

    with pytest.raises(SessionRulesError) as raised:
        reschedule_session(session, at(15), "Mars/Olympus", 90, None, LATER)

    assert set(raised.value.errors) == {"time_zone"}
