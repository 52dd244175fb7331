"""Narrowing a list of sessions: by kind, language, academy, lecturer, days, status, words
in the title, and "mine".

The catalogue, the staff schedule and the calendar feeds narrow their lists with these,
so "the sessions of an academy" or "of a day" means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_

from webinars.domain.sessions.rules import LONGEST_SESSION
from webinars.domain.sessions.timezones import day_end_utc, day_start_utc
from webinars.extensions import db
from webinars.models import (
    Session,
    SessionStatus,
    session_academies,
    session_lecturers,
    utcnow,
)


def ending_after(moment: datetime) -> ColumnElement[bool]:
    """Sessions still running or to come at `moment`, as a bounded range of the time
    index: such a session started at most LONGEST_SESSION before it (without that bound
    the database walks every session of the past years to find them)."""
    return and_(Session.ends_at > moment, Session.starts_at > moment - LONGEST_SESSION)


def with_academy(academy_id: int) -> ColumnElement[bool]:
    """Sessions the academy takes part in."""
    return Session.id.in_(
        db.select(session_academies.c.session_id).where(
            session_academies.c.academy_id == academy_id
        )
    )


def taught_by(user_id: int) -> ColumnElement[bool]:
    """Sessions the user is a lecturer of."""
    return Session.id.in_(
        db.select(session_lecturers.c.session_id).where(session_lecturers.c.user_id == user_id)
    )


@dataclass(frozen=True)
class SessionFilters:
    """What a list is narrowed to; an empty field narrows nothing. Days are read in the
    viewer's zone: ``first_day`` from its start, ``last_day`` to its end."""

    kind: str | None = None
    language: str | None = None
    academy_id: int | None = None
    lecturer_id: int | None = None
    first_day: date | None = None
    last_day: date | None = None
    # draft, scheduled (still to end), finished (scheduled and over) or cancelled
    status: str | None = None
    title_words: str | None = None
    # "my sessions": those this person teaches or made
    mine_of: int | None = None


STATUSES = ("draft", "scheduled", "finished", "cancelled")


def _status(status: str, now: datetime) -> ColumnElement[bool]:
    """A session's status as the pages show it (a scheduled session that ended: finished)."""
    if status == "finished":
        return (Session.status == SessionStatus.SCHEDULED) & (Session.ends_at <= now)
    if status == "scheduled":
        return (Session.status == SessionStatus.SCHEDULED) & (Session.ends_at > now)
    return Session.status == SessionStatus(status)


def _title_has(word: str) -> ColumnElement[bool]:
    """The title holds the word, whatever its case. SQLite folds only ASCII case, so the
    word is also tried as typed, in lower case and capitalised (Cyrillic titles)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    forms = {escaped, escaped.lower(), escaped.capitalize(), escaped.upper()}
    return or_(*(Session.title.ilike(f"%{f}%", escape="\\") for f in forms))


def filter_sessions(
    query: Select[Any],
    filters: SessionFilters,
    zone: str,
    *,
    by_start: bool = False,
    now: datetime | None = None,
) -> Select[Any]:
    """``query`` narrowed to the filters. The days keep the sessions that overlap them
    (a schedule), or with ``by_start`` those that start on them (a catalogue of what one
    can still sign up for)."""
    if filters.kind:
        query = query.where(Session.kind == filters.kind)
    if filters.language:
        query = query.where(Session.language == filters.language)
    if filters.academy_id:
        query = query.where(with_academy(filters.academy_id))
    if filters.lecturer_id:
        query = query.where(taught_by(filters.lecturer_id))
    if filters.mine_of:
        query = query.where(
            or_(taught_by(filters.mine_of), Session.created_by_id == filters.mine_of)
        )
    if filters.status in STATUSES:
        query = query.where(_status(filters.status, now or utcnow()))
    for word in (filters.title_words or "").split()[:10]:
        query = query.where(_title_has(word))
    # A day at the calendar's end (year 1, year 9999) is no bound at all.
    start = day_start_utc(filters.first_day, zone) if filters.first_day else None
    end = day_end_utc(filters.last_day, zone) if filters.last_day else None
    if start is not None:
        query = query.where(Session.starts_at >= start if by_start else ending_after(start))
    if end is not None:
        query = query.where(Session.starts_at < end)
    return query
