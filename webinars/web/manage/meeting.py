"""The host's start link for a session's Zoom meeting: fetched fresh, never stored."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webinars.domain.sessions.access import can_view
from webinars.domain.sessions.conferencing import can_start_meeting
from webinars.domain.zoom.start import StartLinkUnavailable, fresh_start_url
from webinars.extensions import db
from webinars.models import Session
from webinars.web.manage import bp
from webinars.web.roles import scheduler_required
from webinars.zoom.setup import zoom_client, zoom_setup


@bp.get("/sessions/<int:session_id>/zoom/start")
@scheduler_required
def zoom_start(session_id: int):
    """Send the session's lecturer (or an admin) to Zoom with a fresh start link."""
    session = db.session.get(Session, session_id)
    if session is None or not can_view(current_user, session):
        abort(404)
    if not can_start_meeting(current_user, session):
        abort(403)
    back = redirect(url_for("manage.session_page", session_id=session.id))
    setup = zoom_setup(current_app.config)
    if not setup.configured:
        flash(_("Zoom is not set up for the department."), "warning")
        return back
    try:
        url = fresh_start_url(session, zoom_client(setup))
    except StartLinkUnavailable as exc:
        if exc.reason == "not_ready":
            flash(_("The Zoom meeting is not ready yet; see its state below."), "warning")
        else:
            flash(_("Zoom did not answer. Try again in a minute."), "danger")
        return back
    response = redirect(url)
    response.headers["Cache-Control"] = "no-store"  # the link signs the host in
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
