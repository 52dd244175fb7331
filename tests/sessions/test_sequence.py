"""SEQUENCE rises once per save that changes what a participant would notice.

Time, duration, title, join link and cancellation are noticed; description, capacity,
visibility and the like are not. The number never goes down.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.sessions.conftest import DAY, NOW, at
from webinars.domain.sessions.scheduling import (
    cancel_session,
    input_from_session,
    reschedule_session,
    update_session,
)
from webinars.extensions import db
from webinars.models import Conference, Session, Visibility

LATER = NOW + timedelta(hours=1)


def _edit(session: Session, **fields) -> dict:
    changes = update_session(session, replace(input_from_session(session), **fields), None, LATER)
    db.session.commit()
    return changes


def _stored_sequence(session_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Session, session_id).sequence


def test_sequence_starts_at_zero(store):
    assert _stored_sequence(store().id) == 0


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"starts_local": at(15)}, id="time"),
        pytest.param({"starts_local": at(14, day=DAY + timedelta(days=1))}, id="date"),
        pytest.param({"duration_minutes": 120}, id="duration"),
        pytest.param({"title": "Neonatal sepsis"}, id="title"),
        pytest.param({"join_url": "https://meet.example.org/new"}, id="join_link"),
        pytest.param({"conference": Conference.NONE, "join_url": None}, id="no_link"),
        pytest.param({"time_zone": "Europe/Samara"}, id="same_wall_clock_other_zone"),
    ],
)
def test_sequence_rises_on_visible_change(store, fields):
    session = store()

    changes = _edit(session, **fields)

    assert changes != {}
    assert _stored_sequence(session.id) == 1


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"description": "Bring your case notes."}, id="description"),
        pytest.param({"capacity": 40}, id="capacity"),
        pytest.param({"visibility": Visibility.PARTNERS}, id="visibility"),
        pytest.param({"language": "ru"}, id="language"),
        pytest.param(
            {"starts_local": at(13), "time_zone": "Europe/Samara"}, id="zone_same_instant"
        ),
        pytest.param({"registration_closes_local": at(12)}, id="registration_window"),
    ],
)
def test_sequence_stays_on_change_nobody_notices(store, fields):
    session = store()

    changes = _edit(session, **fields)

    assert changes != {}
    assert _stored_sequence(session.id) == 0


def test_sequence_rises_once_per_save_not_per_field(store):
    session = store()

    changes = _edit(
        session,
        title="Neonatal sepsis",
        starts_local=at(16),
        duration_minutes=60,
        join_url="https://meet.example.org/new",
    )

    assert {"title", "starts_at", "ends_at", "join_url"} <= set(changes)
    assert _stored_sequence(session.id) == 1


def test_sequence_stays_on_save_without_change(store):
    session = store()

    changes = _edit(session)

    assert changes == {}
    assert _stored_sequence(session.id) == 0


def test_sequence_rises_with_each_visible_save(store):
    session = store()

    _edit(session, title="Second title")
    _edit(session, description="Only the description")
    _edit(session, starts_local=at(16))
    _edit(session, title="Third title")

    assert _stored_sequence(session.id) == 3


def test_sequence_never_lowers_when_change_is_undone(store):
    session = store()
    original = session.title

    _edit(session, title="A passing idea")
    _edit(session, title=original)

    assert _stored_sequence(session.id) == 2


def test_sequence_rises_on_reschedule(store):
    session = store()

    reschedule_session(session, at(16), "Asia/Samarkand", 90, None, LATER)
    db.session.commit()

    assert _stored_sequence(session.id) == 1


def test_sequence_rises_on_cancellation_once(store):
    session = store()

    cancel_session(session, "The lecturer is ill.", None, LATER)
    cancel_session(session, "Cancelled again by mistake.", None, LATER)
    db.session.commit()

    assert _stored_sequence(session.id) == 1


def test_sequence_rises_after_cancellation_on_visible_edit(store):
    session = store()
    cancel_session(session, "The lecturer is ill.", None, LATER)

    _edit(session, title="Still cancelled, new title")

    assert _stored_sequence(session.id) == 2
