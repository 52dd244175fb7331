"""The partner pages' blueprint object, apart from the routes that register on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("partners", __name__)
