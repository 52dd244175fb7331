"""The waiting list: its order (first come, first served; demoted seats go first) and places."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, tuple_

from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus

WAITING_ORDER = (Registration.waitlisted_at, Registration.id)


def waiting_query(session_id: int) -> Any:
    """The waiting list's rows in order (a SELECT to run or narrow)."""
    return (
        db.select(Registration)
        .where(
            Registration.session_id == session_id,
            Registration.status == RegistrationStatus.WAITING,
        )
        .order_by(*WAITING_ORDER)
    )


def waiting_list(session_id: int) -> list[Registration]:
    """The waiting list in order: first come, first served (demoted seats go first)."""
    return list(db.session.execute(waiting_query(session_id)).scalars())


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status is not RegistrationStatus.WAITING:
        return None
    ahead = db.session.execute(
        db.select(func.count(Registration.id)).where(
            Registration.session_id == registration.session_id,
            Registration.status == RegistrationStatus.WAITING,
            # Ahead in WAITING_ORDER (the values bound with the columns' types).
            tuple_(*WAITING_ORDER) < (registration.waitlisted_at, registration.id),
        )
    ).scalar_one()
    return ahead + 1
