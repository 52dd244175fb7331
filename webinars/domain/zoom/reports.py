"""What Zoom's webhooks recorded about a session: who attended for how long, and the
recordings. For the session's lecturers and admins only (personal data).

Attendance names and emails are forgotten with registrants' personal data (see
``retention``): each person's stays then keep only a number within the session, so head
counts and minutes stay right.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_

from webinars.extensions import db
from webinars.models import Session, ZoomAttendance, ZoomRecording

ANONYMOUS = "anonymous-"  # participant_key of a forgotten person: anonymous-<n>


@dataclass(frozen=True)
class Attendee:
    """One person's attendance: stays added up (people drop out and rejoin)."""

    name: str
    email: str | None
    first_joined: datetime | None
    last_left: datetime | None
    minutes: int
    still_in: bool


def person_key(row: ZoomAttendance) -> str:
    """Who a stay belongs to: the email, else the name, else Zoom's participant key."""
    if row.email:
        return f"email:{row.email.lower()}"
    if row.name:
        return f"name:{row.name}"
    return f"key:{row.participant_key}"


def attendance_summary(session_id: int) -> list[Attendee]:
    """Every participant once, by email (or name when Zoom gave none), longest first."""
    rows = db.session.execute(
        db.select(ZoomAttendance)
        .where(ZoomAttendance.session_id == session_id)
        .order_by(ZoomAttendance.joined_at, ZoomAttendance.id)
    ).scalars()
    people: dict[str, list[ZoomAttendance]] = {}
    for row in rows:
        people.setdefault(person_key(row), []).append(row)
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


def forget_attendance(ended_by: datetime) -> int:
    """Empty the names and emails of attendance for sessions that ended by ``ended_by``.

    Each person's stays get one anonymous key within their session, so the number of
    people and their minutes stay. Safe to run again. Returns how many stays were
    emptied; the caller commits.
    """
    ended = db.select(Session.id).where(Session.ends_at <= ended_by)
    rows = list(
        db.session.execute(
            db.select(ZoomAttendance)
            .where(
                ZoomAttendance.session_id.in_(ended),
                or_(
                    ZoomAttendance.email.is_not(None),
                    ZoomAttendance.name != "",
                    ZoomAttendance.participant_key.not_like(f"{ANONYMOUS}%"),
                ),
            )
            .order_by(ZoomAttendance.session_id, ZoomAttendance.id)
        ).scalars()
    )
    if not rows:
        return 0
    numbers = _anonymous_numbers({row.session_id for row in rows})
    assigned: dict[tuple[int, str], str] = {}
    for row in rows:
        person = (row.session_id, person_key(row))
        if person not in assigned:
            numbers[row.session_id] += 1
            assigned[person] = f"{ANONYMOUS}{numbers[row.session_id]}"
        row.participant_key = assigned[person]
        row.name = ""
        row.email = None
    return len(rows)


def _anonymous_numbers(session_ids: set[int]) -> defaultdict[int, int]:
    """The highest anonymous number already used in each session (a late event's stays
    are numbered after the people forgotten before)."""
    highest: defaultdict[int, int] = defaultdict(int)
    keys = db.session.execute(
        db.select(ZoomAttendance.session_id, ZoomAttendance.participant_key).where(
            ZoomAttendance.session_id.in_(session_ids),
            ZoomAttendance.participant_key.like(f"{ANONYMOUS}%"),
        )
    )
    for session_id, key in keys:
        number = key.removeprefix(ANONYMOUS)
        if number.isdigit():
            highest[session_id] = max(highest[session_id], int(number))
    return highest
