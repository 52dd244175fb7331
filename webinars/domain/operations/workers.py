"""Which worker holds what, and whether it is still alive.

Every worker process has a name (host and process id) and writes a heartbeat every few
seconds. A mail claim or a Zoom lease records its holder; when the holder's heartbeat has
been silent for WORKER_SILENT_AFTER, what it held is free again, so a killed worker's
work is taken over within a minute instead of waiting out the claim's or lease's full
length. A worker that starts on the same host as a dead one (its process is gone) takes
over at once. A holder that never wrote a heartbeat (the web app in development, tests)
keeps the plain time limit.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import and_, exists
from sqlalchemy.sql.elements import ColumnElement

from webinars.extensions import db
from webinars.models import WorkerHeartbeat, utcnow

HEARTBEAT_EVERY = timedelta(seconds=10)
WORKER_SILENT_AFTER = timedelta(seconds=30)  # three heartbeats missed: the worker is dead
FORGET_AFTER = timedelta(days=1)  # a silent worker's row is then only clutter

_name: str | None = None


def this_worker() -> str:
    """This process's name as a holder: ``host/pid``."""
    global _name
    if _name is None or not _name.endswith(f"/{os.getpid()}"):  # a fork is a new worker
        _name = f"{socket.gethostname()}/{os.getpid()}"[:100]
    return _name


def holder_is_dead(holder: ColumnElement[str | None], now: datetime) -> ColumnElement[bool]:
    """SQL: ``holder`` is a worker whose heartbeat has been silent too long."""
    return exists().where(
        and_(
            WorkerHeartbeat.name == holder,
            WorkerHeartbeat.seen_at < now - WORKER_SILENT_AFTER,
        )
    )


def record_heartbeat(name: str | None = None, now: datetime | None = None) -> None:
    """Upsert the worker's last-seen time (idempotent); commits."""
    name = name or this_worker()
    row = db.session.get(WorkerHeartbeat, name) or WorkerHeartbeat(name=name)
    row.seen_at = now or utcnow()
    db.session.add(row)
    db.session.commit()


def _process_gone(name: str) -> bool:
    host, _, pid = name.rpartition("/")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def declare_dead_neighbours(now: datetime | None = None) -> list[str]:
    """Workers of this host whose process is gone are dead now, whatever their last
    heartbeat says (a worker killed and restarted by systemd). Their rows are marked
    silent, so what they held is free at once. Commits; returns their names."""
    now = now or utcnow()
    dead = [
        name
        for name in db.session.execute(db.select(WorkerHeartbeat.name)).scalars()
        if _process_gone(name)
    ]
    for name in dead:
        row = db.session.get(WorkerHeartbeat, name)
        if row is not None:
            row.seen_at = min(row.seen_at, now - WORKER_SILENT_AFTER - timedelta(seconds=1))
    db.session.commit()
    return dead


def forget_long_silent(now: datetime | None = None) -> None:
    """Remove the rows of workers silent for a day (long since taken over). Commits."""
    now = now or utcnow()
    db.session.execute(
        db.delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < now - FORGET_AFTER)
    )
    db.session.commit()
