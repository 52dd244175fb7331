"""Blueprints, one per audience or area."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint to the app."""
    from webinars.web import admin, audit_labels, auth, manage, public

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(admin.bp)
    audit_labels.init_app(app)
