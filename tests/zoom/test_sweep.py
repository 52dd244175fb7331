"""The periodic sweep: leftovers deleted, duplicates removed, missing meetings made again,
lost tasks made up for, and nothing done when everything is in step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.zoom.conftest import marked, record_of
from webinars.domain.sessions.scheduling import input_from_session as as_input
from webinars.domain.sessions.scheduling import update_session
from webinars.extensions import db
from webinars.jobs.zoom import sweep_once, sync_one
from webinars.models import MeetingState, Session
from webinars.zoom import build_meeting_body

HOST = "host2@example.edu"


def fresh(session_id: int) -> Session:
    db.session.expire_all()
    return db.session.get(Session, session_id)


def hand_made(zoom_client, session_id: int, namespace: str = "webinars") -> int:
    """A meeting made outside the app's sync, carrying a session's marker."""
    body = build_meeting_body(
        session_id=session_id,
        topic="Made by hand",
        start=datetime.now(UTC) + timedelta(days=3),
        duration_minutes=30,
        timezone="Asia/Samarkand",
        marker_namespace=namespace,
    )
    return int(zoom_client.create_meeting(HOST, body)["id"])


def test_sweep_deletes_meetings_no_session_owns(zctx, zoom_server, zoom_client):
    leftover = hand_made(zoom_client, 424242)  # no such session
    other_install = hand_made(zoom_client, 424242, namespace="staging")
    unmarked = zoom_client.create_meeting(
        HOST,
        {"topic": "Staff meeting", "type": 2, "agenda": "Not ours", "duration": 30},
    )["id"]

    summary = sweep_once()

    assert summary.drift.orphans_deleted == [leftover]
    assert zoom_server.meeting(leftover) is None
    assert zoom_server.meeting(other_install) is not None
    assert zoom_server.meeting(unmarked) is not None


def test_sweep_deletes_a_duplicate_and_keeps_the_sessions_meeting(
    zoom_session, zoom_server, zoom_client
):
    session = zoom_session()
    sync_one(session.id)
    kept = record_of(session.id).meeting_id
    duplicate = hand_made(zoom_client, session.id)

    summary = sweep_once()

    assert summary.drift.orphans_deleted == [duplicate]
    assert [m["id"] for m in marked(zoom_server, session.id)] == [kept]


def test_sweep_remakes_a_meeting_deleted_in_zoom(zoom_session, zoom_server, zoom_client):
    session = zoom_session()
    sync_one(session.id)
    gone = record_of(session.id).meeting_id
    zoom_client.delete_meeting(gone)

    summary = sweep_once()

    (meeting,) = marked(zoom_server, session.id)
    assert summary.drift.missing == [session.id]
    assert meeting["id"] != gone
    assert record_of(session.id).meeting_id == meeting["id"]


def test_sweep_makes_up_for_a_lost_task(zoom_session, zoom_server):
    session = zoom_session()  # saved, but no sync ever ran

    summary = sweep_once()

    assert [r.session_id for r in summary.results] == [session.id]
    assert len(marked(zoom_server, session.id)) == 1


def test_sweep_sends_a_change_whose_task_was_lost(zoom_session, zoom_server):
    session = zoom_session()
    sync_one(session.id)
    data = as_input(fresh(session.id))
    data.title = "Renamed lecture"
    update_session(fresh(session.id), data, None)
    db.session.commit()

    sweep_once()

    (meeting,) = marked(zoom_server, session.id)
    assert meeting["topic"] == "Renamed lecture"


def test_sweep_in_step_only_lists_hosts(zoom_session, zoom_server):
    sessions = [zoom_session() for _ in range(2)]
    for session in sessions:
        sync_one(session.id)
    zoom_server.requests.clear()

    summary = sweep_once()

    assert summary.quiet
    assert [r.method for r in zoom_server.api_requests()] == ["GET"] * 3  # one list per host


def test_sweep_waits_for_a_planned_retry(zoom_session, zoom_server):
    session = zoom_session()
    zoom_server.fail_next(status=500)
    sync_one(session.id)
    planned = record_of(session.id).next_attempt_at
    zoom_server.requests.clear()

    early = sweep_once(planned - timedelta(seconds=1))
    due = sweep_once(planned + timedelta(seconds=1))

    assert early.results == []
    assert [r.session_id for r in due.results] == [session.id]
    assert record_of(session.id).state is MeetingState.READY


def test_sweep_leaves_a_create_in_flight_alone(zoom_session, zoom_server):
    session = zoom_session()
    zoom_server.fail_next(fault="drop")
    sync_one(session.id)  # the create's answer is lost: the record says so
    (made,) = marked(zoom_server, session.id)
    planned = record_of(session.id).next_attempt_at

    summary = sweep_once(planned - timedelta(seconds=1))  # not yet due for its retry

    assert summary.drift.orphans_deleted == []
    assert zoom_server.meeting(made["id"]) is not None


def test_sweep_looks_again_hourly_after_the_credentials_were_refused(
    zoom_app, zoom_session, zoom_server
):
    right = zoom_app.config["ZOOM_CLIENT_SECRET"]
    zoom_app.config["ZOOM_CLIENT_SECRET"] = "wrong-secret"
    session = zoom_session()
    sync_one(session.id)
    record = record_of(session.id)
    assert (record.state, record.error_kind) == (MeetingState.FAILED, "auth")
    zoom_app.config["ZOOM_CLIENT_SECRET"] = right  # an admin mends the setting
    failed_at = record.updated_at

    soon_after = sweep_once(failed_at + timedelta(minutes=30))
    an_hour_on = sweep_once(failed_at + timedelta(hours=1, minutes=1))

    assert soon_after.results == []
    assert [r.action for r in an_hour_on.results] == ["created"]
    assert len(marked(zoom_server, session.id)) == 1
