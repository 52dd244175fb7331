"""What follows, in the worker, from a change made elsewhere: a session's seats settled
(holds that ran out, seats freed by a quota's deadline), and its registrants told of a
change to their session. Runs under seats.lock_session; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from webinars.domain.registration import notices
from webinars.domain.registration.seats import lock_session, settle
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, utcnow


def settle_session(session_id: int, now: datetime | None = None) -> int:
    """Expire what ran out and fill free seats for one session; tells the promoted."""
    now = now or utcnow()
    session = lock_session(session_id)
    if session is None:
        return 0
    changes = settle(session, now)
    notices.tell_promoted(changes.promoted, now)
    return len(changes.promoted) + changes.expired


def announce_session_change(session_id: int, now: datetime | None = None) -> int:
    """Tell registrants about a committed change to their session, once per version.

    Moved: the new time and an updated invitation (higher SEQUENCE); cancelled: a
    METHOD:CANCEL; other visible changes: the current details. Unsent reminders for an
    old start are dropped (the planner makes new ones). Capacity raised: seats move on.
    """
    now = now or utcnow()
    session = lock_session(session_id)
    if session is None:
        return 0
    told = 0
    for registration in db.session.execute(
        db.select(Registration).where(
            Registration.session_id == session.id,
            Registration.status.in_(
                [RegistrationStatus.HELD, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
            ),
        )
    ).scalars():
        if (registration.notified_sequence or 0) >= session.sequence:
            continue
        if session.is_cancelled:
            kind = "session_cancelled"
        elif registration.notified_starts_at != session.starts_at:
            kind = "session_moved"
        else:
            kind = "session_updated"
        notices.notify(registration, kind, now)
        registration.notified_sequence = session.sequence
        registration.notified_starts_at = session.starts_at
        told += 1
    notices.drop_stale_reminders(session)
    if not session.is_cancelled:
        notices.tell_promoted(settle(session, now).promoted, now)
    return told
