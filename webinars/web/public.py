"""Pages for everyone, no sign-in: upcoming public sessions and a page per session."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy.orm import selectinload

from webinars.domain.sessions.access import is_public, public_sessions
from webinars.domain.sessions.filters import ending_after
from webinars.extensions import db, talisman
from webinars.i18n import places_for
from webinars.models import Session, SessionStatus, utcnow
from webinars.observability.readiness import readiness
from webinars.web.bounds import page_number
from webinars.web.page_cache import public_page

bp = Blueprint("public", __name__)


@bp.get("/")
@public_page()
def index():
    """Upcoming public sessions, soonest first."""
    page = page_number()
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


@bp.get("/livez")
@talisman(force_https=False)  # load balancers and systemd ask gunicorn's port over http
def livez():
    """Liveness: the process answers (restart it when this fails); asks nothing else."""
    return {"status": "ok"}


@bp.get("/readyz")
@bp.get("/healthz")  # the older name, which load balancers may still ask: now honest
@talisman(force_https=False)
def readyz():
    """Readiness: the database (and Redis, when configured) answer within a short
    timeout; 503 naming the part that failed, so a load balancer sends traffic elsewhere."""
    checks = readiness(current_app._get_current_object())  # type: ignore[attr-defined]
    ready = not any(check.failed for check in checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: check.as_dict() for name, check in checks.items()},
    }
    if not ready:
        body["failed"] = sorted(name for name, check in checks.items() if check.failed)
    return body, 200 if ready else 503, {"Cache-Control": "no-store"}
