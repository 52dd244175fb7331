"""The host pool: one meeting per host at a time (with a buffer), work spread over hosts,
Zoom's 100-a-day limit per host, and moving a session onto a busy host."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.zoom.conftest import HOSTS, marked, record_of, soon
from webinars.domain.sessions.scheduling import cancel_session, reschedule_session
from webinars.domain.zoom import hosts as zoom_hosts
from webinars.domain.zoom.hosts import free_hosts
from webinars.domain.zoom.status import meeting_status
from webinars.extensions import db
from webinars.jobs.zoom import current_setup, sweep_once, sync_one
from webinars.models import MeetingState, Session, ZoomHostUsage
from webinars.zoom import next_utc_midnight


def fresh(session_id: int) -> Session:
    db.session.expire_all()
    return db.session.get(Session, session_id)


def host_of(session_id: int) -> str | None:
    record = record_of(session_id)
    return record.host_email if record else None


def test_overlapping_sessions_get_different_hosts(zoom_session):
    sessions = [zoom_session(starts_local=soon(7, 14, 10 * i)) for i in range(3)]

    for session in sessions:
        sync_one(session.id)

    assert sorted(host_of(s.id) for s in sessions) == sorted(HOSTS)


def test_no_free_host_fails_then_mends_when_one_is_freed(zoom_session, zoom_server):
    sessions = [zoom_session(starts_local=soon(7, 14)) for _ in range(4)]
    for session in sessions:
        sync_one(session.id)
    last = record_of(sessions[3].id)
    assert (last.state, last.error_kind) == (MeetingState.FAILED, "no_host")
    assert marked(zoom_server, sessions[3].id) == []
    cancel_session(fresh(sessions[0].id), "Moved to next term", None)
    db.session.commit()

    sweep_once()

    assert record_of(sessions[3].id).state is MeetingState.READY
    assert marked(zoom_server, sessions[0].id) == []
    assert len(marked(zoom_server, sessions[3].id)) == 1


def test_buffer_keeps_a_host_between_close_sessions(zoom_app, zoom_session):
    zoom_app.config["ZOOM_HOSTS"] = HOSTS[0]
    first = zoom_session(starts_local=soon(7, 14), duration_minutes=60)  # ends 15:00
    too_close = zoom_session(starts_local=soon(7, 15, 10), duration_minutes=30)
    far_enough = zoom_session(starts_local=soon(7, 15, 20), duration_minutes=30)

    for session in (first, too_close, far_enough):
        sync_one(session.id)

    assert record_of(first.id).state is MeetingState.READY
    assert record_of(too_close.id).error_kind == "no_host"
    assert record_of(far_enough.id).host_email == HOSTS[0]


def test_free_hosts_answers_the_form_before_saving(zoom_session):
    session = zoom_session(starts_local=soon(7, 14))
    sync_one(session.id)
    setup = current_setup()

    free = free_hosts(setup.hosts, session.starts_at, session.ends_at, setup.buffer)
    own = free_hosts(setup.hosts, session.starts_at, session.ends_at, setup.buffer, session.id)

    assert free == [h for h in HOSTS if h != host_of(session.id)]
    assert own == list(HOSTS)  # editing the session itself does not count against it


def test_creates_spread_over_hosts_by_calls_today(zoom_session):
    sessions = [zoom_session(starts_local=soon(7 + i, 9)) for i in range(6)]

    for session in sessions:
        sync_one(session.id)

    hosts = [host_of(s.id) for s in sessions]
    assert hosts == [*HOSTS, *HOSTS]
    assert {u.host_email: u.calls for u in db.session.query(ZoomHostUsage)} == dict.fromkeys(
        HOSTS, 2
    )


def test_daily_limit_on_every_host_defers_to_midnight_and_says_so(
    zoom_app, zoom_session, zoom_server
):
    zoom_server.account.daily_limit = 1
    sessions = [zoom_session(starts_local=soon(7 + i, 9)) for i in range(4)]
    for session in sessions[:3]:
        sync_one(session.id)

    result = sync_one(sessions[3].id)

    record = record_of(sessions[3].id)
    midnight = next_utc_midnight(datetime.now(UTC))
    assert (result.action, result.retry_at) == ("deferred", midnight)
    assert (record.state, record.deferred_until) == (MeetingState.RETRYING, midnight)
    with zoom_app.test_request_context():
        status = meeting_status(fresh(sessions[3].id), record, current_setup(), datetime.now(UTC))
    assert status.key == "retrying" and "00:00 UTC" in status.detail
    asked = len(zoom_server.api_requests())
    assert sync_one(sessions[3].id).action == "deferred"
    assert len(zoom_server.api_requests()) == asked  # nothing sent before midnight


def test_daily_limit_deferral_ends_after_midnight(zoom_session, zoom_server):
    zoom_server.account.daily_limit = 0
    session = zoom_session()
    sync_one(session.id)
    zoom_server.account.daily_limit = 100  # Zoom's counters reset at 00:00 UTC
    after_midnight = next_utc_midnight(datetime.now(UTC)) + timedelta(minutes=1)

    result = sync_one(session.id, after_midnight)

    assert result.action == "created"
    assert len(marked(zoom_server, session.id)) == 1


def test_own_count_at_the_limit_defers_updates_without_calling(
    zoom_session, zoom_server, monkeypatch: pytest.MonkeyPatch
):
    session = zoom_session()
    sync_one(session.id)
    monkeypatch.setattr(zoom_hosts, "DAILY_LIMIT", 1)
    reschedule_session(fresh(session.id), soon(9, 10), "Asia/Samarkand", 60, None)
    db.session.commit()
    asked = len(zoom_server.api_requests())

    result = sync_one(session.id)

    assert result.action == "deferred"
    assert len(zoom_server.api_requests()) == asked


def test_moving_onto_a_busy_host_moves_the_meeting_to_a_free_host(zoom_session, zoom_server):
    at_two = [zoom_session(starts_local=soon(7, 14)) for _ in range(3)]
    morning = zoom_session(starts_local=soon(7, 9))
    for session in (*at_two, morning):
        sync_one(session.id)
    old_host, old_id = host_of(morning.id), record_of(morning.id).meeting_id
    taken_by = next(s for s in at_two if host_of(s.id) == old_host)
    others = [s for s in at_two if s is not taken_by]
    cancel_session(fresh(others[0].id), "Not needed", None)
    db.session.commit()
    sync_one(others[0].id)
    sequence = fresh(morning.id).sequence
    reschedule_session(fresh(morning.id), soon(7, 14, 30), "Asia/Samarkand", 60, None)
    db.session.commit()

    result = sync_one(morning.id)

    (meeting,) = marked(zoom_server, morning.id)
    assert result.action == "moved_host"
    assert zoom_server.meeting(old_id) is None
    assert meeting["host_email"] == host_of(others[0].id) or meeting["host_email"] != old_host
    assert meeting["host_email"] != old_host
    assert fresh(morning.id).sequence == sequence + 2  # the move, then the new join link


def test_moving_onto_a_busy_host_with_none_free_keeps_the_meeting(zoom_session, zoom_server):
    at_two = [zoom_session(starts_local=soon(7, 14)) for _ in range(3)]
    morning = zoom_session(starts_local=soon(7, 9))
    for session in (*at_two, morning):
        sync_one(session.id)
    kept = record_of(morning.id).meeting_id
    reschedule_session(fresh(morning.id), soon(7, 14, 30), "Asia/Samarkand", 60, None)
    db.session.commit()

    sync_one(morning.id)

    record = record_of(morning.id)
    assert (record.state, record.error_kind) == (MeetingState.FAILED, "host_clash")
    assert record.meeting_id == kept and zoom_server.meeting(kept) is not None
