"""How tasks run: in the app's context, queued after the commit that called for them.

Tasks are idempotent: each reads the desired state from the database and brings the
outside world in line, so running one twice does no harm. The area modules (mail,
registration, zoom) answer the domain's signals with ``after_commit``; this module queues
what they noted once the transaction commits, and forgets it when it does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

from webinars.extensions import db, huey

log = logging.getLogger(__name__)

# Where the tasks noted during a transaction wait for its commit (on the db session).
PENDING = "webinars.tasks_after_commit"


def in_app_context(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a task inside the Flask app the queue was configured with."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with huey.flask_app.app_context():  # type: ignore[attr-defined]
            return fn(*args, **kwargs)

    return wrapper


def after_commit(task: Callable[..., Any], *args: Any) -> None:
    """Queue ``task(*args)`` when the current transaction commits; nothing if it does not.

    The same call noted twice in one transaction is queued once, in the order first noted.
    """
    session = db.session()
    if not session.in_transaction():
        # Nothing read or written yet: begin (no connection is taken), so that a rollback
        # ends this transaction and forgets the note instead of leaving it for the next.
        session.begin()
    pending: dict[tuple[Any, ...], None] = session.info.setdefault(PENDING, {})
    pending[(task, *args)] = None


def _queue_pending(session: OrmSession) -> None:
    pending = session.info.pop(PENDING, None)
    for task, *args in pending or ():
        task(*args)


def _forget_pending(session: OrmSession, transaction: SessionTransaction) -> None:
    # After a commit the list is already empty; a rollback or close ends it unqueued.
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def queue_after_commit() -> None:
    """Listen to the app's database sessions (once per process)."""
    if not event.contains(db.session, "after_commit", _queue_pending):
        event.listen(db.session, "after_commit", _queue_pending)
        event.listen(db.session, "after_transaction_end", _forget_pending)


def run_worker(workers: int = 2) -> None:
    """Run the consumer in this process until interrupted (flask worker)."""
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    log.info("worker started with %d threads", workers)
    consumer.run()
