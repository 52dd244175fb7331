"""Forgetting students: personal data goes a set number of days after the session.

What stays is anonymous: status, partner academy, language and dates, so reports can
still count who registered, confirmed or waited; of Zoom attendance, the minutes of each
(now nameless) participant; of the attendance list, each person's outcome and minutes.
Certificates stay whole (they are their holders' record), without the address they were
mailed to.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from webinars.domain.attendance.retention import forget_attendance_details
from webinars.domain.calendars.tokens import forget_personal_tokens
from webinars.domain.certificates.issue import forget_addresses
from webinars.domain.zoom.reports import forget_attendance
from webinars.extensions import db
from webinars.models import OutboxMessage, Registration, Session


def anonymise_after(now: datetime, days: int) -> int:
    """Empty the personal columns of registrations for sessions that ended `days` ago,
    delete their emails from the outbox and the personal feed addresses of people no other
    registration names, and the names and emails in the sessions' Zoom attendance.
    Returns how many registrations were emptied. The caller commits."""
    cutoff = now - timedelta(days=days)
    # First the attendance details: their outcome is frozen while names still match.
    forget_attendance_details(cutoff, now)
    forget_attendance(cutoff)
    ended = db.select(Session.id).where(Session.ends_at <= cutoff)
    forget_addresses(ended)  # certificates stay: they are their holders' record
    ids = list(
        db.session.execute(
            db.select(Registration.id).where(
                Registration.session_id.in_(ended), Registration.anonymised_at.is_(None)
            )
        ).scalars()
    )
    if not ids:
        return 0
    db.session.execute(
        db.delete(OutboxMessage).where(OutboxMessage.registration_id.in_(ids)),
        execution_options={"synchronize_session": False},
    )
    emails = set(
        db.session.execute(db.select(Registration.email).where(Registration.id.in_(ids))).scalars()
    )
    db.session.execute(
        db.update(Registration)
        .where(Registration.id.in_(ids))
        .values(
            email=None,
            full_name=None,
            academy_other=None,
            programme=None,
            year_of_study=None,
            token_hash=None,
            token_nonce=None,
            anonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    _forget_personal_feeds(emails - {None})
    return len(ids)


def _forget_personal_feeds(emails: set[str]) -> None:
    """Personal feed addresses of people with no registration left that names them."""
    still_known = set(
        db.session.execute(
            db.select(Registration.email).where(Registration.email.in_(emails))
        ).scalars()
    )
    forget_personal_tokens(emails - still_known)
