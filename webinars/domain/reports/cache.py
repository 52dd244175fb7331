"""Report figures, counted once per period and scope and kept in the database (shared by
every worker) until something they cover changes.

A flush that touches a session already started (the session itself, its registrations,
guest speakers or attendance) deletes the cached figures of the periods holding its start,
old and new; a change to an agreement or an academy deletes them all. Sessions still to
come change nothing counted yet: their figures arrive when they end, which each cached
entry knows (`valid_until`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, event, inspect, or_
from sqlalchemy.orm import Session as OrmSession

from webinars.domain.reports.figures import Figures, compute
from webinars.domain.reports.periods import Period
from webinars.extensions import db
from webinars.models import (
    Agreement,
    AttendanceEntry,
    GuestSpeaker,
    PartnerAcademy,
    Registration,
    ReportCache,
    Session,
    utcnow,
)

EVERYTHING = object()


def _key(period: Period, academy_id: int | None, public_only: bool) -> str:
    scope = academy_id if academy_id is not None else "all"
    return f"{period.key}:{scope}{':public' if public_only else ''}"


def cached_figures(
    period: Period, academy_id: int | None = None, public_only: bool = False
) -> Figures:
    """The period's figures, from the cache while they are still true, else counted now."""
    now = utcnow()
    key = _key(period, academy_id, public_only)
    row = db.session.get(ReportCache, key)
    if row is not None and (row.valid_until is None or now < row.valid_until):
        return Figures.from_json(period, row.payload)
    figures = compute(period, academy_id, now, public_only)
    start, end = period.utc_bounds(current_app.config["HOME_TIME_ZONE"])
    values = dict(
        period_start=start,
        period_end=end,
        valid_until=figures.valid_until,
        payload=figures.to_json(),
        computed_at=now,
    )
    if row is None:
        db.session.add(ReportCache(key=key, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    try:
        db.session.commit()
    except Exception:  # another worker stored the same key first: theirs is as good
        db.session.rollback()
    return figures


def _session_starts(orm: OrmSession, session_id: int | None) -> list[datetime]:
    if session_id is None:
        return []
    with orm.no_autoflush:
        session = orm.get(Session, session_id)
    return [session.starts_at] if session is not None and session.starts_at else []


def _touched(orm: OrmSession) -> Any:
    """The starts of the sessions this flush changes something about, or EVERYTHING."""
    moments: list[datetime] = []
    for obj in (*orm.new, *orm.dirty, *orm.deleted):
        if isinstance(obj, Agreement | PartnerAcademy):
            if isinstance(obj, PartnerAcademy) and obj in orm.dirty:
                if not inspect(obj).attrs.country.history.has_changes():
                    continue
            return EVERYTHING
        if isinstance(obj, Session):
            history = inspect(obj).attrs.starts_at.history
            moments += [m for m in (*history.deleted, obj.starts_at) if m is not None]
        elif isinstance(obj, Registration | AttendanceEntry | GuestSpeaker):
            moments += _session_starts(orm, obj.session_id)
    now = utcnow()
    return [m for m in moments if m <= now]


def _forget_touched(orm: OrmSession, flush_context: Any, instances: Any) -> None:
    touched = _touched(orm)
    if not touched:
        return
    statement = delete(ReportCache)
    if touched is not EVERYTHING:
        statement = statement.where(
            or_(
                *[
                    (ReportCache.period_start <= m) & (ReportCache.period_end > m)
                    for m in set(touched)
                ]
            )
        )
    orm.execute(statement)


def forget_all() -> None:
    """Drop every cached figure (for commands that rewrite history, e.g. the demo)."""
    db.session.execute(delete(ReportCache))


def init_app(app: Flask) -> None:
    """Listen to every flush, once per process."""
    if not event.contains(OrmSession, "before_flush", _forget_touched):
        event.listen(OrmSession, "before_flush", _forget_touched)


__all__ = ["cached_figures", "forget_all", "init_app"]
