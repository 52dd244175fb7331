"""Background tasks: thin wrappers that run domain functions in the app's context.

Tasks are idempotent: each reads the desired state from the database and brings the
outside world in line, so running one twice does no harm.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask
from huey import crontab

from webinars.extensions import db, huey

log = logging.getLogger(__name__)

# Called with a session id after a change to it is committed (Zoom sync, mail, ...).
# Other modules append to this list; a view calls session_changed() after its commit.
SESSION_CHANGE_HOOKS: list[Callable[[int], None]] = []

# Called with a session id and whether it replaces an earlier link, after the commit
# that gave the session's (Zoom) join link for the first time or a new one. Registration
# tells confirmed registrants; the session's other news goes through SESSION_CHANGE_HOOKS.
JOIN_LINK_HOOKS: list[Callable[[int, bool], None]] = []


def in_app_context(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a task inside the Flask app the queue was configured with."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with huey.flask_app.app_context():  # type: ignore[attr-defined]
            return fn(*args, **kwargs)

    return wrapper


def session_changed(session_id: int) -> None:
    """Tell every interested module that a session changed (after the commit)."""
    for hook in SESSION_CHANGE_HOOKS:
        hook(session_id)


def join_link_changed(session_id: int, *, replaced: bool) -> None:
    """Tell every interested module that the session's join link is new (after the commit).

    ``replaced``: True when it replaces a link people were already given.
    """
    for hook in JOIN_LINK_HOOKS:
        hook(session_id, replaced)


@huey.periodic_task(crontab(minute="*"), retries=0)
@in_app_context
def heartbeat() -> None:
    """Record that this worker is alive, for the admin overview."""
    record_heartbeat(f"{socket.gethostname()}")


def record_heartbeat(name: str) -> None:
    """Upsert the worker's last-seen time (idempotent)."""
    from webinars.models import WorkerHeartbeat, utcnow

    row = db.session.get(WorkerHeartbeat, name) or WorkerHeartbeat(name=name)
    row.seen_at = utcnow()
    db.session.add(row)
    db.session.commit()


def init_app(app: Flask) -> None:
    """Nothing to bind beyond the queue itself (see extensions.init_huey)."""
    app.extensions["webinars.jobs"] = SESSION_CHANGE_HOOKS


def run_worker(workers: int = 2) -> None:
    """Run the consumer in this process until interrupted (flask worker)."""
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    log.info("worker started with %d threads", workers)
    consumer.run()


from webinars.jobs import registration, zoom  # noqa: E402,F401 - register tasks and hooks
