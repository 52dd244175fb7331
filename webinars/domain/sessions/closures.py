"""One-off closures of an academy or the home department: add, list, remove."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import selectinload

from webinars.extensions import db
from webinars.models import Closure, User


def add_closure(
    academy_id: int | None, starts_on: date, ends_on: date, note: str, actor: User | None
) -> Closure:
    """Close an academy (None: the home department) from `starts_on` to `ends_on`."""
    if ends_on < starts_on:
        raise ValueError("a closure ends on or after its first day")
    closure = Closure(
        academy_id=academy_id,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(closure)
    return closure


def closures_from(first: date) -> list[Closure]:
    """Closures that end on or after `first`, soonest first, with their academies."""
    return list(
        db.session.execute(
            db.select(Closure)
            .where(Closure.ends_on >= first)
            .options(selectinload(Closure.academy))
            .order_by(Closure.starts_on, Closure.id)
        ).scalars()
    )


def remove_closure(closure: Closure) -> None:
    """Take a closure back (the days are working days again)."""
    db.session.delete(closure)
