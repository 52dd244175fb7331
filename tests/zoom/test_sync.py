"""Reconciling sessions with Zoom through the stand-in: create, move, cancel, lost replies,
errors, and running twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.zoom_server import ZoomServer
from tests.zoom.conftest import marked, record_of, soon
from webinars.domain.sessions.conferencing import join_link
from webinars.domain.sessions.scheduling import cancel_session, reschedule_session, update_session
from webinars.domain.sessions.scheduling import input_from_session as as_input
from webinars.domain.zoom.records import SyncResult, mark_failure
from webinars.domain.zoom.settings import ensure_record
from webinars.domain.zoom.status import meeting_status
from webinars.domain.zoom.sweep import due_session_ids
from webinars.extensions import db
from webinars.jobs.zoom import current_setup, sync_one
from webinars.models import Conference, MeetingState, Session, SessionStatus, ZoomMeeting
from webinars.zoom import ZoomValidationError

CREATE, MEETING = "/v2/users/{userId}/meetings", "/v2/meetings/{meetingId}"


def calls(server: ZoomServer) -> list[str]:
    return [f"{r.method} {r.route}" for r in server.api_requests()]


def fresh(session_id: int) -> Session:
    db.session.expire_all()
    return db.session.get(Session, session_id)


def test_sync_new_session_creates_one_meeting_with_one_call(zoom_session, zoom_server):
    session = zoom_session(title="Neonatal jaundice")

    result = sync_one(session.id)

    record = record_of(session.id)
    (meeting,) = marked(zoom_server, session.id)
    assert result.action == "created"
    assert calls(zoom_server) == [f"POST {CREATE}"]
    assert (record.state, record.meeting_id) == (MeetingState.READY, meeting["id"])
    assert meeting["start_time"] == session.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (meeting["duration"], meeting["topic"]) == (90, "Neonatal jaundice")
    assert join_link(fresh(session.id)) == meeting["join_url"]


def test_sync_twice_second_run_calls_nothing(zoom_session, zoom_server):
    session = zoom_session()
    sync_one(session.id)
    before = len(zoom_server.api_requests())

    result = sync_one(session.id)

    assert result.action == "unchanged"
    assert len(zoom_server.api_requests()) == before
    assert len(marked(zoom_server, session.id)) == 1


def test_sync_moved_session_patches_and_reads_back_same_meeting(zoom_session, zoom_server):
    session = zoom_session()
    sync_one(session.id)
    first = record_of(session.id).meeting_id
    reschedule_session(fresh(session.id), soon(8, 10, 30), "Asia/Samarkand", 60, None)
    db.session.commit()
    zoom_server.requests.clear()

    result = sync_one(session.id)

    meeting = zoom_server.meeting(first)
    assert result.action == "updated"
    assert calls(zoom_server) == [f"PATCH {MEETING}", f"GET {MEETING}"]
    assert meeting["start_time"] == fresh(session.id).starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert meeting["duration"] == 60
    assert len(marked(zoom_server, session.id)) == 1


def test_sync_cancelled_session_deletes_its_meeting(zoom_session, zoom_server):
    session = zoom_session()
    sync_one(session.id)
    cancel_session(fresh(session.id), "The lecturer is ill", None)
    db.session.commit()

    result = sync_one(session.id)

    assert result.action == "deleted"
    assert marked(zoom_server, session.id) == []
    assert record_of(session.id).state is MeetingState.DELETED
    assert join_link(fresh(session.id)) is None


def test_sync_switch_to_pasted_link_deletes_the_meeting(zoom_session, zoom_server):
    session = zoom_session()
    sync_one(session.id)
    data = as_input(fresh(session.id))
    data.conference, data.join_url = Conference.LINK, "https://meet.example.org/x"
    update_session(fresh(session.id), data, None)
    db.session.commit()

    sync_one(session.id)

    assert marked(zoom_server, session.id) == []
    assert join_link(fresh(session.id)) == "https://meet.example.org/x"


def test_sync_draft_gets_no_meeting_until_published(zoom_app, zoom_session, zoom_server):
    session = zoom_session(status=SessionStatus.DRAFT)

    sync_one(session.id)

    assert zoom_server.api_requests() == []
    with zoom_app.test_request_context():
        status = meeting_status(
            fresh(session.id), record_of(session.id), current_setup(), datetime.now(UTC)
        )
    assert status.key == "draft"


def test_sync_lost_create_reply_is_adopted_not_made_twice(zoom_session, zoom_server):
    session = zoom_session()
    zoom_server.fail_next(fault="drop")  # Zoom makes the meeting, the reply never arrives

    first = sync_one(session.id)
    record = record_of(session.id)
    assert (first.action, record.state) == ("retry", MeetingState.RETRYING)
    assert record.create_sent_at is not None

    second = sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    assert second.action in ("updated", "unchanged")
    assert len(zoom_server.api_requests("POST", CREATE)) == 1
    assert record_of(session.id).meeting_id == meeting["id"]
    assert join_link(fresh(session.id)) == meeting["join_url"]


def test_sync_slow_create_reply_is_adopted_not_made_twice(zoom_session, zoom_server):
    session = zoom_session()
    zoom_server.fail_next(fault="slow")  # past the client's timeout; Zoom did the work

    sync_one(session.id)
    sync_one(session.id)

    assert len(marked(zoom_server, session.id)) == 1
    assert len(zoom_server.api_requests("POST", CREATE)) == 1


def test_sync_server_error_on_create_retries_later_then_creates(zoom_session, zoom_server):
    session = zoom_session()
    zoom_server.fail_next(status=503)

    first = sync_one(session.id)

    record = record_of(session.id)
    assert first.action == "retry"
    assert record.error_kind == "transient"
    assert record.next_attempt_at is not None and first.retry_at == record.next_attempt_at
    assert marked(zoom_server, session.id) == []
    sync_one(session.id)
    assert len(marked(zoom_server, session.id)) == 1


def test_sync_rate_limited_with_retry_after_waits_until_then(zoom_session, zoom_server):
    session = zoom_session()
    zoom_server.fail_next(fault="429-retry-after")

    result = sync_one(session.id)

    record = record_of(session.id)
    assert record.error_kind == "rate_limited"
    later = datetime.now(UTC) + timedelta(seconds=3)
    assert result.retry_at is not None and result.retry_at <= later
    assert record.create_sent_at is None  # Zoom answered: nothing was made


def zoom_refusal(zoom_client) -> ZoomValidationError:
    """A real code-300 refusal from the stand-in: a passcode Zoom's rules do not allow.

    The sync's own bodies no longer meet one (a time zone Zoom does not know is sent
    again with a fallback, see test_time_zones), so the refusal is fetched with the
    client and recorded as the sync records any failed call.
    """
    body = {"topic": "Talk", "type": 2, "duration": 30, "password": "much-too-long"}
    with pytest.raises(ZoomValidationError) as caught:
        zoom_client.create_meeting("host1@example.edu", body)
    return caught.value


def failed_on_refusal(session_id: int, zoom_client) -> tuple[SyncResult, ZoomMeeting]:
    """Record Zoom's refusal on the session's meeting, as ``reconcile`` does."""
    record = ensure_record(fresh(session_id))
    result = mark_failure(record, zoom_refusal(zoom_client), datetime.now(UTC))
    db.session.commit()
    return result, record_of(session_id)


def test_validation_refusal_fails_with_words_for_the_lecturer(zoom_app, zoom_session, zoom_client):
    session = zoom_session()

    result, record = failed_on_refusal(session.id, zoom_client)

    with zoom_app.test_request_context():
        status = meeting_status(fresh(session.id), record, current_setup(), datetime.now(UTC))
    assert (result.action, record.state) == ("failed", MeetingState.FAILED)
    assert record.error_fields == [["password", "Invalid field."]]
    assert status.key == "failed"
    assert "the passcode (at most 10 letters or digits)" in status.detail
    assert "Edit the session" in status.detail
    assert session.id not in due_session_ids(current_setup())  # it waits for an edit


def test_sync_failed_validation_tries_again_after_the_session_is_edited(
    zoom_session, zoom_server, zoom_client
):
    session = zoom_session()
    failed_on_refusal(session.id, zoom_client)
    data = as_input(fresh(session.id))
    data.title = "Neonatal jaundice, revised"
    update_session(fresh(session.id), data, None)
    db.session.commit()

    result = sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    assert result.action == "created"
    assert record_of(session.id).state is MeetingState.READY
    assert meeting["topic"] == "Neonatal jaundice, revised"


def test_sync_meeting_deleted_in_zoom_is_made_again_with_new_sequence(
    zoom_session, zoom_server, zoom_client
):
    session = zoom_session()
    sync_one(session.id)
    old = record_of(session.id)
    old_id, old_sequence = old.meeting_id, fresh(session.id).sequence
    zoom_client.delete_meeting(old_id)  # by hand, in Zoom
    old.verify_needed = True  # what the sweep or the webhook notes
    db.session.commit()

    result = sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    assert result.action == "recreated"
    assert meeting["id"] != old_id
    assert join_link(fresh(session.id)) == meeting["join_url"]
    assert fresh(session.id).sequence == old_sequence + 1  # calendars replace the old link


def test_sync_alternative_hosts_are_lecturers_with_zoom_users(zoom_session, zoom_server, make_user):
    known = make_user(zoom_email="lecturer@example.edu")
    unknown = make_user(zoom_email="nobody@example.edu")
    session = zoom_session(lecturer_ids=[known.id, unknown.id])

    sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    record = record_of(session.id)
    assert meeting["settings"]["alternative_hosts"] == "lecturer@example.edu"
    assert (record.state, record.error_kind) == (MeetingState.READY, "alternative_hosts")
    assert record.last_error == "nobody@example.edu"
