"""What lecturers do with the people registered for their session.

List, export, add, remove and promote by hand, change the capacity, write to everyone.
Access is checked by the caller (domain.access.can_edit); personal data goes nowhere else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, case, func, or_
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

from webinars.domain.registration import notices
from webinars.domain.registration.quota_seats import quota_state
from webinars.domain.registration.register import cancel
from webinars.domain.registration.seats import (
    demote_latest,
    give_seat,
    lock_session,
    seats_taken,
    settle,
)
from webinars.domain.registration.waiting_list import WAITING_ORDER
from webinars.domain.zoom.reports import attendance_summary
from webinars.extensions import db
from webinars.models import (
    AuditEntry,
    Registration,
    RegistrationStatus,
    Session,
    User,
    utcnow,
)

STATUS_ORDER = case(
    (Registration.status == RegistrationStatus.CONFIRMED, 0),
    (Registration.status == RegistrationStatus.HELD, 1),
    (Registration.status == RegistrationStatus.WAITING, 2),
    (Registration.status == RegistrationStatus.CANCELLED, 3),
    else_=4,
)


class SeatRuleError(ValueError):
    """A staff action would break a seat rule; `message` says what to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


REGISTRANTS_ORDER = (
    STATUS_ORDER,
    Registration.waitlisted_at,
    Registration.seat_at,
    Registration.created_at,
    Registration.id,
)


def _ordered(session_id: int) -> Select[tuple[Registration]]:
    return (
        db.select(Registration)
        .where(Registration.session_id == session_id)
        .options(selectinload(Registration.academy))
        .order_by(*REGISTRANTS_ORDER)
    )


def registrants(session_id: int) -> list[Registration]:
    """Everyone who registered: seats first, then the waiting list in order, then the rest."""
    return list(db.session.execute(_ordered(session_id)).scalars())


@dataclass(frozen=True)
class RegistrantFilters:
    """What the registrants list is narrowed to; empty fields narrow nothing."""

    search: str = ""  # part of the name or the email
    status: RegistrationStatus | None = None
    academy_id: int | None = None


def _matching(text: str):
    """Name or email containing `text`: as typed, or in lower case (SQLite lowers ASCII
    only, so "иван" finds "Иван" on PostgreSQL, and "Иван" finds it on both)."""
    conditions = []
    for column in (Registration.full_name, Registration.email):
        conditions.append(column.contains(text, autoescape=True))
        conditions.append(func.lower(column).contains(text.lower(), autoescape=True))
    return or_(*conditions)


def registrants_page(
    session_id: int, filters: RegistrantFilters, page: int, per_page: int
) -> Pagination:
    """One page of the registrants in the list's order, narrowed by `filters`. Reads
    only this session's rows (an index range), and only one page of them in full."""
    query = _ordered(session_id)
    if filters.search.strip():
        query = query.where(_matching(filters.search.strip()))
    if filters.status is not None:
        query = query.where(Registration.status == filters.status)
    if filters.academy_id:
        query = query.where(Registration.academy_id == filters.academy_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def status_counts(session_id: int) -> dict[RegistrationStatus, int]:
    """How many registrations of the session are in each state (one grouped count)."""
    rows = db.session.execute(
        db.select(Registration.status, func.count())
        .where(Registration.session_id == session_id)
        .group_by(Registration.status)
    )
    return {status: count for status, count in rows}


def waiting_positions(session_id: int, registration_ids: list[int]) -> dict[int, int]:
    """The place on the waiting list (1 = next for a seat) of those of these registrations
    that wait: one statement, numbered by the database."""
    if not registration_ids:
        return {}
    place = (
        func.row_number().over(order_by=WAITING_ORDER).label("place")
    )  # the order seats are given in (seats.py)
    waiting = (
        db.select(Registration.id, place)
        .where(
            Registration.session_id == session_id,
            Registration.status == RegistrationStatus.WAITING,
        )
        .subquery()
    )
    rows = db.session.execute(
        db.select(waiting.c.id, waiting.c.place).where(waiting.c.id.in_(registration_ids))
    )
    return {registration_id: place for registration_id, place in rows}


def attendance_by_email(session_id: int) -> dict[str, int]:
    """Minutes in the Zoom meeting per (lower-case) email, from the recorded stays."""
    return {
        attendee.email.lower(): attendee.minutes
        for attendee in attendance_summary(session_id)
        if attendee.email
    }


# The CSV's header row, read in the reader's language (times in UTC, ISO 8601).
CSV_COLUMNS = (
    _l("Status"),
    _l("Place on the waiting list"),
    lazy_pgettext("person", "Name"),
    _l("Email"),
    _l("Academy"),
    _l("Programme"),
    _l("Year of study"),
    _l("Language"),
    _l("Registered at (UTC)"),
    _l("Confirmed at (UTC)"),
    _l("Minutes in Zoom"),
)


@dataclass(frozen=True)
class CsvWords:
    """The CSV's words in the reader's language, read during the request (the rows are
    written after it, when its language is gone): the header row and each status."""

    headings: list[str]
    statuses: Mapping[RegistrationStatus, str]
    locale: str


CSV_BATCH = 500  # rows read, written and sent at a time: memory stays flat


def registrants_csv(
    reading: OrmSession, session_id: int, attended: Mapping[str, int], words: CsvWords
) -> Iterator[str]:
    """The registrants as CSV (UTF-8), one row each, in the order of the page: yielded a
    batch of rows at a time, read as they go (never all at once) through `reading`, a
    database session of the stream's own (the request's is gone while it is sent).
    `attended`: attendance_by_email(session_id); `words`: headings, statuses, locale."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(words.headings)
    position = 0
    rows = reading.execute(_ordered(session_id).execution_options(yield_per=CSV_BATCH))
    for n, r in enumerate(rows.scalars(), start=1):
        position += r.status is RegistrationStatus.WAITING
        writer.writerow(
            [
                words.statuses.get(r.status, r.status.value),
                position if r.status is RegistrationStatus.WAITING else "",
                _cell(r.full_name),
                _cell(r.email),
                _cell(r.academy.name_in(words.locale) if r.academy else r.academy_other),
                _cell(r.programme),
                r.year_of_study or "",
                r.locale,
                r.created_at.isoformat(),
                r.confirmed_at.isoformat() if r.confirmed_at else "",
                attended.get(r.email or "", ""),
            ]
        )
        if n % CSV_BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _cell(value: str | None) -> str:
    """Text for a spreadsheet: a leading =, +, - or @ would be read as a formula."""
    text = value or ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def remove(registration: Registration, actor: User, now: datetime | None = None) -> None:
    """Take someone off the session (seat or waiting list); the next in line moves up."""
    cancel(registration, now, by=actor)


def promote(
    registration: Registration, actor: User, *, add_seat: bool, now: datetime | None = None
) -> None:
    """Give this waiting person a seat now, out of turn.

    With no free seat, `add_seat` must be chosen explicitly: the capacity grows by one.
    """
    now = now or utcnow()
    session = lock_session(registration.session_id)
    assert session is not None
    settle(session, now)
    db.session.refresh(registration)
    if registration.status is not RegistrationStatus.WAITING:
        raise SeatRuleError(_l("This person is not on the waiting list any more."))
    reserved = quota_state(session, None, now).reserved  # kept for academies' quotas
    if session.capacity is not None and seats_taken(session.id, now) + reserved >= session.capacity:
        if not add_seat:
            raise SeatRuleError(
                _l("The session is full. Choose “add a seat” to promote this person anyway.")
            )
        _set_capacity(session, session.capacity + 1, actor, now)
    give_seat(registration, now)
    notices.notify(registration, "seat_for_you", now)


def change_capacity(
    session: Session,
    capacity: int,
    actor: User,
    *,
    demote: bool = False,
    now: datetime | None = None,
) -> int:
    """Raise or lower the number of seats; returns how many people moved.

    Lower than the seats taken only with `demote` chosen: the most recently seated go back
    to the head of the waiting list and are told. Raised: the waiting list moves up.
    """
    now = now or utcnow()
    session = lock_session(session.id)
    assert session is not None
    settle(session, now)
    taken = seats_taken(session.id, now)
    if capacity < taken and not demote:
        raise SeatRuleError(
            _l(
                "%(taken)d seats are taken. Choose to move the last %(extra)d back to the "
                "waiting list, or keep more seats.",
                taken=taken,
                extra=taken - capacity,
            )
        )
    _set_capacity(session, capacity, actor, now)
    moved = 0
    if capacity < taken:
        for registration in demote_latest(session, taken - capacity, now):
            notices.notify(registration, "back_to_waiting", now)
            moved += 1
    else:
        for registration in settle(session, now).promoted:
            notices.notify(registration, "seat_for_you", now)
            moved += 1
    return moved


def _set_capacity(session: Session, capacity: int, actor: User, now: datetime) -> None:
    if session.capacity == capacity:
        return
    session.audit_entries.append(
        AuditEntry(
            user_id=actor.id,
            at=now,
            action="edited",
            changes={"capacity": [session.capacity, capacity]},
        )
    )
    session.capacity = capacity
    session.updated_at = now
    db.session.flush()


def message_everyone(
    session: Session, subject: str, body: str, actor: User, now: datetime | None = None
) -> int:
    """Write to everyone with a seat or on the waiting list; returns how many emails."""
    now = now or utcnow()
    sent = 0
    for registration in registrants(session.id):
        if registration.is_active and notices.notify(
            registration, "message", now, subject=subject.strip(), body=body.strip()
        ):
            sent += 1
    return sent
