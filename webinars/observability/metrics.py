"""The app's Prometheus metrics, counted where things happen.

Under gunicorn every worker is its own process: with `PROMETHEUS_MULTIPROC_DIR` set (the
systemd unit in deploy/ sets it to an emptied directory), prometheus_client keeps each
process's values in files there and `/metrics` adds them up; gunicorn.conf.py marks a
dead worker's files (child_exit). Without it (development, tests) the values live in this process.
Figures that are the state of the database (outbox backlog, seats, Zoom budget, worker
heartbeats) are not counted here but read when `/metrics` is scraped
(webinars.web.metrics).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    multiprocess,
)
from prometheus_client.registry import REGISTRY

disable_created_metrics()  # the _created series only double what scrapers already know

# Buckets for web pages: most answer in milliseconds; a cold feed may take seconds.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

HTTP_REQUESTS = Counter(
    "webinars_http_requests",
    "HTTP requests answered, by route (the URL rule, never the path), method and status.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "webinars_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and method.",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
ZOOM_CALLS = Counter(
    "webinars_zoom_calls",
    "Calls to Zoom's API, by method and outcome (ok, or the HTTP status / error class).",
    ["method", "outcome"],
)
FEED_REQUESTS = Counter(
    "webinars_feed_renders",
    "Calendar feed renderings asked for: 'hit' came from the cache, 'render' was built.",
    ["result"],
)
MAIL_SENT = Counter(
    "webinars_mail_sent",
    "Emails handed to the SMTP server (sent) or refused for good (failed).",
    ["result"],
)


def registry() -> CollectorRegistry:
    """The registry to expose: every worker process's values, or this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        return collected
    return REGISTRY
