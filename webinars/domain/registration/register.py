"""Student registration: hold a seat or a waiting-list place, or give it up (cancel).

Confirming the address is in confirmation.py; what the worker does after a change made
elsewhere (settling seats, telling registrants of a changed session) in follow_up.py.

Business operations are named functions over models; the caller commits. Every one that
changes seats runs under seats.lock_session, so the capacity check and the seat are taken
in one serialised step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from webinars.domain.mail.outbox import message_values
from webinars.domain.registration import notices
from webinars.domain.registration.manage_links import new_link_values, new_manage_link
from webinars.domain.registration.quota_seats import quota_state
from webinars.domain.registration.rows import insert_fresh, place_values, session_values
from webinars.domain.registration.seats import (
    SeatWindow,
    expire_overdue,
    lock_session,
    lock_window,
    promote_from_waitlist,
    seats_taken,
    settle,
    snapshot,
)
from webinars.domain.registration.waiting_list import waiting_position
from webinars.domain.sessions.access import is_public
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Session, SessionStatus, User, utcnow


class Closed(enum.StrEnum):
    """Why a session takes no registrations now."""

    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    STARTED = "started"


class UnknownAcademyError(ValueError):
    """The chosen partner academy does not exist or is archived."""


class QuotaFullError(Exception):
    """A nomination found no seat left in the academy's quota (or no open quota)."""


class RegistrationClosedError(Exception):
    """The session takes no registrations now; `reason` says why."""

    def __init__(self, reason: Closed) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass
class RegistrationInput:
    """What a student typed in the registration form (already validated by the form)."""

    full_name: str
    email: str
    locale: str
    academy_id: int | None = None
    academy_other: str | None = None
    programme: str | None = None
    year_of_study: int | None = None
    consent: bool = True


class RegistrationOutcome:
    """What happened: which registration, and whether it already existed (a repeat).

    A fresh registration is written without an ORM object (see register); `registration`
    loads it only when a caller asks, which the public form never does.
    """

    def __init__(self, registration: Registration | int, *, repeat: bool) -> None:
        self._row = registration if isinstance(registration, Registration) else None
        self.registration_id = registration if isinstance(registration, int) else registration.id
        self.repeat = repeat

    @property
    def registration(self) -> Registration:
        if self._row is None:
            self._row = db.session.get(Registration, self.registration_id)
            assert self._row is not None
        return self._row


def normalise_email(email: str) -> str:
    """The form in which emails are stored and compared: trimmed and lower-case."""
    return email.strip().lower()


def closed_reason(session: Session | SeatWindow | None, now: datetime) -> Closed | None:
    """None when the session takes registrations now, else why not."""
    if session is None or session.status is SessionStatus.DRAFT:
        return Closed.UNKNOWN
    if session.status is SessionStatus.CANCELLED:
        return Closed.CANCELLED
    if now >= session.starts_at:
        return Closed.STARTED
    if session.registration_opens_at and now < session.registration_opens_at:
        return Closed.NOT_OPEN_YET
    if session.registration_closes_at and now >= session.registration_closes_at:
        return Closed.CLOSED
    return None


# --- operations ------------------------------------------------------------------------


def register(
    session_id: int,
    data: RegistrationInput,
    now: datetime | None = None,
    *,
    added_by: User | None = None,
    public: bool = False,
    nominated: bool = False,
) -> RegistrationOutcome:
    """Hold a seat (or a waiting-list place) for this email and send the confirm message.

    The same email twice for the same session gives no second place: the person is sent
    their manage link again. A lecturer adding someone (`added_by`) vouches for the
    address, so the place is confirmed at once. `public`: the public form, which may only
    register for public sessions. Raises RegistrationClosedError, and UnknownAcademyError
    when the chosen academy is unknown or archived (checked here, in the locked read).

    A student of an academy with an open quota takes one of its seats first. `nominated`:
    the academy's coordinator put the student forward; only a quota seat will do (else
    QuotaFullError), the email says who nominated them, and the address still needs its
    confirmation.
    """
    now = now or utcnow()
    # Everything that needs no lock is done before taking it: the new row's personal
    # fields and its manage link (hashing), so the seats stay locked for less time.
    email = normalise_email(data.email)
    person = {**_person_values(data, now, added_by), **new_link_values()}
    staff = added_by is not None or nominated
    window = _lock_open_window(session_id, now, staff=staff, public=public)
    # Few round trips while the seats are locked: this is the storm's narrow door.
    seen = snapshot(window, email, now, data.academy_id)
    if data.academy_id and seen.academy_id is None:
        raise UnknownAcademyError(data.academy_id)
    promoted: list[Registration] = []
    seats, reserved, quota_id = seen.seats, seen.reserved, seen.quota_id
    if seen.overdue:  # rare: the whole session object is needed (and already locked)
        session = db.session.get(Session, window.id, populate_existing=True)
        assert session is not None
        expire_overdue(session, now)
        promoted = promote_from_waitlist(session, now)
        seats = seats_taken(session.id, now)
        state = quota_state(session, seen.academy_id, now)
        reserved, quota_id = state.reserved, state.quota_id
    # A quota seat, but never past the capacity (it may have been lowered since).
    if window.capacity is not None and seats >= window.capacity:
        quota_id = None
    if nominated and quota_id is None:
        raise QuotaFullError(data.academy_id)
    has_seat = quota_id is not None or window.capacity is None or seats + reserved < window.capacity
    values = {
        **person,
        **session_values(window, now, confirmed=added_by is not None),
        **place_values(has_seat, added_by is not None, now),
        "quota_id": quota_id if has_seat else None,
    }
    kind = "nominated" if nominated else "confirm_address"
    if added_by is not None:
        kind = "confirmed" if has_seat else "waiting_confirmed"
    if seen.existing_id is None:  # the common case: a new row, written without the ORM
        registration_id = insert_fresh(
            {"session_id": window.id, "email": email, **values},
            message_values(kind=kind, to=email, session_id=window.id, now=now),
        )
        notices.tell_promoted(promoted, now)
        return RegistrationOutcome(registration_id, repeat=False)
    existing = db.session.get(Registration, seen.existing_id)
    assert existing is not None
    if existing.is_active:
        if existing.token_nonce is None:
            new_manage_link(existing)
        notices.notify(existing, "link_again", now)
        notices.tell_promoted(promoted, now)
        return RegistrationOutcome(existing, repeat=True)
    # A cancelled or expired row is reused (one row per email and session).
    for key, value in values.items():
        setattr(existing, key, value)
    notices.notify(existing, kind, now)
    notices.tell_promoted(promoted, now)
    return RegistrationOutcome(existing, repeat=False)


def _lock_open_window(session_id: int, now: datetime, *, staff: bool, public: bool) -> SeatWindow:
    """Lock the session's seats and check it takes registrations now (else raise
    RegistrationClosedError). Lecturers may add people outside the public window, never to
    a past or cancelled session; the public form only to public sessions."""
    window = lock_window(session_id)
    reason = closed_reason(window, now)
    if public and window is not None and not is_public(window):
        reason = Closed.UNKNOWN
    if reason is not None and not (staff and reason in (Closed.NOT_OPEN_YET, Closed.CLOSED)):
        raise RegistrationClosedError(reason)
    assert window is not None
    return window


def _person_values(data: RegistrationInput, now: datetime, added_by: User | None) -> dict:
    """A registration (re)started from the form: who, and when; needs no lock."""
    return {
        "full_name": data.full_name.strip(),
        "academy_id": data.academy_id or None,
        "academy_other": (data.academy_other or "").strip() or None,
        "programme": (data.programme or "").strip() or None,
        "year_of_study": data.year_of_study,
        "locale": data.locale,
        "created_at": now,
        "consent_at": now if data.consent else None,
        "added_by_id": added_by.id if added_by else None,
        "confirmed_at": now if added_by else None,
        "cancelled_at": None,
        "cancelled_by_id": None,
    }


def cancel(
    registration: Registration, now: datetime | None = None, *, by: User | None = None
) -> Registration:
    """Give up a place (the student, or a lecturer removing them); the seat moves on."""
    now = now or utcnow()
    session = lock_session(registration.session_id)
    assert session is not None
    db.session.refresh(registration)
    if registration.is_active:
        had_invitation = registration.status is RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancelled_by_id = by.id if by else None
        registration.hold_expires_at = None
        notices.notify(
            registration,
            "removed" if by else "registration_cancelled",
            now,
            with_cancel_invitation=had_invitation,
        )
        notices.drop_reminders(registration)
    changes = settle(session, now)
    notices.tell_promoted(changes.promoted, now)
    return registration


def position(registration: Registration) -> int | None:
    """The registration's place on the waiting list (1 = next), or None."""
    return waiting_position(registration)
