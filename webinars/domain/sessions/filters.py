"""Narrowing a list of sessions: by kind, language, academy, lecturer and days.

The catalogue, the staff schedule and the calendar feeds narrow their lists with these,
so "the sessions of an academy" or "of a day" means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_

from webinars.domain.sessions.scheduling import LONGEST_SESSION
from webinars.domain.sessions.timezones import day_end_utc, day_start_utc
from webinars.extensions import db
from webinars.models import Session, session_academies, session_lecturers


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


def filter_sessions(
    query: Select[Any], filters: SessionFilters, zone: str, *, by_start: bool = False
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
    # A day at the calendar's end (year 1, year 9999) is no bound at all.
    start = day_start_utc(filters.first_day, zone) if filters.first_day else None
    end = day_end_utc(filters.last_day, zone) if filters.last_day else None
    if start is not None:
        query = query.where(Session.starts_at >= start if by_start else ending_after(start))
    if end is not None:
        query = query.where(Session.starts_at < end)
    return query
