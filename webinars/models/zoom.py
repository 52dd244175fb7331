"""Zoom meetings: what each session's meeting should be and what Zoom was last seen to hold.

The database holds the desired state (the session, its settings) beside the actual state
(the meeting id, host and join link Zoom gave back, and how the last attempt went).
Background jobs compare the two and bring Zoom in line.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.session import Session


class MeetingState(enum.StrEnum):
    """Where a session's meeting stands between the database and Zoom."""

    PENDING = "pending"  # Zoom must be brought in line; nothing is under way
    CREATING = "creating"  # a create went out and its answer is not known yet
    READY = "ready"  # Zoom holds the meeting as the session wants it
    RETRYING = "retrying"  # the last attempt failed; another is planned (next_attempt_at)
    FAILED = "failed"  # a person must act (error_kind says who and what)
    DELETING = "deleting"  # the meeting must go (cancelled session, Zoom no longer chosen)
    DELETED = "deleted"  # no meeting in Zoom, and none wanted


class AutoRecording(enum.StrEnum):
    """Zoom's automatic recording: in Zoom's cloud, on the host's computer, or none."""

    NONE = "none"
    LOCAL = "local"
    CLOUD = "cloud"


class LiveStatus(enum.StrEnum):
    """What Zoom's webhooks last said about the meeting being under way."""

    STARTED = "started"
    ENDED = "ended"


class ZoomDefaults(db.Model):
    """The department's meeting settings, set by an admin (one row; id 1)."""

    __tablename__ = "zoom_defaults"

    id: Mapped[int] = mapped_column(primary_key=True)
    passcode: Mapped[bool] = mapped_column(default=True)
    waiting_room: Mapped[bool] = mapped_column(default=True)
    mute_upon_entry: Mapped[bool] = mapped_column(default=True)
    auto_recording: Mapped[AutoRecording] = mapped_column(
        enum_type(AutoRecording), default=AutoRecording.NONE
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ZoomMeeting(db.Model):
    """One session's Zoom meeting: the settings it should have and what Zoom holds.

    ``meeting_id`` is Zoom's 64-bit id. ``create_sent_at`` is set before a create goes out
    and cleared once its answer is stored: while it is set, the meeting may exist in Zoom
    without our knowing its id, so the host's meetings are searched for the session's
    marker before anything is created again. Setting overrides left at None follow the
    department's defaults.
    """

    __tablename__ = "zoom_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), unique=True
    )
    # Unique: a live meeting id belongs to one session (records.take_meeting_id repairs).
    meeting_id: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    host_email: Mapped[str | None] = mapped_column(String(254), index=True)
    join_url: Mapped[str | None] = mapped_column(String(1000))
    state: Mapped[MeetingState] = mapped_column(
        enum_type(MeetingState), default=MeetingState.PENDING, index=True
    )
    # Why the last attempt failed: a kind the pages put in words, Zoom's message, and for
    # validation errors Zoom's [field, message] pairs.
    error_kind: Mapped[str | None] = mapped_column(String(30))
    last_error: Mapped[str | None] = mapped_column(Text)
    error_fields: Mapped[list[Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deferred_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # daily limit
    create_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    synced_sequence: Mapped[int | None]
    synced_fingerprint: Mapped[str | None] = mapped_column(String(64))
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verify_needed: Mapped[bool] = mapped_column(default=False)
    changed_in_zoom_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Held by the one worker syncing this meeting; it lapses by itself if that worker dies.
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leased_by: Mapped[str | None] = mapped_column(String(100))  # domain.operations.workers
    # Per-session overrides of the department's defaults (None: the default).
    passcode: Mapped[bool | None]
    waiting_room: Mapped[bool | None]
    mute_upon_entry: Mapped[bool | None]
    auto_recording: Mapped[AutoRecording | None] = mapped_column(enum_type(AutoRecording))
    # Live state, from Zoom's webhooks.
    live_status: Mapped[LiveStatus | None] = mapped_column(enum_type(LiveStatus))
    live_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    live_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[Session] = relationship()

    def __repr__(self) -> str:
        return f"<ZoomMeeting session={self.session_id} {self.state.value} id={self.meeting_id}>"


class ZoomWebhookEvent(db.Model):
    """A webhook event already handled: its id is unique, so a redelivery is seen as such."""

    __tablename__ = "zoom_webhook_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ZoomAttendance(db.Model):
    """One stay of one participant in a session's meeting (a rejoin is another row)."""

    __tablename__ = "zoom_attendance"
    __table_args__ = (Index("ix_zoom_attendance_session_id_key", "session_id", "participant_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(BigInteger)
    participant_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None]


class ZoomRecording(db.Model):
    """One file of a session's cloud recording, for its lecturers."""

    __tablename__ = "zoom_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(BigInteger)
    file_id: Mapped[str] = mapped_column(String(100), unique=True)
    file_type: Mapped[str] = mapped_column(String(30), default="")
    recording_type: Mapped[str | None] = mapped_column(String(60))
    recording_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recording_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    play_url: Mapped[str | None] = mapped_column(String(1000))
    share_url: Mapped[str | None] = mapped_column(String(1000))
    passcode: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ZoomHostUsage(db.Model):
    """Creates and updates sent for one Zoom host on one UTC day (Zoom allows 100).

    ``exhausted`` is set when Zoom itself said the day's limit is reached, whatever the
    count says (another app on the account may share the host).
    """

    __tablename__ = "zoom_host_usage"

    host_email: Mapped[str] = mapped_column(String(254), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    calls: Mapped[int] = mapped_column(default=0)
    exhausted: Mapped[bool] = mapped_column(default=False)


class ZoomRefusedTimeZone(db.Model):
    """An IANA time zone Zoom refused as a meeting's ``timezone`` (it is missing from
    Zoom's own list). Later calls send the zone's equivalent, or none, straight away."""

    __tablename__ = "zoom_refused_time_zones"

    time_zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    refused_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
