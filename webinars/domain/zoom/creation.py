"""Creating a session's meeting in Zoom, and never two of them.

Zoom has no idempotency key, so a create is guarded: before it goes out the record is
committed with ``create_sent_at``; if the answer is lost, the next run looks for the
session's marker among the host's upcoming meetings and adopts what it finds rather than
creating a second meeting. Commits happen here for that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from webinars.domain.zoom.hosts import (
    choose_host,
    count_call,
    later_clashing_sessions,
    mark_exhausted,
)
from webinars.domain.zoom.records import (
    SyncResult,
    dropped_hosts,
    mark_deferred,
    mark_no_host,
    mark_ready,
    take_meeting_id,
)
from webinars.domain.zoom.settings import fingerprint, meeting_body, meeting_settings
from webinars.domain.zoom.zones import send_with_zone_fallback
from webinars.extensions import db
from webinars.models import MeetingState, Session, ZoomMeeting
from webinars.zoom import (
    ZoomClient,
    ZoomError,
    ZoomRateLimited,
    ZoomTransientError,
    meetings_for_session,
)
from webinars.zoom.setup import ZoomSetup


def adopt_lost_create(
    session: Session, record: ZoomMeeting, client: ZoomClient, setup: ZoomSetup, now: datetime
) -> None:
    """An earlier create got no answer: adopt the meeting if Zoom made it, delete extras."""
    found: list[Mapping[str, Any]] = []
    if record.host_email:
        listed = client.list_upcoming_meetings(record.host_email)
        found = meetings_for_session(listed, session.id, setup.namespace)
    if found:
        keep, extras = found[0], found[1:]
        for extra in extras:
            client.delete_meeting(int(extra["id"]))
        take_meeting_id(record, int(keep["id"]), now)
        record.join_url = str(keep.get("join_url") or "") or record.join_url
        record.synced_fingerprint = None  # what it holds is not known: send the body again
    record.create_sent_at = None
    record.updated_at = now
    db.session.commit()


def create_meeting(
    session: Session, record: ZoomMeeting, client: ZoomClient, setup: ZoomSetup, now: datetime
) -> SyncResult:
    """Create the meeting on a free host with quota, trying the next host at a daily 429."""
    tried: set[str] = set()
    settings = meeting_settings(record)
    while True:
        choice = choose_host(record, session, setup.hosts, setup.buffer, now, exclude=tried)
        if choice.host is None:
            if choice.reason == "daily_limit" and choice.retry_at:
                return mark_deferred(record, choice.retry_at, now)
            return mark_no_host(record, now, keeps_meeting=False)
        host = choice.host
        body = meeting_body(session, settings, host, setup.namespace, creating=True)
        record.host_email = host
        record.create_sent_at = now
        record.state = MeetingState.CREATING
        count_call(host, now)
        db.session.commit()  # durable before the request, so a lost answer is searched for
        try:
            meeting, body = send_with_zone_fallback(
                lambda sent, host=host: client.create_meeting(host, sent),
                body,
                session.time_zone,
                now,
                lambda host=host: _count_and_commit(host, now),
            )
        except ZoomTransientError:
            raise  # the meeting may exist: create_sent_at stays set
        except ZoomRateLimited as exc:
            record.create_sent_at = None
            if not exc.daily:
                raise
            mark_exhausted(host, now)
            db.session.commit()
            tried.add(host)
            continue
        except ZoomError:
            record.create_sent_at = None  # Zoom answered: nothing was made
            db.session.commit()
            raise
        digest = fingerprint(host, body)  # of what Zoom accepted (default_password aside)
        mark_ready(record, session, meeting, host, digest, now)
        note_dropped_hosts(record, meeting, body)
        return success(session, record, setup, "created")


def recreate(
    session: Session, record: ZoomMeeting, client: ZoomClient, setup: ZoomSetup, now: datetime
) -> SyncResult:
    """The meeting is gone from Zoom (deleted by hand): make a new one."""
    record.changed_in_zoom_at = record.changed_in_zoom_at or now
    return create_anew(session, record, client, setup, now, "recreated")


def create_anew(
    session: Session,
    record: ZoomMeeting,
    client: ZoomClient,
    setup: ZoomSetup,
    now: datetime,
    action: str,
) -> SyncResult:
    """Forget the meeting the record held and create another; ``action`` names why."""
    record.meeting_id = None
    record.synced_fingerprint = None
    result = create_meeting(session, record, client, setup, now)
    if result.action == "created":
        result.action = action
    return result


def _count_and_commit(host: str, now: datetime) -> None:
    """Before a create is sent again: count it, and keep ``create_sent_at`` durable."""
    count_call(host, now)
    db.session.commit()


def note_dropped_hosts(record: ZoomMeeting, held: Mapping[str, Any], body: Mapping[str, Any]):
    """Note on the record the alternative hosts Zoom left out of the meeting, if any."""
    dropped = dropped_hosts(held, body)
    if dropped:  # the meeting is fine; the page tells who could not be an alternative host
        record.error_kind = "alternative_hosts"
        record.last_error = ", ".join(dropped)


def success(session: Session, record: ZoomMeeting, setup: ZoomSetup, action: str) -> SyncResult:
    """A success; names later sessions whose meetings now clash with this host."""
    others = later_clashing_sessions(record, session, setup.buffer)
    return SyncResult(session.id, action, also_sync=others)
