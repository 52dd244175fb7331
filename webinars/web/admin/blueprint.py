"""The admin pages' blueprint object, apart from the routes that register on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
