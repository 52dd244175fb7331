"""What Zoom's webhooks recorded about a session: who attended for how long, and the
recordings. For the session's lecturers and admins only (personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from webinars.extensions import db
from webinars.models import ZoomAttendance, ZoomRecording


@dataclass(frozen=True)
class Attendee:
    """One person's attendance: stays added up (people drop out and rejoin)."""

    name: str
    email: str | None
    first_joined: datetime | None
    last_left: datetime | None
    minutes: int
    still_in: bool


def attendance_summary(session_id: int) -> list[Attendee]:
    """Every participant once, by email (or name when Zoom gave none), longest first."""
    rows = db.session.execute(
        db.select(ZoomAttendance)
        .where(ZoomAttendance.session_id == session_id)
        .order_by(ZoomAttendance.joined_at, ZoomAttendance.id)
    ).scalars()
    people: dict[str, list[ZoomAttendance]] = {}
    for row in rows:
        key = (row.email or "").lower() or f"name:{row.name}" or row.participant_key
        people.setdefault(key, []).append(row)
    summary = []
    for stays in people.values():
        joins = [s.joined_at for s in stays if s.joined_at]
        leaves = [s.left_at for s in stays if s.left_at]
        summary.append(
            Attendee(
                name=next((s.name for s in stays if s.name), ""),
                email=next((s.email for s in stays if s.email), None),
                first_joined=min(joins) if joins else None,
                last_left=max(leaves) if leaves else None,
                minutes=sum(s.minutes or 0 for s in stays),
                still_in=any(s.joined_at and not s.left_at for s in stays),
            )
        )
    return sorted(summary, key=lambda a: (-a.minutes, a.name.lower()))


def recordings_of(session_id: int) -> list[ZoomRecording]:
    """The session's recording files, in the order they were recorded."""
    return list(
        db.session.execute(
            db.select(ZoomRecording)
            .where(ZoomRecording.session_id == session_id)
            .order_by(ZoomRecording.recording_start, ZoomRecording.id)
        ).scalars()
    )
