"""Confirming an address: a held seat or waiting place becomes a confirmed one.

A click after the hold ran out still proves the address: the row starts again as a new
registration at the back of the queue, while the session still takes registrations.
Runs under seats.lock_session; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from webinars.domain.registration import notices
from webinars.domain.registration.quota_seats import quota_state
from webinars.domain.registration.register import Closed, closed_reason
from webinars.domain.registration.rows import place_values, session_values
from webinars.domain.registration.seats import lock_session, seats_taken, settle
from webinars.domain.sessions.access import is_public
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Session, utcnow


def _settled_kind(registration: Registration) -> str:
    return "confirmed" if registration.has_seat else "waiting_confirmed"


def confirm(registration: Registration, now: datetime | None = None) -> Registration:
    """The person clicked the link in their email: their hold becomes a confirmed place.

    Idempotent. A click after the hold ran out still proves the address, so it counts as
    a new registration with a confirmed address (see _confirm_late); when the session no
    longer takes registrations the row stays expired (see late_closed_reason).
    """
    now = now or utcnow()
    session = lock_session(registration.session_id)
    assert session is not None
    changes = settle(session, now)
    db.session.refresh(registration)
    if registration.confirmed_at is None and registration.is_active:
        registration.confirmed_at = now
        registration.hold_expires_at = None
        if registration.status is RegistrationStatus.HELD:
            registration.status = RegistrationStatus.CONFIRMED
        notices.notify(registration, _settled_kind(registration), now)
    elif registration.confirmed_at is None and registration.status is RegistrationStatus.EXPIRED:
        _confirm_late(registration, session, now)
    notices.tell_promoted(changes.promoted, now)
    return registration


def ran_out(registration: Registration, now: datetime) -> bool:
    """True when an unconfirmed hold or waiting place has run out (marked expired or not)."""
    if registration.confirmed_at is not None:
        return False
    if registration.status is RegistrationStatus.EXPIRED:
        return True
    expires = registration.hold_expires_at
    return registration.is_active and expires is not None and expires <= now


def late_closed_reason(session: Session, now: datetime) -> Closed | None:
    """Why a click after the hold ran out can give no place now, or None when it can.

    The same as for a new registration on the public form: every row that can run out
    came from it (staff-added places are confirmed at once).
    """
    reason = closed_reason(session, now)
    if reason is None and not is_public(session):
        return Closed.UNKNOWN
    return reason


def _confirm_late(registration: Registration, session: Session, now: datetime) -> None:
    """Under lock: the expired row starts again as a new registration whose address is
    confirmed, at the back of the queue. The people waiting kept their places in line and
    go first (settle has just given them the seats that were free); a seat is the late
    clicker's only when one is still free and nobody waits. Nothing when the session no
    longer takes registrations."""
    if late_closed_reason(session, now) is not None:
        return
    values = {
        "confirmed_at": now,
        # Their place in line from now on (demote_latest queues demoted seats by it).
        "created_at": now,
        "cancelled_at": None,
        "cancelled_by_id": None,
        **session_values(session, now, confirmed=True),
    }
    has_seat, values["quota_id"] = _place_for_newcomer(session, registration.academy_id, now)
    values.update(place_values(has_seat, True, now))
    for key, value in values.items():
        setattr(registration, key, value)
    notices.notify(registration, _settled_kind(registration), now)


def _place_for_newcomer(
    session: Session, academy_id: int | None, now: datetime
) -> tuple[bool, int | None]:
    """Under lock: (a seat?, the quota it comes from). The academy's quota seat if one is
    left; else a general seat when one is free and nobody is waiting for it."""
    if session.capacity is None:
        return True, None
    state = quota_state(session, academy_id, now)
    taken = seats_taken(session.id, now)
    if state.quota_id is not None and taken < session.capacity:
        return True, state.quota_id
    if taken + state.reserved >= session.capacity:
        return False, None
    someone_waits = db.session.execute(
        db.select(Registration.id)
        .where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.WAITING,
        )
        .limit(1)
    ).first()
    return someone_waits is None, None
