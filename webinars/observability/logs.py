"""Logs an operator can search: one JSON object per line in production, with a request id.

Each request gets an id: nginx's `X-Request-ID` when it sent a sane one, else a new one;
it is answered in the same header, written on the request's log line (method, route,
status, duration, user id) and on every line logged while the request runs, and carried
into the background tasks the request queued, so the worker's lines for them bear it too.
The route is the URL rule (`/calendars/personal/<token>.ics`), never the path: no line
holds a token, an email address or a name; people appear as ids.

`LOG_FORMAT=json` (the default in production) or `text` (the default elsewhere).
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from huey.signals import SIGNAL_ENQUEUED
from pythonjsonlogger.json import JsonFormatter

from webinars.extensions import huey
from webinars.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_TASK_ID_SEPARATOR = "/"
_task_request_id: ContextVar[str | None] = ContextVar("task_request_id", default=None)
log = logging.getLogger("webinars.requests")
tasks_log = logging.getLogger("webinars.tasks")

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


def current_request_id() -> str | None:
    """The id of the request being served, or of the request that queued this task."""
    if has_request_context():
        return g.get("request_id")
    return _task_request_id.get()


class RequestContextFilter(logging.Filter):
    """Adds `request_id` (and, in a request, `user_id`) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        if has_request_context() and not hasattr(record, "user_id"):
            record.user_id = _user_id()
        return True


def json_handler(stream: Any = None) -> logging.Handler:
    """A handler writing one JSON object per line (also used by gunicorn.conf.py)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"})
    )
    handler.addFilter(RequestContextFilter())
    return handler


def init_app(app: Flask) -> None:
    """Request ids, the per-request log line and metrics; JSON logs when configured."""
    # First of all before-request functions, so that a redirect to https or a refusal
    # answered by another one is still timed, counted and logged with its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    if app.config.get("LOG_FORMAT") == "json":
        _use_json(app)


def _use_json(app: Flask) -> None:
    from flask.logging import default_handler

    root = logging.getLogger()
    if not any(getattr(h, "webinars_json", False) for h in root.handlers):
        handler = json_handler()
        handler.webinars_json = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)  # its lines would be text, and twice


def _start() -> None:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = sent if _SANE_ID.fullmatch(sent) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:  # another before_request answered first; nothing was timed
        return response
    elapsed = time.perf_counter() - started
    route = request.url_rule.rule if request.url_rule else "(no route)"
    HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    HTTP_LATENCY.labels(route, request.method).observe(elapsed)
    response.headers[REQUEST_ID_HEADER] = g.request_id
    log.info(
        "%s %s %s",
        request.method,
        route,
        response.status_code,
        extra={
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 1),
            "user_id": _user_id(),
        },
    )
    return response


def _user_id() -> int | None:
    user = g.get("_login_user")  # only if this request already loaded it: never a query
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id
    return None


@huey.signal(SIGNAL_ENQUEUED)  # registered once, at import, like the tasks
def _carry_request_id(signal: str, task: Any, *args: Any) -> None:
    """A task queued while a request runs takes that request's id along, in its own id."""
    request_id = current_request_id()
    if request_id and _TASK_ID_SEPARATOR not in task.id:
        task.id = f"{request_id}{_TASK_ID_SEPARATOR}{task.id}"
        task.revoke_id = f"r:{task.id}"


@huey.pre_execute(name="webinars.request_id")
def _adopt_request_id(task: Any) -> None:
    """In the worker: lines logged while the task runs bear the id of its request."""
    request_id, separator, _ = str(task.id).rpartition(_TASK_ID_SEPARATOR)
    _task_request_id.set(request_id if separator else None)
    task.webinars_started = time.perf_counter()


@huey.post_execute(name="webinars.task_log")
def _log_task(task: Any, value: Any, error: BaseException | None) -> None:
    """One line per task run: its name, outcome and duration, with its request's id."""
    started = getattr(task, "webinars_started", None)
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    tasks_log.log(
        logging.ERROR if error else logging.INFO,
        "task %s %s",
        task.name,
        "failed" if error else "done",
        extra={"task": task.name, "duration_ms": duration, "failed": error is not None},
    )
