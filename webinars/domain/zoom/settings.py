"""Meeting settings: the department's defaults, each session's overrides, and the body
Zoom is sent for a session.

Changing settings only writes the database; the background sync carries the change to
Zoom afterwards.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from webinars.domain.sessions.conferencing import meeting_record
from webinars.domain.zoom.zones import refused_zones, zone_for_zoom
from webinars.extensions import db
from webinars.models import (
    AutoRecording,
    MeetingState,
    Session,
    User,
    ZoomDefaults,
    ZoomMeeting,
    utcnow,
)
from webinars.zoom import build_meeting_body

DEFAULTS_ID = 1


@dataclass(frozen=True)
class MeetingSettings:
    """The settings a meeting gets, after the session's overrides are applied."""

    passcode: bool = True
    waiting_room: bool = True
    mute_upon_entry: bool = True
    auto_recording: AutoRecording = AutoRecording.NONE


@dataclass(frozen=True)
class SettingOverrides:
    """A session's choices; None keeps the department's default."""

    passcode: bool | None = None
    waiting_room: bool | None = None
    mute_upon_entry: bool | None = None
    auto_recording: AutoRecording | None = None


def department_defaults() -> ZoomDefaults:
    """The admin's defaults (an unsaved row with the built-in ones until first saved)."""
    return db.session.get(ZoomDefaults, DEFAULTS_ID) or ZoomDefaults(
        id=DEFAULTS_ID,
        passcode=True,
        waiting_room=True,
        mute_upon_entry=True,
        auto_recording=AutoRecording.NONE,
    )


def save_department_defaults(
    settings: MeetingSettings, actor: User | None, now: datetime | None = None
) -> ZoomDefaults:
    """Store new defaults. Sessions without overrides follow them at their next sync."""
    row = department_defaults()
    row.passcode = settings.passcode
    row.waiting_room = settings.waiting_room
    row.mute_upon_entry = settings.mute_upon_entry
    row.auto_recording = settings.auto_recording
    row.updated_at = now or utcnow()
    row.updated_by_id = actor.id if actor else None
    db.session.add(row)
    return row


def effective_settings(record: ZoomMeeting | None, defaults: ZoomDefaults) -> MeetingSettings:
    """The department's defaults with the session's overrides on top."""

    def pick(name: str) -> Any:
        override = getattr(record, name) if record is not None else None
        return getattr(defaults, name) if override is None else override

    return MeetingSettings(
        passcode=bool(pick("passcode")),
        waiting_room=bool(pick("waiting_room")),
        mute_upon_entry=bool(pick("mute_upon_entry")),
        auto_recording=AutoRecording(pick("auto_recording")),
    )


def meeting_settings(record: ZoomMeeting | None) -> MeetingSettings:
    """The settings a session's meeting should have now: the department's defaults with
    the session's overrides on top."""
    return effective_settings(record, department_defaults())


def ensure_record(session: Session) -> ZoomMeeting:
    """The session's meeting record, created (pending) when missing. Not committed."""
    record = meeting_record(session.id)
    if record is None:
        record = ZoomMeeting(session_id=session.id, state=MeetingState.PENDING, attempts=0)
        record.session = session
        db.session.add(record)
    return record


def overrides_of(record: ZoomMeeting | None) -> SettingOverrides:
    """The session's current overrides (all None without a record)."""
    if record is None:
        return SettingOverrides()
    return SettingOverrides(
        record.passcode, record.waiting_room, record.mute_upon_entry, record.auto_recording
    )


def set_session_overrides(session: Session, overrides: SettingOverrides) -> ZoomMeeting:
    """Store a session's meeting settings. The sync sends them to Zoom after the commit."""
    record = ensure_record(session)
    record.passcode = overrides.passcode
    record.waiting_room = overrides.waiting_room
    record.mute_upon_entry = overrides.mute_upon_entry
    record.auto_recording = overrides.auto_recording
    return record


def alternative_hosts(session: Session, host: str | None) -> list[str]:
    """The Zoom users of the session's lecturers, except the meeting's own host."""
    emails = [u.zoom_email.strip().lower() for u in session.lecturers if u.zoom_email]
    return [e for e in dict.fromkeys(emails) if e and e != (host or "").lower()]


def meeting_body(
    session: Session,
    settings: MeetingSettings,
    host: str | None,
    namespace: str,
    *,
    creating: bool,
    refused: frozenset[str] | None = None,
) -> dict[str, Any]:
    """What Zoom is sent for ``session``: a create (POST) or a change (PATCH) body.

    The passcode choice only counts when the meeting is made (``default_password``); Zoom
    offers no reliable way to take a passcode off an existing meeting. ``refused``: the
    time zones Zoom refused lately (read from the database when None); the session's
    zone is replaced by its fallback when Zoom refused it (see ``zoom_zones``).
    """
    if refused is None:
        refused = refused_zones(utcnow())
    body = build_meeting_body(
        session_id=session.id,
        topic=session.title,
        start=session.starts_at,
        duration_minutes=session.duration_minutes,
        timezone=zone_for_zoom(session.time_zone, refused),
        agenda=session.description or "",
        waiting_room=settings.waiting_room,
        join_before_host=False,
        mute_upon_entry=settings.mute_upon_entry,
        auto_recording=settings.auto_recording.value,
        alternative_hosts=alternative_hosts(session, host),
        marker_namespace=namespace,
    )
    if creating:
        body["default_password"] = settings.passcode
    return body


def fingerprint(host: str | None, body: dict[str, Any]) -> str:
    """A digest of what Zoom should hold: equal digests mean nothing to send.

    ``default_password`` is left out: it only matters when the meeting is made.
    """
    kept = {k: v for k, v in body.items() if k != "default_password"}
    text = json.dumps({"host": host, "body": kept}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def set_zoom_email(user: User, email: str | None) -> None:
    """Record (or clear) a lecturer's Zoom user, making them an alternative host."""
    user.zoom_email = (email or "").strip().lower() or None
