"""Zoom's webhook deliveries through POST /zoom/webhook: signatures, replays, the URL check,
duplicates, Zoom's id quirk, and what each event changes."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from tests.fakes.zoom_fixtures import WEBHOOK_SECRET
from tests.fakes.zoom_webhooks import WebhookSender
from tests.zoom.conftest import marked, record_of
from webinars.extensions import db
from webinars.jobs.zoom import sync_one
from webinars.models import LiveStatus, MeetingState, ZoomAttendance, ZoomRecording

URL = "/zoom/webhook"


@pytest.fixture
def client(zoom_app):
    return zoom_app.test_client()


@pytest.fixture
def meeting(zoom_session) -> tuple[int, int]:
    """(session id, Zoom meeting id) of a synced Zoom session."""
    session = zoom_session()
    sync_one(session.id)
    return session.id, record_of(session.id).meeting_id


def deliver(client, sender: WebhookSender, envelope, **kwargs):
    headers, body = sender.prepare(envelope, **kwargs)
    return client.post(URL, data=body, headers=headers)


def attendance(session_id: int) -> list[ZoomAttendance]:
    db.session.expire_all()
    return list(
        db.session.execute(
            db.select(ZoomAttendance).where(ZoomAttendance.session_id == session_id)
        ).scalars()
    )


def test_url_validation_is_answered_with_the_hmac(client, webhook_sender):
    response = deliver(client, webhook_sender, webhook_sender.url_validation("abc123"))

    expected = hmac.new(WEBHOOK_SECRET.encode(), b"abc123", hashlib.sha256).hexdigest()
    assert response.status_code == 200
    assert response.get_json() == {"plainToken": "abc123", "encryptedToken": expected}


def test_good_signature_started_event_marks_the_meeting_live(client, webhook_sender, meeting):
    session_id, meeting_id = meeting
    envelope = webhook_sender.meeting_event(
        "meeting.started", meeting_id, start_time="2026-05-04T09:00:00Z"
    )

    response = deliver(client, webhook_sender, envelope)

    record = record_of(session_id)
    assert response.status_code == 200
    assert record.live_status is LiveStatus.STARTED
    assert record.live_started_at.isoformat() == "2026-05-04T09:00:00+00:00"


def test_bad_signature_is_refused_and_changes_nothing(client, meeting):
    session_id, meeting_id = meeting
    forger = WebhookSender("not-the-secret")

    response = deliver(client, forger, forger.meeting_event("meeting.started", meeting_id))

    assert response.status_code == 403
    assert record_of(session_id).live_status is None


@pytest.mark.parametrize(
    "dropped",
    [
        ("x-zm-signature",),
        ("x-zm-request-timestamp",),
        ("x-zm-signature", "x-zm-request-timestamp"),
    ],
)
def test_missing_headers_answer_401(client, webhook_sender, meeting, dropped):
    headers, body = webhook_sender.prepare(
        webhook_sender.meeting_event("meeting.started", meeting[1])
    )
    for name in dropped:
        del headers[name]

    response = client.post(URL, data=body, headers=headers)

    assert response.status_code == 401


def test_garbled_headers_answer_403_not_500(client, webhook_sender, meeting):
    headers, body = webhook_sender.prepare(webhook_sender.meeting_event("meeting.ended", 1))
    headers["x-zm-request-timestamp"] = "yesterday"
    headers["x-zm-signature"] = "v0=\u00e9\u00e9"

    response = client.post(URL, data=body, headers=headers)

    assert response.status_code == 403


def test_replayed_old_timestamp_is_refused(client, webhook_sender, meeting):
    session_id, meeting_id = meeting
    old = int(time.time()) - 600  # correctly signed, ten minutes ago

    response = deliver(
        client,
        webhook_sender,
        webhook_sender.meeting_event("meeting.started", meeting_id),
        timestamp=old,
    )

    assert response.status_code == 403
    assert record_of(session_id).live_status is None


def test_webhooks_without_a_secret_are_refused(zoom_app, client, webhook_sender):
    zoom_app.config["ZOOM_WEBHOOK_SECRET_TOKEN"] = ""

    response = deliver(client, webhook_sender, webhook_sender.url_validation("abc"))

    assert response.status_code == 403


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"payload": {}}'])
def test_signed_junk_answers_400(client, webhook_sender, body):
    response = deliver(client, webhook_sender, body)

    assert response.status_code == 400


def test_duplicate_delivery_is_handled_once(client, webhook_sender, meeting):
    session_id, meeting_id = meeting
    envelope = webhook_sender.participant_event(
        "meeting.participant_joined",
        meeting_id,
        {"user_name": "Aziza", "participant_uuid": "p-1", "join_time": "2026-05-04T09:01:00Z"},
    )

    first = deliver(client, webhook_sender, envelope)
    again = deliver(client, webhook_sender, envelope)  # Zoom retries: same event, new stamp

    assert (first.get_json()["status"], again.get_json()["status"]) == ("ok", "duplicate")
    assert len(attendance(session_id)) == 1


def test_join_and_leave_record_minutes_with_string_and_integer_ids(client, webhook_sender, meeting):
    session_id, meeting_id = meeting
    person = {"user_name": "Aziza", "email": "aziza@example.org", "participant_uuid": "p-1"}
    joined = webhook_sender.participant_event(
        "meeting.participant_joined", meeting_id, {**person, "join_time": "2026-05-04T09:01:00Z"}
    )
    left = webhook_sender.participant_event(
        "meeting.participant_left", meeting_id, {**person, "leave_time": "2026-05-04T09:48:30Z"}
    )
    assert isinstance(joined["payload"]["object"]["id"], str)  # Zoom's quirk, kept
    left["payload"]["object"]["id"] = int(meeting_id)  # and the other spelling

    deliver(client, webhook_sender, joined)
    deliver(client, webhook_sender, left)

    (row,) = attendance(session_id)
    assert (row.name, row.email, row.minutes) == ("Aziza", "aziza@example.org", 48)


def test_leave_before_join_delivery_still_adds_up(client, webhook_sender, meeting):
    session_id, meeting_id = meeting
    person = {"user_name": "Bobur", "participant_uuid": "p-2"}
    left = webhook_sender.participant_event(
        "meeting.participant_left", meeting_id, {**person, "leave_time": "2026-05-04T10:00:00Z"}
    )
    joined = webhook_sender.participant_event(
        "meeting.participant_joined", meeting_id, {**person, "join_time": "2026-05-04T09:30:00Z"}
    )

    deliver(client, webhook_sender, left)
    deliver(client, webhook_sender, joined)

    (row,) = attendance(session_id)
    assert row.minutes == 30


def test_recording_completed_is_stored_for_the_session(client, webhook_sender, meeting):
    session_id, meeting_id = meeting
    envelope = webhook_sender.meeting_event(
        "recording.completed",
        meeting_id,
        share_url="https://zoom.example/rec/share/abc",
        recording_play_passcode="x1y2",
        recording_files=[
            {
                "id": "file-1",
                "meeting_id": f"uuid-{meeting_id}==",
                "recording_start": "2026-05-04T09:00:00Z",
                "recording_end": "2026-05-04T10:30:00Z",
                "file_type": "MP4",
                "file_size": 123456789,
                "play_url": "https://zoom.example/rec/play/file-1",
                "download_url": "https://zoom.example/rec/download/file-1",
                "recording_type": "shared_screen_with_speaker_view",
            }
        ],
    )
    envelope["download_token"] = "short-lived"

    response = deliver(client, webhook_sender, envelope)

    (row,) = db.session.execute(db.select(ZoomRecording)).scalars()
    assert response.status_code == 200
    assert (row.session_id, row.file_type, row.passcode) == (session_id, "MP4", "x1y2")
    assert row.play_url == "https://zoom.example/rec/play/file-1"


def test_meeting_moved_by_hand_in_zoom_is_put_back(
    client, webhook_sender, meeting, zoom_server, zoom_client
):
    session_id, meeting_id = meeting
    before = zoom_server.meeting(meeting_id)
    zoom_client.update_meeting(meeting_id, {"start_time": "2030-01-01T08:00:00Z"})
    envelope = webhook_sender.meeting_event(
        "meeting.updated",
        meeting_id,
        start_time="2030-01-01T08:00:00Z",
        old_object={"id": meeting_id, "start_time": before["start_time"]},
    )

    response = deliver(client, webhook_sender, envelope)  # the sync runs at once in tests

    record = record_of(session_id)
    assert response.status_code == 200
    assert zoom_server.meeting(meeting_id)["start_time"] == before["start_time"]
    assert record.changed_in_zoom_at is not None
    assert record.state is MeetingState.READY


def test_our_own_change_coming_back_changes_nothing(client, webhook_sender, meeting, zoom_server):
    session_id, meeting_id = meeting
    current = zoom_server.meeting(meeting_id)
    zoom_server.requests.clear()
    envelope = webhook_sender.meeting_event(
        "meeting.updated", meeting_id, start_time=current["start_time"], topic=current["topic"]
    )

    deliver(client, webhook_sender, envelope)

    assert zoom_server.api_requests() == []
    assert record_of(session_id).changed_in_zoom_at is None


def test_meeting_deleted_by_hand_in_zoom_is_made_again(
    client, webhook_sender, meeting, zoom_server, zoom_client
):
    session_id, meeting_id = meeting
    zoom_client.delete_meeting(meeting_id)

    deliver(client, webhook_sender, webhook_sender.meeting_event("meeting.deleted", meeting_id))

    (remade,) = marked(zoom_server, session_id)
    assert remade["id"] != meeting_id
    assert record_of(session_id).meeting_id == remade["id"]


def test_event_for_an_unknown_meeting_is_acknowledged(client, webhook_sender):
    envelope = webhook_sender.meeting_event("meeting.ended", 99999999999)

    response = deliver(client, webhook_sender, envelope)

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_participant_event_without_participant_answers_400(client, webhook_sender, meeting):
    envelope = webhook_sender.meeting_event("meeting.participant_joined", meeting[1])

    response = deliver(client, webhook_sender, envelope)

    assert response.status_code == 400
    assert json.loads(response.data)["detail"] == "the event has no participant"
