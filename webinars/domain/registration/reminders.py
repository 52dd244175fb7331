"""Reminders 24 hours and 1 hour before a session, planned from the database by the clock.

A periodic job calls `queue_due_reminders(now)`. Each reminder has a key made of its kind,
the registration and the session's start, so it is queued once; when the session moves
the key changes, which re-plans it. A reminder is only sent inside its window (the 24-hour
one until an hour before the start, the 1-hour one until the start), only to confirmed
seats that existed before its moment, and never for a cancelled session.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webinars.domain.registration import notices
from webinars.extensions import db
from webinars.models import (
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)

# (kind, how long before the start, until when before the start it still makes sense)
REMINDERS = (
    ("reminder_24h", timedelta(hours=24), timedelta(hours=1)),
    ("reminder_1h", timedelta(hours=1), timedelta(0)),
)


def due_kind(registration: Registration, session: Session, now: datetime) -> str | None:
    """Which reminder is due for this registration now, if any (ignoring what was sent)."""
    for kind, before, until in REMINDERS:
        moment = session.starts_at - before
        if moment <= now < session.starts_at - until and registration.created_at <= moment:
            return kind
    return None


def queue_due_reminders(now: datetime) -> int:
    """Queue every reminder whose moment has come and that is not queued yet; the caller
    commits. Returns how many were queued."""
    sessions = db.session.execute(
        select(Session).where(
            Session.status == SessionStatus.SCHEDULED,
            Session.starts_at > now,
            Session.starts_at <= now + REMINDERS[0][1],
        )
    ).scalars()
    queued = 0
    for session in sessions:
        registrations = db.session.execute(
            select(Registration)
            .where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
            .options(selectinload(Registration.session))
        ).scalars()
        wanted: dict[str, tuple[Registration, str]] = {}
        for registration in registrations:
            kind = due_kind(registration, session, now)
            if kind:
                key = notices.reminder_key(kind, registration, session.starts_at)
                wanted[key] = (registration, kind)
        if not wanted:
            continue
        known = set(
            db.session.execute(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(wanted))
            ).scalars()
        )
        for key, (registration, kind) in wanted.items():
            if key not in known and notices.notify(registration, kind, now, dedupe_key=key):
                queued += 1
    return queued
