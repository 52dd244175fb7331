"""Background tasks for Zoom meetings: thin wrappers around the domain.

``sync_session`` brings one session's meeting in line and plans its own retry;
``sweep_zoom`` runs every few minutes and repairs whatever drifted (lost tasks, meetings
changed or deleted in Zoom, leftovers). A view never calls Zoom: it commits, then
``jobs.session_changed`` reaches ``enqueue_sync`` here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from huey import crontab

from webinars import jobs
from webinars.domain.zoom.lease import session_lease
from webinars.domain.zoom.records import SyncResult
from webinars.domain.zoom.sweep import DriftReport, check_zoom, due_session_ids
from webinars.domain.zoom.sync import reconcile
from webinars.extensions import db, huey
from webinars.models import Conference, Session, ZoomMeeting, utcnow
from webinars.zoom.setup import ZoomSetup, zoom_client, zoom_setup

log = logging.getLogger(__name__)

BUSY_RETRY = timedelta(seconds=30)  # another worker holds the session: look again soon


def current_setup() -> ZoomSetup:
    """The Zoom settings of the running app."""
    return zoom_setup(current_app.config)


def sync_one(session_id: int, now: datetime | None = None) -> SyncResult | None:
    """Reconcile one session under its lease; None when Zoom is not configured."""
    setup = current_setup()
    if not setup.configured:
        return None
    with session_lease(session_id) as held:
        if not held:
            return SyncResult(session_id, "busy", retry_at=utcnow() + BUSY_RETRY)
        result = reconcile(session_id, zoom_client(setup), setup, now)
    log.info("Zoom sync of session %s: %s", session_id, result.action)
    return result


def follow_up(result: SyncResult | None) -> None:
    """Plan the retry, sync the sessions that must now yield a host, and tell
    ``jobs.JOIN_LINK_HOOKS`` (after the commit) of a first or new join link."""
    if result is None:
        return
    if result.retry_at is not None:
        sync_session.schedule(args=(result.session_id,), eta=result.retry_at)
    for other in result.also_sync:
        sync_session(other)
    if result.join_link is not None:
        jobs.join_link_changed(result.session_id, replaced=result.join_link == "changed")


@huey.task(retries=0)
@jobs.in_app_context
def sync_session(session_id: int) -> None:
    """Bring one session's Zoom meeting in line (safe to run twice)."""
    follow_up(sync_one(session_id))


def enqueue_sync(session_id: int) -> None:
    """SESSION_CHANGE_HOOKS entry: queue a sync for Zoom sessions and former ones."""
    if not current_setup().configured:
        return
    session = db.session.get(Session, session_id)
    if session is None:
        return
    has_record = db.session.execute(
        db.select(ZoomMeeting.id).where(ZoomMeeting.session_id == session_id)
    ).first()
    if session.conference is Conference.ZOOM or has_record:
        sync_session(session_id)


jobs.SESSION_CHANGE_HOOKS.append(enqueue_sync)


@dataclass
class SweepSummary:
    """What one sweep found and did."""

    drift: DriftReport
    results: list[SyncResult] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        """True when the sweep found nothing to repair."""
        drift = self.drift
        return not (self.results or drift.orphans_deleted or drift.missing) and not (
            drift.unreachable_hosts or drift.failed_deletes
        )


def sweep_once(now: datetime | None = None) -> SweepSummary | None:
    """Repair drift: delete leftovers, flag missing meetings, sync what is due."""
    setup = current_setup()
    if not setup.configured:
        return None
    drift = check_zoom(zoom_client(setup), setup, now)
    summary = SweepSummary(drift)
    for session_id in due_session_ids(setup, now):
        result = sync_one(session_id, now)
        if result is not None:
            summary.results.append(result)
            follow_up(result)
    return summary


@huey.periodic_task(crontab(minute="*/5"), retries=0)
@jobs.in_app_context
def sweep_zoom() -> None:
    """Every five minutes: find and repair drift between the database and Zoom."""
    summary = sweep_once()
    if summary is not None and not summary.quiet:
        log.info(
            "Zoom sweep: %d synced, %d leftovers deleted, %d missing",
            len(summary.results),
            len(summary.drift.orphans_deleted),
            len(summary.drift.missing),
        )
