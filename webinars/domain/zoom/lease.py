"""One worker at a time per session: a lease on the session's meeting record.

Two syncs of the same session running together could both create a meeting. A lease is
taken with one conditional UPDATE (atomic on SQLite and PostgreSQL) and names its holder;
it lapses by itself after ``LEASE``, or sooner when the holder's heartbeat stops
(domain.operations.workers), so a worker that dies mid-sync blocks the session for under
a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from webinars.domain.operations.workers import holder_is_dead, this_worker
from webinars.domain.sessions.conferencing import meeting_record
from webinars.extensions import db
from webinars.models import MeetingState, Session, ZoomMeeting, utcnow

LEASE = timedelta(minutes=5)  # well above the longest sync (a few calls of 10 s at most)


def _ensure_record(session_id: int) -> bool:
    """Create the session's record if missing; False when the session does not exist."""
    if meeting_record(session_id) is not None:
        return True
    if db.session.get(Session, session_id) is None:
        return False
    db.session.add(ZoomMeeting(session_id=session_id, state=MeetingState.PENDING, attempts=0))
    try:
        db.session.commit()
    except IntegrityError:  # another worker made it first
        db.session.rollback()
    return True


def sessions_held_by_dead_workers(now: datetime | None = None) -> list[int]:
    """Sessions whose lease a dead worker still holds: their sync died with it."""
    now = now or utcnow()
    return list(
        db.session.execute(
            db.select(ZoomMeeting.session_id).where(
                ZoomMeeting.leased_until >= now, holder_is_dead(ZoomMeeting.leased_by, now)
            )
        ).scalars()
    )


@contextmanager
def session_lease(session_id: int) -> Iterator[bool]:
    """Hold the session's lease while the block runs; yields False if another holds it."""
    if not _ensure_record(session_id):
        yield True  # nothing to guard: the sync finds no session and does nothing
        return
    now = utcnow()
    taken = db.session.execute(
        db.update(ZoomMeeting)
        .where(
            ZoomMeeting.session_id == session_id,
            or_(
                ZoomMeeting.leased_until.is_(None),
                ZoomMeeting.leased_until < now,
                holder_is_dead(ZoomMeeting.leased_by, now),
            ),
        )
        .values(leased_until=now + LEASE, leased_by=this_worker())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not taken:
        yield False
        return
    try:
        yield True
    finally:
        db.session.rollback()
        db.session.execute(
            db.update(ZoomMeeting)
            .where(ZoomMeeting.session_id == session_id, ZoomMeeting.leased_by == this_worker())
            .values(leased_until=None, leased_by=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
