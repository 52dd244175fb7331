"""`/metrics`: Prometheus's text format, for the operator's scraper only.

Strangers are refused: with `METRICS_TOKEN` set, a scraper sends it as a bearer token;
without it, only requests from the machine itself (loopback, not forwarded by a proxy)
are answered. Counters come from webinars.observability.metrics; the state of the
database (outbox, registrations, heartbeats, Zoom budget) and the queue is read per scrape.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Iterator

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry
from sqlalchemy.exc import SQLAlchemyError

from webinars.domain.operations.figures import service_figures
from webinars.extensions import csrf, db, huey, talisman
from webinars.models import utcnow
from webinars.observability.metrics import registry
from webinars.zoom.setup import zoom_setup

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)


@bp.get("/metrics")
@talisman(force_https=False)  # scraped over plain http on the machine itself
def metrics():
    """Every metric, counters added up over the worker processes."""
    if not _allowed():
        abort(403)
    scrape = CollectorRegistry()
    scrape.register(_StateCollector())
    body = generate_latest(registry()) + generate_latest(scrape)
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    if request.headers.get("X-Forwarded-For"):  # came through a proxy: not from here
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _by_label(name: str, documentation: str, label: str, values: dict) -> GaugeMetricFamily:
    """One gauge with a sample per key of ``values`` (sorted, so scrapes read the same)."""
    gauge = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in sorted(values.items()):
        gauge.add_metric([key], value)
    return gauge


class _StateCollector(Collector):
    """Gauges read from the database and the queue at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            figures = service_figures(utcnow(), zoom_setup(current_app.config).hosts)
        except SQLAlchemyError:  # the database is down: say so, keep the process's counters
            log.warning("metrics: the database could not be read", exc_info=True)
            db.session.rollback()
            yield GaugeMetricFamily(
                "webinars_database_up", "1 when the database answered this scrape.", value=0
            )
            return
        yield GaugeMetricFamily(
            "webinars_database_up", "1 when the database answered this scrape.", value=1
        )
        yield _by_label(
            "webinars_outbox_messages", "Emails in the outbox, by status.", "status", figures.outbox
        )
        yield GaugeMetricFamily(
            "webinars_outbox_oldest_pending_seconds",
            "Age of the oldest email not yet sent (0 when none waits).",
            value=figures.oldest_pending_seconds,
        )
        yield GaugeMetricFamily(
            "webinars_queue_depth", "Background tasks waiting in the queue.", value=_queue_depth()
        )
        yield _by_label(
            "webinars_registrations",
            "Registrations for sessions not yet over, by status (held and confirmed are seats).",
            "status",
            figures.registrations,
        )
        yield _by_label(
            "webinars_worker_heartbeat_age_seconds",
            "Seconds since each background worker last ran its periodic tasks.",
            "worker",
            figures.worker_heartbeat_age,
        )
        yield _by_label(
            "webinars_zoom_daily_budget_remaining",
            "Meeting creates and updates each Zoom host may still be sent today (UTC).",
            "host",
            figures.zoom_budget_left,
        )


def _queue_depth() -> float:
    try:
        return float(huey.pending_count())
    except Exception:  # the queue is unreachable: say so in the figures, not with a 500
        log.warning("metrics: the task queue could not be read", exc_info=True)
        return float("nan")


def init_app(app) -> None:
    """Register the endpoint; it takes no form, so CSRF does not apply."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
