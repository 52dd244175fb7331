"""The staff pages' blueprint object, apart from the routes that register on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")
