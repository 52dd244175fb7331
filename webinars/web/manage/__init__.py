"""Staff pages: dashboard, schedule, and a session's life (create, edit, move, cancel)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from webinars.web.manage import meeting, schedule, sessions  # noqa: E402,F401 - routes register on bp
