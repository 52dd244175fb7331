"""News for coordinators: when a session involving their academy is scheduled, moved,
gets a new join link or is cancelled, each of the academy's coordinators gets an email in
their language with a calendar invitation (REQUEST to add or update, CANCEL to remove;
the feeds' UID, so the event already in their calendar is the one that changes) unless
they turned these emails off in their account. A coordinator who was told of a session
that their academy has since been taken off gets a CANCEL too (params: academy_removed).

What each coordinator was last told is read from their last such email's params, so a
change is announced once, and an edit that changes none of these says nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import or_

from webinars.domain.mail.outbox import queue_message
from webinars.domain.sessions.conferencing import join_link
from webinars.extensions import db
from webinars.models import (
    OutboxMessage,
    Role,
    Session,
    SessionStatus,
    User,
    utcnow,
)

SCHEDULED, MOVED, NEW_LINK, CANCELLED = (
    "academy_session_scheduled",
    "academy_session_moved",
    "academy_session_link",
    "academy_session_cancelled",
)
KINDS = (SCHEDULED, MOVED, NEW_LINK, CANCELLED)


def link_mark(link: str | None) -> str:
    """A short fingerprint of a join link (the link itself is not kept in params)."""
    return hashlib.sha256((link or "").encode()).hexdigest()[:16]


def _coordinators(session: Session) -> list[User]:
    academy_ids = [a.id for a in session.academies]
    if not academy_ids:
        return []
    return list(
        db.session.execute(
            db.select(User)
            .where(
                User.academy_id.in_(academy_ids),
                User.role == Role.COORDINATOR,
                User.is_active_account,
                User.academy_session_emails,
            )
            .order_by(User.id)
        ).scalars()
    )


def _former_coordinators(session: Session) -> list[User]:
    """Coordinators told of the session whose academy is no longer on it."""
    told = db.select(OutboxMessage.to_address).where(
        OutboxMessage.session_id == session.id, OutboxMessage.kind.in_(KINDS)
    )
    academy_ids = [a.id for a in session.academies]
    query = db.select(User).where(
        User.email.in_(told),
        User.role == Role.COORDINATOR,
        User.is_active_account,
        User.academy_session_emails,
    )
    if academy_ids:
        query = query.where(or_(User.academy_id.is_(None), User.academy_id.not_in(academy_ids)))
    return list(db.session.execute(query.order_by(User.id)).scalars())


def _last_told(user: User, session_id: int) -> OutboxMessage | None:
    return db.session.execute(
        db.select(OutboxMessage)
        .where(
            OutboxMessage.session_id == session_id,
            OutboxMessage.to_address == user.email,
            OutboxMessage.kind.in_(KINDS),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _news(session: Session, last: OutboxMessage | None, mark: str) -> str | None:
    """Which email this coordinator needs now, or None."""
    told = last.params if last else None
    if session.is_cancelled:
        return CANCELLED if told and last.kind != CANCELLED else None
    if session.status is not SessionStatus.SCHEDULED:
        return None
    if told is None or last.kind == CANCELLED:
        return SCHEDULED
    if told.get("starts_at") != session.starts_at.isoformat():
        return MOVED
    if told.get("link") != mark:
        return NEW_LINK
    return None


def tell_coordinators(session_id: int, now: datetime | None = None) -> int:
    """Queue the news of a committed change to each coordinator who needs it; returns how
    many emails were queued (the caller commits)."""
    now = now or utcnow()
    session = db.session.get(Session, session_id)
    if session is None:
        return 0
    mark = link_mark(join_link(session))
    queued = 0
    for user in _coordinators(session):
        last = _last_told(user, session.id)
        kind = _news(session, last, mark)
        if kind is not None:
            _queue(session, user, kind, last, mark, now)
            queued += 1
    for user in _former_coordinators(session):
        last = _last_told(user, session.id)
        if last is not None and last.kind != CANCELLED:
            _queue(session, user, CANCELLED, last, mark, now, academy_removed=True)
            queued += 1
    return queued


def _queue(
    session: Session,
    user: User,
    kind: str,
    last: OutboxMessage | None,
    mark: str,
    now: datetime,
    *,
    academy_removed: bool = False,
) -> None:
    """Queue one coordinator's news. Its SEQUENCE never falls below the last one they got:
    a new link, their academy taken off or put back change the event, not the session's
    sequence, so theirs goes one up."""
    previous = int((last.params or {}).get("sequence", -1)) if last else -1
    put_back = last is not None and last.kind == CANCELLED
    own_change = kind == NEW_LINK or academy_removed or put_back
    sequence = max(session.sequence, previous + 1 if own_change else session.sequence)
    params: dict[str, Any] = {
        "user_id": user.id,
        "starts_at": session.starts_at.isoformat(),
        "link": mark,
        "sequence": sequence,
    }
    if academy_removed:
        params["academy_removed"] = True
    queue_message(kind=kind, to=user.email, session_id=session.id, params=params, now=now)
