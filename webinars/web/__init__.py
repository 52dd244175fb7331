"""Blueprints, one per audience or area."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from webinars.web import bounds
from webinars.web.bounds import MAX_ROW_ID


class RowId(IntegerConverter):
    """`<int:...>` in our URLs is a row id: one past the database's range matches no
    route (404) instead of failing in the database driver (500)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint to the app."""
    app.url_map.converters["int"] = RowId  # before any rule that uses it
    bounds.init_app(app)
    from webinars.web import (
        admin,
        attendance,
        audit_labels,
        auth,
        catalog,
        certificate_check,
        certificates,
        cooperation,
        country_names,
        feed_http,
        feed_tokens,
        feeds,
        form_problems,
        manage,
        metrics,
        my_registration,
        outbox,
        page_cache,
        partners,
        public,
        registrants,
        reports,
        roles,
        webhooks,
        zoom_pages,
    )

    app.register_blueprint(public.bp)
    app.register_blueprint(certificate_check.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(partners.bp)
    for module in (catalog, my_registration, registrants, attendance, certificates, outbox):
        app.register_blueprint(module.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(cooperation.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(feed_tokens.bp)
    feed_http.init_app(app)
    page_cache.init_app(app)
    audit_labels.init_app(app)
    form_problems.init_app(app)
    app.jinja_env.globals["may_view_session"] = roles.may_view_session
    app.jinja_env.globals["country_name"] = country_names.country_name
    app.register_blueprint(webhooks.bp)
    zoom_pages.init_app(app)
    metrics.init_app(app)
