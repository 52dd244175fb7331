"""Sign-in plumbing and HTTP security headers."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l

from webinars.extensions import db, login_manager, talisman

# Everything is served from the app itself (offline-capable): no CDN anywhere.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "style-src": "'self'",
    "script-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def init_app(app: Flask) -> None:
    """Set up Flask-Login and the security headers."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    talisman.init_app(
        app,
        force_https=app.config.get("FORCE_HTTPS", False),
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", True),
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
    )
    app.before_request(refuse_nul_bytes)


def refuse_nul_bytes() -> None:
    """No browser sends a NUL byte in a form or a query; PostgreSQL cannot store one, so
    answer 400 here rather than fail at the database with a 500."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)


@login_manager.user_loader
def load_user(user_id: str):  # noqa: ANN201 - Flask-Login's hook
    from webinars.models import User

    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    # A deactivated account is signed out at its next request, whatever its cookie says.
    return user if user is not None and user.is_active else None
