"""How a registration's row is written: the column values shared by the ORM path and
the Core path, and the Core insert of a new row with its first email (the storm's path).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select

from webinars.domain.registration.seats import SeatWindow, hold_until
from webinars.extensions import db
from webinars.models import OutboxMessage, Registration, RegistrationStatus, Session


@functools.cache
def _insert_pair(registration_keys: tuple[str, ...], message_keys: tuple[str, ...]) -> Any:
    """PostgreSQL: one statement inserting a registration and its first email (a data-
    modifying WITH; the email's row takes the registration's new id), built once per
    shape with bound parameters, so it is compiled once too."""
    registrations = Registration.__table__
    outbox = OutboxMessage.__table__
    new = (
        insert(registrations)
        .values(
            {
                key: bindparam(f"r_{key}", type_=registrations.c[key].type)
                for key in registration_keys
            }
        )
        .returning(registrations.c.id)
        .cte("new_registration")
    )
    return (
        insert(outbox)
        .from_select(
            [*message_keys, "registration_id"],
            select(
                *(bindparam(f"m_{key}", type_=outbox.c[key].type) for key in message_keys),
                new.c.id,
            ),
        )
        .returning(outbox.c.registration_id)
    )


def insert_fresh(registration: dict[str, Any], message: dict[str, Any]) -> int:
    """Insert a new registration and its first email, under the lock; returns the new id.

    Core statements from the same values the ORM would write: building, adding and
    flushing two ORM objects was a large part of a sign-up's work while the seats were
    locked. PostgreSQL takes both rows in one round trip; SQLite (in-process) in two.
    """
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        statement = _insert_pair(tuple(registration), tuple(message))
        params = {f"r_{key}": value for key, value in registration.items()}
        params.update({f"m_{key}": value for key, value in message.items()})
        return conn.execute(statement, params).scalar_one()
    registrations = Registration.__table__
    new_id = conn.execute(
        insert(registrations).values(registration).returning(registrations.c.id)
    ).scalar_one()
    conn.execute(insert(OutboxMessage.__table__).values(registration_id=new_id, **message))
    return new_id


def session_values(session: SeatWindow | Session, now: datetime, *, confirmed: bool) -> dict:
    """What depends on the locked session's current state: the hold, what was announced.
    A confirmed address (a lecturer's addition, a late click on the link) has no hold."""
    return {
        "hold_expires_at": None if confirmed else hold_until(session, now),
        "notified_sequence": session.sequence,
        "notified_starts_at": session.starts_at,
    }


def place_values(has_seat: bool, confirmed: bool, now: datetime) -> dict:
    """A seat (held until the address is confirmed, as seats.give_seat gives one), or the
    waiting list."""
    if has_seat:
        status = RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.HELD
        return {"status": status, "seat_at": now, "waitlisted_at": None}
    return {"status": RegistrationStatus.WAITING, "seat_at": None, "waitlisted_at": now}
