"""Blueprints, one per audience or area."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint to the app."""
    from webinars.web import (
        admin,
        audit_labels,
        auth,
        catalog,
        feed_http,
        feed_tokens,
        feeds,
        manage,
        my_registration,
        outbox,
        public,
        registrants,
        webhooks,
        zoom_pages,
    )

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(admin.bp)
    for module in (catalog, my_registration, registrants, outbox):
        app.register_blueprint(module.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(feed_tokens.bp)
    feed_http.init_app(app)
    audit_labels.init_app(app)
    app.register_blueprint(webhooks.bp)
    zoom_pages.init_app(app)
