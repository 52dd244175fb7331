"""What Zoom's webhook events change in the database. Nothing here calls Zoom.

The view checks the signature and hands over the parsed envelope; ``handle_event``
records the event id (so a redelivery is seen as one), updates live state, attendance
or recordings, and names the sessions whose meeting must be put back in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from webinars.domain import signals
from webinars.domain.zoom.records import differences
from webinars.domain.zoom.settings import meeting_body, meeting_settings
from webinars.domain.zoom.sync import wants_meeting
from webinars.extensions import db
from webinars.models import (
    LiveStatus,
    MeetingState,
    ZoomAttendance,
    ZoomMeeting,
    ZoomRecording,
    ZoomWebhookEvent,
)
from webinars.zoom import meeting_id_of


class EventError(ValueError):
    """The event lacks what its kind needs (the view answers 400)."""


@dataclass
class EventOutcome:
    """Whether the event was new, and which sessions need a sync after the commit."""

    duplicate: bool = False
    session_ids: list[int] = field(default_factory=list)


def already_handled(event_id: str) -> bool:
    """True when this event id was handled before."""
    return db.session.get(ZoomWebhookEvent, event_id) is not None


def handle_event(
    envelope: Mapping[str, Any], event_id: str, namespace: str, now: datetime
) -> EventOutcome:
    """Apply one event; the caller commits (a unique key on the id catches a race).

    The sessions whose meeting must be put back are announced (meeting_out_of_step), so
    their sync is queued after the commit.
    """
    if already_handled(event_id):
        return EventOutcome(duplicate=True)
    name = str(envelope.get("event"))
    db.session.add(ZoomWebhookEvent(event_id=event_id, event=name[:80], received_at=now))
    payload = envelope.get("payload")
    obj = payload.get("object") if isinstance(payload, Mapping) else None
    handler = _HANDLERS.get(name)
    if handler is None:
        return EventOutcome()  # an event we do not use: acknowledged, ignored
    if not isinstance(obj, Mapping):
        raise EventError("the event has no payload object")
    try:
        meeting_id = meeting_id_of(obj)
    except ValueError as exc:
        raise EventError(str(exc)) from exc
    record = db.session.execute(
        db.select(ZoomMeeting).where(ZoomMeeting.meeting_id == meeting_id)
    ).scalar_one_or_none()
    if record is None:
        return EventOutcome()  # not one of ours (or an old meeting replaced since)
    stamp = _event_time(envelope, now)
    outcome = handler(record, obj, stamp, payload, namespace, now)
    for session_id in outcome.session_ids:
        signals.meeting_out_of_step.send(session_id)
    return outcome


def _event_time(envelope: Mapping[str, Any], now: datetime) -> datetime:
    value = envelope.get("event_ts")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value / 1000, UTC)
    return now


def parse_time(value: Any) -> datetime | None:
    """Zoom's ``2026-03-01T10:00:00Z`` as an aware UTC datetime, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _started(record, obj, stamp, payload, namespace, now) -> EventOutcome:
    record.live_status = LiveStatus.STARTED
    record.live_started_at = parse_time(obj.get("start_time")) or stamp
    record.live_ended_at = None
    return EventOutcome()


def _ended(record, obj, stamp, payload, namespace, now) -> EventOutcome:
    record.live_status = LiveStatus.ENDED
    record.live_ended_at = parse_time(obj.get("end_time")) or stamp
    return EventOutcome()


def _participant(obj: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    person = obj.get("participant")
    if not isinstance(person, Mapping):
        raise EventError("the event has no participant")
    for name in ("participant_uuid", "user_id", "id", "email", "user_name"):
        value = person.get(name)
        if value not in (None, ""):
            return f"{name}:{value}"[:200], person
    raise EventError("the participant cannot be told apart from others")


def _minutes(joined: datetime | None, left: datetime | None) -> int | None:
    if joined is None or left is None or left < joined:
        return None
    return round((left - joined).total_seconds() / 60)


def _joined(record, obj, stamp, payload, namespace, now) -> EventOutcome:
    key, person = _participant(obj)
    joined = parse_time(person.get("join_time")) or stamp
    # The "left" event may have come first (deliveries are retried out of order).
    early = db.session.execute(
        db.select(ZoomAttendance).where(
            ZoomAttendance.session_id == record.session_id,
            ZoomAttendance.participant_key == key,
            ZoomAttendance.joined_at.is_(None),
            ZoomAttendance.left_at >= joined,
        )
    ).scalar()
    row = early or ZoomAttendance(session_id=record.session_id, participant_key=key)
    row.meeting_id = record.meeting_id
    row.name = str(person.get("user_name") or row.name or "")[:200]
    row.email = str(person.get("email") or row.email or "")[:254] or None
    row.joined_at = joined
    row.minutes = _minutes(row.joined_at, row.left_at)
    db.session.add(row)
    return EventOutcome()


def _left(record, obj, stamp, payload, namespace, now) -> EventOutcome:
    key, person = _participant(obj)
    left = parse_time(person.get("leave_time")) or stamp
    row = db.session.execute(
        db.select(ZoomAttendance)
        .where(
            ZoomAttendance.session_id == record.session_id,
            ZoomAttendance.participant_key == key,
            ZoomAttendance.left_at.is_(None),
            ZoomAttendance.joined_at <= left,
        )
        .order_by(ZoomAttendance.joined_at.desc())
    ).scalar()
    if row is None:  # the join was missed: keep what is known
        row = ZoomAttendance(session_id=record.session_id, participant_key=key)
        row.meeting_id = record.meeting_id
        row.name = str(person.get("user_name") or "")[:200]
        row.email = str(person.get("email") or "")[:254] or None
        db.session.add(row)
    row.left_at = left
    row.minutes = _minutes(row.joined_at, row.left_at)
    return EventOutcome()


def _updated(record, obj, stamp, payload, namespace, now) -> EventOutcome:
    """A change made in Zoom: if it departs from the session, put the meeting back."""
    session = record.session
    if wants_meeting(session, now) is not True or record.state is not MeetingState.READY:
        return EventOutcome()  # a sync is due anyway, and will read Zoom afresh
    settings = meeting_settings(record)
    try:
        body = meeting_body(session, settings, record.host_email, namespace, creating=False)
    except ValueError:
        return EventOutcome()
    changed = {k: v for k, v in obj.items() if k not in ("id", "uuid", "host_id")}
    # Our own changes come back as meeting.updated too: only departures count.
    probe = {**body, **changed, "settings": {**body["settings"], **(changed.get("settings") or {})}}
    if "agenda" not in changed:
        probe["agenda"] = body["agenda"]
    if not differences(probe, body, session.id, namespace, now):
        return EventOutcome()
    record.verify_needed = True
    record.changed_in_zoom_at = stamp
    record.state = MeetingState.PENDING
    return EventOutcome(session_ids=[session.id])


def _deleted(record, obj, stamp, payload, namespace, now) -> EventOutcome:
    """A meeting deleted in Zoom while the session still wants it: make it again."""
    session = record.session
    if record.state in (MeetingState.DELETING, MeetingState.DELETED):
        return EventOutcome()  # our own delete coming back
    if wants_meeting(session, now) is not True:
        return EventOutcome(session_ids=[session.id])
    record.meeting_id = None
    record.synced_fingerprint = None
    record.changed_in_zoom_at = stamp
    record.state = MeetingState.PENDING
    return EventOutcome(session_ids=[session.id])


def _recording(record, obj, stamp, payload, namespace, now) -> EventOutcome:
    files = obj.get("recording_files")
    if not isinstance(files, list):
        raise EventError("the recording event lists no files")
    for item in files:
        if not isinstance(item, Mapping) or not item.get("id"):
            continue
        file_id = str(item["id"])[:100]
        row = db.session.execute(
            db.select(ZoomRecording).where(ZoomRecording.file_id == file_id)
        ).scalar_one_or_none() or ZoomRecording(file_id=file_id)
        row.session_id = record.session_id
        row.meeting_id = record.meeting_id or 0
        row.file_type = str(item.get("file_type") or "")[:30]
        row.recording_type = str(item.get("recording_type") or "")[:60] or None
        row.recording_start = parse_time(item.get("recording_start"))
        row.recording_end = parse_time(item.get("recording_end"))
        size = item.get("file_size")
        row.file_size = size if isinstance(size, int) and not isinstance(size, bool) else None
        row.play_url = str(item.get("play_url") or "")[:1000] or None
        row.share_url = str(obj.get("share_url") or "")[:1000] or None
        passcode = obj.get("recording_play_passcode") or obj.get("password")
        row.passcode = str(passcode)[:100] if passcode else None
        row.created_at = now
        db.session.add(row)
    return EventOutcome()


_HANDLERS = {
    "meeting.started": _started,
    "meeting.ended": _ended,
    "meeting.participant_joined": _joined,
    "meeting.participant_left": _left,
    "meeting.updated": _updated,
    "meeting.deleted": _deleted,
    "recording.completed": _recording,
}
