"""Who may see and change which sessions. Views call these; they never decide alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Select, false, or_, select

from webinars.models import (
    Session,
    SessionStatus,
    User,
    Visibility,
    session_academies,
    session_lecturers,
)

if TYPE_CHECKING:
    from webinars.domain.registration.seats import SeatWindow


def can_edit(user: User, session: Session) -> bool:
    """Admins edit everything; lecturers edit the sessions they teach or created."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin:
        return True
    if not user.is_lecturer:
        return False
    return session.created_by_id == user.id or any(u.id == user.id for u in session.lecturers)


def can_view(user: User, session: Session) -> bool:
    """Staff see sessions; drafts only their own; coordinators only their academy's."""
    if not user.is_authenticated or not user.is_active:
        return False
    if session.status is SessionStatus.DRAFT:
        return can_edit(user, session)
    if user.is_admin or user.is_lecturer:
        return True
    return user.academy_id is not None and any(a.id == user.academy_id for a in session.academies)


def visible_sessions(user: User) -> Select[tuple[Session]]:
    """A query of the sessions `user` may list; callers add filters and ordering.

    Lists exactly what can_view allows: nothing for a deactivated account or a visitor.
    """
    query = select(Session)
    if not user.is_authenticated or not user.is_active:
        return query.where(false())
    if user.is_admin:
        return query
    if user.is_lecturer:
        mine = select(session_lecturers.c.session_id).where(session_lecturers.c.user_id == user.id)
        return query.where(
            or_(
                Session.status != SessionStatus.DRAFT,
                Session.created_by_id == user.id,
                Session.id.in_(mine),
            )
        )
    academy_sessions = select(session_academies.c.session_id).where(
        session_academies.c.academy_id == (user.academy_id or -1)
    )
    return query.where(Session.status != SessionStatus.DRAFT, Session.id.in_(academy_sessions))


def public_sessions() -> Select[tuple[Session]]:
    """Sessions anyone may see: public and published (scheduled or cancelled)."""
    return select(Session).where(
        Session.visibility == Visibility.PUBLIC, Session.status != SessionStatus.DRAFT
    )


def is_public(session: Session | SeatWindow) -> bool:
    """True when the session may appear on public pages."""
    return session.visibility is Visibility.PUBLIC and session.status is not SessionStatus.DRAFT
