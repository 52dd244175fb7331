"""Route guards: every staff route names the role it needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from webinars.domain.sessions.access import can_edit
from webinars.extensions import db
from webinars.models import Session


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only admins."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def scheduler_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Admins and lecturers: the people who schedule sessions."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.can_schedule:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def may_view_session(session: Any) -> bool:
    """For templates: may the current user open this session (e.g. one listed as an overlap)?"""
    from webinars.domain.sessions.access import can_view

    return can_view(current_user, session)


staff_required = login_required  # any signed-in staff member, coordinators included


def editable_session(session_id: int) -> Session:
    """The session the signed-in user may edit (its lecturers and admins): 404 when there
    is none, 403 when they may not. For the pages that show its people's personal data."""
    session = db.session.get(Session, session_id)
    if session is None:
        abort(404)
    if not can_edit(current_user, session):
        abort(403)
    return session


def coordinator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Partner coordinators only (they act for their academy)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_coordinator or current_user.academy_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
