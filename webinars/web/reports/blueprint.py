"""The report pages' blueprint object, apart from the routes that register on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
