"""The worker's heartbeat, and taking over what dead workers held.

A thread beside the task consumer writes this worker's heartbeat every HEARTBEAT_EVERY
and then looks for work a dead worker left: a Zoom sync whose lease it still holds, mail
it claimed and never finished. Their claims are free once the holder is silent
(domain.operations.workers); this queues the tasks that pick them up, so a killed
worker's work is done again within a minute. At start it looks first, before any task runs.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from flask import Flask

from webinars.domain.mail import outbox
from webinars.domain.operations import workers
from webinars.domain.zoom.lease import sessions_held_by_dead_workers
from webinars.extensions import db
from webinars.jobs.mail import deliver_mail
from webinars.jobs.zoom import sync_session
from webinars.models import utcnow

log = logging.getLogger(__name__)


def take_over(now: datetime | None = None) -> tuple[list[int], int]:
    """Queue what dead workers left: (the sessions to sync, the messages to send)."""
    now = now or utcnow()
    gone = workers.declare_dead_neighbours(now)
    if gone:
        log.warning("workers gone from this host: %s", ", ".join(gone))
    sessions = sessions_held_by_dead_workers(now)
    messages = outbox.held_by_dead_workers(now)
    db.session.rollback()  # end the read before the tasks run (immediately, in tests)
    for session_id in sessions:
        log.warning("taking over the Zoom sync of session %s from a dead worker", session_id)
        sync_session(session_id)
    if messages:
        log.warning("taking over %d message(s) a dead worker was sending", messages)
        deliver_mail()
    return sessions, messages


def beat_once(now: datetime | None = None) -> None:
    """One heartbeat, then a look for dead workers' work."""
    workers.record_heartbeat(now=now)
    take_over(now)


def _beat_forever(app: Flask, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with app.app_context():
                beat_once()
                workers.forget_long_silent()
        except Exception:  # a database away for a moment: beat again next time
            log.exception("worker heartbeat failed")
        stop.wait(workers.HEARTBEAT_EVERY.total_seconds())


def start_heartbeat(app: Flask) -> threading.Event:
    """Beat once now (so this worker counts as alive before it takes a task), then every
    HEARTBEAT_EVERY in a daemon thread; set the returned event to stop it."""
    try:
        with app.app_context():
            beat_once()
    except Exception:  # the database away at start: the thread beats when it is back
        log.exception("worker heartbeat failed at start")
    stop = threading.Event()
    threading.Thread(
        target=_beat_forever, args=(app, stop), name="worker-heartbeat", daemon=True
    ).start()
    return stop
