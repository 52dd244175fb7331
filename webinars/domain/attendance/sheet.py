"""A session's attendance list as a lecturer reads it: every registrant with a seat (and
every walk-in), attended or absent, and why.

Nothing here writes. The outcome follows the session's rule (rule.meets_rule) from the
minutes matched in Zoom (matching) or a check-in at the door, unless a lecturer overrode
it; once the list is finalised the frozen outcome of each entry is what counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import selectinload

from webinars.domain.attendance.matching import ZoomPerson, name_key, zoom_people
from webinars.domain.attendance.rule import meets_rule, present_minutes, share_of
from webinars.extensions import db
from webinars.models import (
    SEAT_STATUSES,
    AttendanceEntry,
    AttendanceSheet,
    Presence,
    Registration,
    Session,
)

# Why a row reads as it does (the page puts each in words).
REASONS = ("override", "checked_in", "zoom", "too_short", "suggestion", "no_record", "frozen")


@dataclass
class AttendanceRow:
    """One person on the list."""

    ref: str  # "r<registration id>" or "e<entry id>": what the page's buttons send
    name: str
    email: str | None
    walk_in: bool
    registration_id: int | None
    entry: AttendanceEntry | None
    minutes: int = 0
    share: int = 0
    matched_by_email: bool = False
    zoom_names: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    checked_in_at: datetime | None = None
    by_rule: bool = False
    override: Presence | None = None
    override_reason: str | None = None
    attended: bool = False
    reason: str = "no_record"


@dataclass
class AttendanceCounts:
    """Head counts of a list (walk-ins apart from the registrants)."""

    registered: int = 0
    attended: int = 0
    walk_ins: int = 0

    @property
    def absent(self) -> int:
        return self.registered - self.attended

    @property
    def rate(self) -> int:
        """Registrants who attended, as a whole percentage."""
        return self.attended * 100 // self.registered if self.registered else 0


@dataclass
class Sheet:
    """The list, the rule it was read with, and the Zoom names nobody claimed."""

    session: Session
    share_percent: int
    finalised_at: datetime | None
    rows: list[AttendanceRow]
    unclaimed: list[ZoomPerson]  # name-only participants not confirmed as anyone
    strangers: list[ZoomPerson]  # participants with an address nobody registered with

    @property
    def counts(self) -> AttendanceCounts:
        counts = AttendanceCounts()
        for row in self.rows:
            if row.walk_in:
                counts.walk_ins += 1
                continue
            counts.registered += 1
            counts.attended += row.attended
        return counts

    def row(self, ref: str) -> AttendanceRow | None:
        """The row a page's button names, if it is on the list."""
        return next((r for r in self.rows if r.ref == ref), None)


def sheet_of(session_id: int) -> AttendanceSheet | None:
    """The stored rule and state of a session's list, if anything was stored yet."""
    return db.session.get(AttendanceSheet, session_id)


def share_percent(session_id: int) -> int:
    """The session's share, else the department's default."""
    stored = sheet_of(session_id)
    return stored.share_percent if stored else current_app.config["ATTENDANCE_SHARE_PERCENT"]


def listed_registrations(session_id: int) -> list[Registration]:
    """Registrants on the list: those with a seat, and any other one something was
    recorded about (e.g. a cancelled registration a lecturer marked present)."""
    noted = db.select(AttendanceEntry.registration_id).where(
        AttendanceEntry.session_id == session_id, AttendanceEntry.registration_id.is_not(None)
    )
    return list(
        db.session.execute(
            db.select(Registration)
            .where(
                Registration.session_id == session_id,
                Registration.status.in_(SEAT_STATUSES) | Registration.id.in_(noted),
            )
            .order_by(Registration.full_name, Registration.id)
        ).scalars()
    )


def entries_of(session_id: int) -> list[AttendanceEntry]:
    """Every stored entry of the session, with its confirmed Zoom names."""
    return list(
        db.session.execute(
            db.select(AttendanceEntry)
            .where(AttendanceEntry.session_id == session_id)
            .options(selectinload(AttendanceEntry.zoom_names))
            .order_by(AttendanceEntry.id)
        ).scalars()
    )


def build_sheet(session: Session) -> Sheet:
    """Read the whole list of ``session`` (three queries and the Zoom stays)."""
    stored = sheet_of(session.id)
    share = stored.share_percent if stored else current_app.config["ATTENDANCE_SHARE_PERCENT"]
    final = stored.finalised_at if stored else None
    entries = entries_of(session.id)
    by_registration = {e.registration_id: e for e in entries if e.registration_id}
    people = zoom_people(session.id)
    by_email = {p.email: p for p in people if p.email}
    by_name = {p.name: p for p in people if not p.email}
    confirmed = {m.zoom_name for e in entries for m in e.zoom_names}
    unclaimed = [p for p in by_name.values() if p.name not in confirmed]
    unclaimed_keys: dict[str, list[str]] = {}
    for person in unclaimed:
        unclaimed_keys.setdefault(name_key(person.name), []).append(person.name)
    rows: list[AttendanceRow] = []
    registered_emails: set[str] = set()
    for registration in listed_registrations(session.id):
        email = (registration.email or "").lower() or None
        if email:
            registered_emails.add(email)
        entry = by_registration.get(registration.id)
        row = AttendanceRow(
            ref=f"r{registration.id}",
            name=registration.full_name or (entry.full_name if entry else None) or "",
            email=registration.email,
            walk_in=False,
            registration_id=registration.id,
            entry=entry,
        )
        _fill(row, session, share, final, by_email.get(email or ""), by_name, unclaimed_keys)
        rows.append(row)
    for entry in entries:
        if entry.walk_in:
            row = AttendanceRow(
                ref=f"e{entry.id}",
                name=entry.full_name or "",
                email=entry.email,
                walk_in=True,
                registration_id=None,
                entry=entry,
            )
            _fill(row, session, share, final, None, by_name, {})
            rows.append(row)
    strangers = [p for p in people if p.email and p.email not in registered_emails]
    return Sheet(session, share, final, rows, unclaimed, strangers)


def _fill(
    row: AttendanceRow,
    session: Session,
    share: int,
    final: datetime | None,
    email_person: ZoomPerson | None,
    by_name: dict[str, ZoomPerson],
    unclaimed_keys: dict[str, list[str]],
) -> None:
    """Minutes, suggestions, the rule's answer and the outcome of one row."""
    entry = row.entry
    stays = list(email_person.stays) if email_person else []
    row.matched_by_email = email_person is not None
    if entry is not None:
        row.zoom_names = [m.zoom_name for m in entry.zoom_names]
        for name in row.zoom_names:
            if name in by_name:
                stays.extend(by_name[name].stays)
        row.checked_in_at = entry.checked_in_at
        row.override = entry.override
        row.override_reason = entry.override_reason
    row.minutes = present_minutes(stays)
    if entry is not None and entry.forgotten_at is not None:
        row.minutes = entry.minutes or 0  # the stays' names are gone: the frozen figure
    row.share = share_of(row.minutes, session.duration_minutes)
    if row.name:
        row.suggestions = list(unclaimed_keys.get(name_key(row.name), []))
    row.by_rule = row.checked_in_at is not None or meets_rule(
        row.minutes, session.duration_minutes, share
    )
    if final is not None and entry is not None and entry.attended is not None:
        row.attended = entry.attended
    else:
        row.attended = (row.override is Presence.ATTENDED) if row.override else row.by_rule
    row.reason = _reason(row, final)


def _reason(row: AttendanceRow, final: datetime | None) -> str:
    if row.entry is not None and row.entry.forgotten_at is not None:
        return "frozen"
    if row.override is not None:
        return "override"
    if row.checked_in_at is not None:
        return "checked_in"
    if row.by_rule:
        return "zoom"
    if row.minutes:
        return "too_short"
    if row.suggestions:
        return "suggestion"
    return "no_record"


def attended_entries(session_id: int) -> list[AttendanceEntry]:
    """The entries frozen as attended when the list was finalised (certificates go to
    these people)."""
    return list(
        db.session.execute(
            db.select(AttendanceEntry)
            .where(AttendanceEntry.session_id == session_id, AttendanceEntry.attended.is_(True))
            .order_by(AttendanceEntry.id)
        ).scalars()
    )


def attendance_counts(session_ids: list[int]) -> dict[int, AttendanceCounts]:
    """Frozen counts of finalised sessions (for reports): registrants and walk-ins who
    attended. Sessions not finalised yet are left out; see build_sheet for a live list."""
    counts: dict[int, AttendanceCounts] = {}
    final = db.select(AttendanceSheet.session_id).where(
        AttendanceSheet.session_id.in_(session_ids), AttendanceSheet.finalised_at.is_not(None)
    )
    rows = db.session.execute(
        db.select(
            AttendanceEntry.session_id, AttendanceEntry.walk_in, AttendanceEntry.attended
        ).where(AttendanceEntry.session_id.in_(final))
    )
    for session_id in db.session.execute(final).scalars():
        counts[session_id] = AttendanceCounts()
    for session_id, walk_in, attended in rows:
        tally = counts[session_id]
        if walk_in:
            tally.walk_ins += 1
        else:
            tally.registered += 1
            tally.attended += bool(attended)
    return counts
