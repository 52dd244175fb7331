"""Pages for everyone, no sign-in: upcoming public sessions and a page per session."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy.orm import selectinload

from webinars.domain.sessions.access import is_public, public_sessions
from webinars.domain.sessions.filters import ending_after
from webinars.extensions import db, talisman
from webinars.i18n import places_for
from webinars.models import Session, SessionStatus, utcnow
from webinars.web.page_cache import public_page

bp = Blueprint("public", __name__)


@bp.get("/")
@public_page()
def index():
    """Upcoming public sessions, soonest first."""
    page = request.args.get("page", 1, type=int)
    query = (
        public_sessions()
        .where(ending_after(utcnow()), Session.status == SessionStatus.SCHEDULED)
        .options(selectinload(Session.academies), selectinload(Session.lecturers))
        .order_by(Session.starts_at, Session.id)
    )
    pagination = db.paginate(query, page=page, per_page=20, error_out=False)
    return render_template("public/index.html", pagination=pagination)


@bp.get("/sessions/<int:session_id>")
@public_page()
def session_page(session_id: int):
    """A public session: what, when, who; no join link or any private detail."""
    session = db.get_or_404(Session, session_id)
    if not is_public(session):
        abort(404)
    places = places_for(session)
    return render_template("public/session.html", session=session, places=places)


@bp.get("/healthz")
@talisman(force_https=False)  # load balancers and systemd ask gunicorn's port over http
def healthz():
    """Liveness for load balancers; also the trivial baseline of the benchmarks."""
    return {"status": "ok"}
