"""Error pages for people, JSON problems for API clients: never a bare 500."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webinars.extensions import db, login_manager
from webinars.observability.readiness import database_reachable

RETRY_AFTER_SECONDS = 30


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _render(error: HTTPException):
    if _wants_json():
        return jsonify(status=error.code, title=error.name, detail=error.description), error.code
    return render_template("errors/error.html", error=error), error.code


def _database_away(error: Exception) -> bool:
    """A database error, and the database does not answer a quick probe either (a broken
    query on a healthy database is a bug, and stays a 500)."""
    if not isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
        return False
    return not database_reachable(current_app._get_current_object())  # type: ignore[attr-defined]


def _briefly_unavailable():
    """503 with a page that says to come back shortly; it reads nothing from the database
    (the visitor is shown as signed out: their account cannot be read now)."""
    login_manager._update_request_context_with_user(None)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if _wants_json():
        detail = "The service is briefly unavailable. Please try again in a minute."
        body = jsonify(status=503, title="Service Unavailable", detail=detail)
        return body, 503, headers
    return render_template("errors/unavailable.html"), 503, headers


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template("errors/csrf.html", error=error), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:  # the connection is gone with the database
            db.session.invalidate()
        if _database_away(error):
            app.logger.error("Database away on %s %s: %s", request.method, request.path, error)
            return _briefly_unavailable()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if app.testing and app.config["PROPAGATE_UNEXPECTED"]:
            raise error
        return render_template("errors/500.html"), 500
