"""Seats: the session lock, seat counts, holds that expire, and the waiting list.

Every change to who holds a seat happens under `lock_session`, so capacity is checked and
taken in one serialised step: `SELECT ... FOR UPDATE` on the session's row on PostgreSQL,
`BEGIN IMMEDIATE` on SQLite (one writer at a time for the whole file).

Seats reserved for an academy (SeatQuota) are counted here too, under the same lock.
Before a quota's deadline its unused seats stay out of the general pool: the general
seats free are capacity - seats taken - reserved seats unused. A student of the academy
takes a quota seat first (the registration names the quota), then a general one. Taking
a quota seat moves one seat from "unused reserved" to "taken", so the total never passes
the capacity; from the deadline on the quota counts no more and its unused seats are
general seats again. The quota counts themselves are in quota_seats, beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, func

from webinars.domain.registration.quota_seats import (
    open_quotas,
    quota_room,
    quota_state,
    quota_with_room,
    quotas_open,
    reserved_unused,
)
from webinars.domain.registration.waiting_list import waiting_query
from webinars.extensions import db
from webinars.models import (
    ACTIVE_STATUSES,
    PartnerAcademy,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    Visibility,
)

MIN_HOLD = timedelta(minutes=10)
# Unconfirmed places that can run out: a held seat, a place on the waiting list.
RUN_OUT_STATUSES = (RegistrationStatus.HELD, RegistrationStatus.WAITING)


def ran_out(now: Any) -> tuple[Any, ...]:
    """Conditions on a registration in RUN_OUT_STATUSES whose time has run out: its
    hold_expires_at is past and its address unconfirmed (a confirmed one has no hold)."""
    return (Registration.confirmed_at.is_(None), Registration.hold_expires_at <= now)


def _lock_query(sqlite: bool):
    """The locking SELECT, built once per dialect (building it is Python work under the lock)."""
    query = db.select(Session).where(Session.id == bindparam("session_id"))
    if not sqlite:
        query = query.with_for_update()
    return query.execution_options(populate_existing=True)


_LOCK_QUERIES = {True: _lock_query(True), False: _lock_query(False)}


def _begin_immediate_on_sqlite() -> bool:
    """On SQLite, start the transaction with BEGIN IMMEDIATE (the write lock) unless it has
    already written; True on SQLite."""
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        return False
    raw = conn.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    return True


@dataclass(frozen=True)
class SeatWindow:
    """What taking a seat needs to know of a session, read with its row locked."""

    id: int
    status: SessionStatus
    visibility: Visibility
    starts_at: datetime
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    capacity: int | None
    sequence: int
    quotas_until: datetime | None


def _window_query(sqlite: bool):
    query = db.select(*(getattr(Session, name) for name in SeatWindow.__dataclass_fields__)).where(
        Session.id == bindparam("session_id")
    )
    return query if sqlite else query.with_for_update()


_WINDOW_QUERIES = {True: _window_query(True), False: _window_query(False)}


def lock_window(session_id: int) -> SeatWindow | None:
    """lock_session for a registration: the same lock, but only the columns it needs and
    no ORM object (loading a whole Session was the costliest step of a sign-up)."""
    sqlite = _begin_immediate_on_sqlite()
    row = (
        db.session.connection()
        .execute(_WINDOW_QUERIES[sqlite], {"session_id": session_id})
        .one_or_none()
    )
    return None if row is None else SeatWindow(*row)


def lock_session(session_id: int) -> Session | None:
    """Lock a session's row for the rest of the transaction and return it, fresh.

    Call it first in a transaction that changes seats. On SQLite the transaction is started
    with BEGIN IMMEDIATE unless it has already written (then it holds the write lock).
    """
    sqlite = _begin_immediate_on_sqlite()
    return db.session.execute(
        _LOCK_QUERIES[sqlite], {"session_id": session_id}
    ).scalar_one_or_none()


@dataclass
class SeatChanges:
    """Who moved in one locked step: seats given from the waiting list, holds expired."""

    promoted: list[Registration] = field(default_factory=list)
    expired: int = 0


def hold_until(session: Session | SeatWindow, now: datetime) -> datetime:
    """When an unconfirmed hold made now expires: the configured hours, shorter near the start.

    Half the time left before the start, at least ten minutes, at most the configured hours.
    """
    hours = current_app.config["REGISTRATION_HOLD_HOURS"]
    left = session.starts_at - now
    hold = min(timedelta(hours=hours), max(left / 2, MIN_HOLD))
    return now + hold


def _seat_subqueries(session_id: Any, now: Any) -> tuple[Any, Any]:
    """Confirmed seats, and holds not yet run out, as two scalar subqueries.

    Each is one exact range of the (session, status, hold_expires_at) index: a single count
    with an OR read every seat row of the session, and more once statistics went stale.
    """
    confirmed = _count(session_id, RegistrationStatus.CONFIRMED)
    held = _count(session_id, RegistrationStatus.HELD, Registration.hold_expires_at > now)
    return confirmed, held


def active_registrations(session_id: int) -> int:
    """Registrations that still hold or wait for a seat (held, confirmed, waiting)."""
    return db.session.execute(
        db.select(func.count())
        .select_from(Registration)
        .where(
            Registration.session_id == session_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    ).scalar_one()


def seats_taken(session_id: int, now: datetime) -> int:
    """Seats taken right now: confirmed, plus holds that have not expired (exact under lock)."""
    confirmed, held = db.session.execute(db.select(*_seat_subqueries(session_id, now))).one()
    return confirmed + held


@dataclass(frozen=True)
class Snapshot:
    """Under lock, in one query: seats taken, holds run out, and this email's row if any."""

    seats: int
    overdue: int
    existing_id: int | None
    academy_id: int | None  # the asked-for academy, if it exists and is not archived
    reserved: int = 0  # seats kept for academies' quotas and not taken yet
    quota_id: int | None = None  # the asked-for academy's open quota, while it has room


def _count(session_id: Any, status: RegistrationStatus, *conditions: Any) -> Any:
    """Rows of one session in one status (and more conditions) as a scalar subquery."""
    return (
        db.select(func.count())
        .where(Registration.session_id == session_id, Registration.status == status, *conditions)
        .scalar_subquery()
    )


def _snapshot_query(quotas: bool):
    """The snapshot's SELECT, built once: constructing it per call cost about a millisecond
    of Python while the seats were locked. Parameters: session_id, email, now, academy_id.
    Without `quotas`, the quota counts are left out (0 reserved, no quota)."""
    session_id = bindparam("session_id")
    now = bindparam("now", type_=Registration.hold_expires_at.type)
    confirmed, held = _seat_subqueries(session_id, now)
    # Run out, one count per status (each an exact index range). Expired rows keep their
    # hold_expires_at, but another status: never read.
    late_held, late_waiting = (
        _count(session_id, status, *ran_out(now)) for status in RUN_OUT_STATUSES
    )
    existing = (
        db.select(Registration.id)
        .where(Registration.session_id == session_id, Registration.email == bindparam("email"))
        .scalar_subquery()
    )
    academy = (
        db.select(PartnerAcademy.id)
        .where(PartnerAcademy.id == bindparam("academy_id"), PartnerAcademy.archived_at.is_(None))
        .scalar_subquery()
    )
    columns = [confirmed, held, late_held, late_waiting, existing, academy]
    if quotas:
        columns.append(reserved_unused(session_id, now))
        columns.append(quota_with_room(session_id, bindparam("academy_id"), now))
    return db.select(*columns)


_SNAPSHOT_QUERIES = {True: _snapshot_query(True), False: _snapshot_query(False)}


def snapshot(
    window: SeatWindow, email: str, now: datetime, academy_id: int | None = None
) -> Snapshot:
    """One round trip while the seats are locked (the storm's narrow door).

    Each count is an exact range of the (session, status, hold_expires_at) index, so none
    reads the waiting list, cancelled or expired rows; then this email by (session, email)
    and the chosen academy by its key (so the form needs no query of its own to check it).
    The quota counts only while a quota of the session is open.
    """
    # A Core statement on the session's connection: the ORM layer adds nothing here.
    params = {"session_id": window.id, "email": email, "now": now, "academy_id": academy_id}
    query = _SNAPSHOT_QUERIES[quotas_open(window, now)]
    row = db.session.connection().execute(query, params).one()
    confirmed, held, late_held, late_waiting, existing_id, academy = row[:6]
    reserved, quota_id = row[6:] if len(row) > 6 else (0, None)
    return Snapshot(
        confirmed + held,
        late_held + late_waiting,
        existing_id,
        academy,
        int(reserved or 0),
        quota_id if academy is not None else None,
    )


def seat_counts(session_ids: list[int], now: datetime) -> dict[int, int]:
    """Seats taken per session for a list page, in one query."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        db.select(Registration.session_id, func.count(Registration.id))
        .where(
            Registration.session_id.in_(session_ids),
            (Registration.status == RegistrationStatus.CONFIRMED)
            | (
                (Registration.status == RegistrationStatus.HELD)
                & (Registration.hold_expires_at > now)
            ),
        )
        .group_by(Registration.session_id)
    ).all()
    return {session_id: count for session_id, count in rows}


def seats_left(sessions: list[Session], now: datetime) -> dict[int, int]:
    """Free general seats per session with a capacity (what anyone may still take: the
    seats kept for academies' quotas left out), for the public pages. The seats taken in
    one query; the reserved ones only for a session with an open quota, which few have."""
    taken = seat_counts([s.id for s in sessions], now)
    return {
        s.id: max(0, s.capacity - taken.get(s.id, 0) - quota_state(s, None, now).reserved)
        for s in sessions
        if s.capacity is not None
    }


def expire_overdue(session: Session, now: datetime) -> int:
    """Under lock: end unconfirmed holds and waiting places whose time ran out (one UPDATE).

    Returns how many ended; nobody is written to about it (they never confirmed).
    """
    result = db.session.execute(
        db.update(Registration)
        .where(
            Registration.session_id == session.id,
            Registration.status.in_(RUN_OUT_STATUSES),
            *ran_out(now),
        )
        .values(status=RegistrationStatus.EXPIRED, cancelled_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def give_seat(registration: Registration, now: datetime, quota_id: int | None = None) -> None:
    """Move one registration into a seat (one of `quota_id`'s, or a general one):
    confirmed if its address is, else held."""
    registration.quota_id = quota_id
    if registration.confirmed_at is not None:
        registration.status = RegistrationStatus.CONFIRMED
    else:
        registration.status = RegistrationStatus.HELD
        if registration.hold_expires_at is None or registration.hold_expires_at <= now:
            registration.hold_expires_at = hold_until(registration.session, now)
    registration.seat_at = now


def promote_from_waitlist(session: Session, now: datetime) -> list[Registration]:
    """Under lock: give free seats to the first people on the waiting list, in order.

    A quota's free seats go first to the people of its academy who wait (in their order);
    then the general seats free go to whoever waits first.
    """
    promoted: list[Registration] = []
    for quota in open_quotas(session, now):
        room = quota_room(quota, now)
        if session.capacity is not None:  # never past the capacity (lowered since?)
            room = min(room, session.capacity - seats_taken(session.id, now))
        if room <= 0:
            continue
        query = waiting_query(session.id).where(Registration.academy_id == quota.academy_id)
        for registration in db.session.execute(query.limit(room)).scalars():
            give_seat(registration, now, quota.id)
            promoted.append(registration)
    db.session.flush()
    query = waiting_query(session.id)
    if session.capacity is not None:
        reserved = quota_state(session, None, now).reserved
        free = session.capacity - seats_taken(session.id, now) - reserved
        if free <= 0:
            return promoted
        query = query.limit(free)
    waiting = list(db.session.execute(query).scalars())
    for registration in waiting:
        give_seat(registration, now)
    db.session.flush()
    return promoted + waiting


def settle(session: Session, now: datetime) -> SeatChanges:
    """Under lock: expire what ran out, then fill free seats from the waiting list."""
    changes = SeatChanges(expired=expire_overdue(session, now))
    if session.status is SessionStatus.SCHEDULED and now < session.starts_at:
        changes.promoted = promote_from_waitlist(session, now)
    return changes


def sessions_with_overdue_holds(now: datetime) -> list[int]:
    """Ids of sessions where some unconfirmed hold or waiting place has run out."""
    return list(
        db.session.execute(
            db.select(Registration.session_id)
            .where(Registration.status.in_(RUN_OUT_STATUSES), *ran_out(now))
            .distinct()
        ).scalars()
    )


def demote_latest(session: Session, count: int, now: datetime) -> list[Registration]:
    """Under lock: move the `count` most recently seated people to the head of the list.

    They keep their place in line by their registration time, ahead of later registrants.
    """
    latest = list(
        db.session.execute(
            db.select(Registration)
            .where(
                Registration.session_id == session.id,
                Registration.status.in_([RegistrationStatus.HELD, RegistrationStatus.CONFIRMED]),
            )
            .order_by(Registration.seat_at.desc(), Registration.id.desc())
            .limit(count)
        ).scalars()
    )
    for registration in latest:
        registration.status = RegistrationStatus.WAITING
        registration.waitlisted_at = registration.created_at
        registration.seat_at = None
        registration.quota_id = None
    return latest
