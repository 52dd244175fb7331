"""Forgetting attendance details with registrants' personal data, keeping the outcome.

When a session's personal data goes (registration.retention), each person's outcome and
minutes are frozen first (if the list was never finalised), then walk-ins' names and
addresses, override reasons, confirmed Zoom names and the names in the attendance part
of the audit trail are emptied. Certificates are not touched: they are the holder's.
"""

from __future__ import annotations

from datetime import datetime

from webinars.domain.attendance.changes import freeze_outcomes
from webinars.extensions import db
from webinars.models import AttendanceEntry, AuditEntry, Registration, Session, ZoomNameMatch

ATTENDANCE_ACTIONS = (
    "attendance_overridden",
    "attendance_check_in_undone",
    "attendance_name_confirmed",
    "attendance_name_unlinked",
    "attendance_walk_in",
)
PERSONAL_FIELDS = ("attendee", "reason", "zoom_name")


def forget_attendance_details(ended_by: datetime, now: datetime) -> int:
    """Empty the attendance details of sessions that ended by ``ended_by``; returns how
    many entries were emptied. Safe to run again. The caller commits.

    Runs before the Zoom stays and the registrations lose their names, so the outcome
    it freezes is still the true one.
    """
    ended = db.select(Session.id).where(Session.ends_at <= ended_by)
    # Sessions with something left to forget: entries not emptied yet, or registrants whose
    # personal data is still there (their outcome is frozen before it goes).
    entries_left = db.select(AttendanceEntry.session_id).where(
        AttendanceEntry.session_id.in_(ended), AttendanceEntry.forgotten_at.is_(None)
    )
    people_left = db.select(Registration.session_id).where(
        Registration.session_id.in_(ended), Registration.anonymised_at.is_(None)
    )
    session_ids = set(db.session.execute(entries_left.union(people_left)).scalars())
    if not session_ids:
        return 0
    sessions = db.session.execute(db.select(Session).where(Session.id.in_(session_ids)))
    for session in sessions.scalars():
        freeze_outcomes(session, now)
    entries = list(
        db.session.execute(
            db.select(AttendanceEntry).where(
                AttendanceEntry.session_id.in_(session_ids), AttendanceEntry.forgotten_at.is_(None)
            )
        ).scalars()
    )
    for entry in entries:
        entry.full_name = None
        entry.email = None
        entry.override_reason = None
        entry.forgotten_at = now
    db.session.execute(
        db.delete(ZoomNameMatch).where(ZoomNameMatch.session_id.in_(session_ids)),
        execution_options={"synchronize_session": False},
    )
    for audit in db.session.execute(
        db.select(AuditEntry).where(
            AuditEntry.session_id.in_(session_ids), AuditEntry.action.in_(ATTENDANCE_ACTIONS)
        )
    ).scalars():
        if any(audit.changes.get(f) for f in PERSONAL_FIELDS):
            audit.changes = {
                k: ([None, None] if k in PERSONAL_FIELDS else v) for k, v in audit.changes.items()
            }
    return len(entries)
