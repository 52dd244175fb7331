"""Bringing one session's Zoom meeting in line with the database: ``reconcile``.

The database says what should be; ``reconcile`` compares it with what Zoom was last seen
to hold and makes the calls that close the gap, and no others. Running it twice does no
harm: the second run finds nothing to do.

A create is guarded against a lost answer (see zoom.creation); commits happen inside
``reconcile`` for that reason.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from webinars.domain.sessions.conferencing import meeting_record
from webinars.domain.zoom.creation import (
    adopt_lost_create,
    create_anew,
    create_meeting,
    note_dropped_hosts,
    recreate,
    success,
)
from webinars.domain.zoom.hosts import (
    choose_host,
    count_call,
    has_quota,
    host_clashes,
    mark_exhausted,
)
from webinars.domain.zoom.records import (
    SyncResult,
    ZoomNotApplied,
    differences,
    mark_deferred,
    mark_failure,
    mark_invalid,
    mark_no_host,
    mark_ready,
    mark_removed,
    note_join_link,
)
from webinars.domain.zoom.settings import (
    ensure_record,
    fingerprint,
    meeting_body,
    meeting_settings,
)
from webinars.domain.zoom.zones import send_with_zone_fallback
from webinars.extensions import db
from webinars.models import Conference, MeetingState, Session, SessionStatus, ZoomMeeting, utcnow
from webinars.zoom import (
    ZoomClient,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    marker_session_id,
    meetings_for_session,
    next_utc_midnight,
)
from webinars.zoom.setup import ZoomSetup

log = logging.getLogger(__name__)


def wants_meeting(session: Session, now: datetime) -> bool | None:
    """True: the session needs a meeting; False: it must have none; None: leave it be.

    Published Zoom sessions that have not ended need one. Drafts, cancelled sessions and
    sessions joined another way need none. A session that is over keeps what it has:
    its meeting, attendance and recordings belong to the record.
    """
    if session.conference is not Conference.ZOOM or session.status is not SessionStatus.SCHEDULED:
        return False
    if session.ends_at <= now:
        return None
    return True


def needs_sync(session_id: int) -> bool:
    """True for a Zoom session, and for a former one whose meeting record is still kept
    (its meeting may have to go); a sync of any other session would do nothing."""
    session = db.session.get(Session, session_id)
    if session is None:
        return False
    return session.conference is Conference.ZOOM or meeting_record(session_id) is not None


def reconcile(
    session_id: int,
    client: ZoomClient,
    setup: ZoomSetup,
    now: datetime | None = None,
    rng: Any = random,
) -> SyncResult:
    """Make Zoom hold what the database says for one session; commits as it goes."""
    now = now or utcnow()
    session = db.session.get(Session, session_id)
    if session is None:  # gone entirely; the sweep deletes any meeting it left
        return SyncResult(session_id, "none")
    record = meeting_record(session_id)
    wanted = wants_meeting(session, now)
    if wanted is None:
        return SyncResult(session_id, "finished")
    if not wanted and (record is None or _nothing_held(record)):
        if record is not None and record.state is not MeetingState.DELETED:
            mark_removed(record, now)
            db.session.commit()
        return SyncResult(session_id, "none")
    record = record or ensure_record(session)
    if wanted and record.deferred_until and record.deferred_until > now:
        return SyncResult(session_id, "deferred", retry_at=record.deferred_until)
    before = record.join_url  # the link people were last given, if any
    try:
        if wanted:
            result = _bring_in_line(session, record, client, setup, now)
        else:
            result = _remove(session, record, client, setup, now)
    except ZoomError as exc:
        result = mark_failure(record, exc, now, rng)
    except ValueError as exc:  # the session cannot be put in Zoom's terms
        result = mark_invalid(record, str(exc), now)
    result.join_link = note_join_link(session, record, before, now)
    db.session.commit()
    return result


def _nothing_held(record: ZoomMeeting) -> bool:
    return record.meeting_id is None and record.create_sent_at is None


def _bring_in_line(
    session: Session, record: ZoomMeeting, client: ZoomClient, setup: ZoomSetup, now: datetime
) -> SyncResult:
    if record.meeting_id is None and record.create_sent_at is not None:
        adopt_lost_create(session, record, client, setup, now)
    if record.meeting_id is None:
        return create_meeting(session, record, client, setup, now)
    if host_clashes(record, session, setup.buffer):
        return _switch_host(session, record, client, setup, now)
    body = meeting_body(
        session, meeting_settings(record), record.host_email, setup.namespace, creating=False
    )
    digest = fingerprint(record.host_email, body)
    if uncertain(record):
        held = _own_meeting(session, record, client, setup)
        if held is None:  # gone, or its id now another meeting's: ours is missing
            return recreate(session, record, client, setup, now)
        if record.synced_fingerprint == digest and not _differs(held, body, session, setup, now):
            mark_ready(record, session, held, record.host_email or "", digest, now)
            return success(session, record, setup, "verified")
    elif record.synced_fingerprint == digest:
        if record.state is not MeetingState.READY:  # e.g. a retry asked for with nothing to send
            record.state = MeetingState.READY
            record.error_kind = record.last_error = None
            record.next_attempt_at = None
        return SyncResult(session.id, "unchanged")
    return _update(session, record, body, digest, client, setup, now)


_IN_DOUBT = (
    MeetingState.RETRYING,
    MeetingState.FAILED,
    MeetingState.DELETING,
    MeetingState.CREATING,
)


def uncertain(record: ZoomMeeting) -> bool:
    """Is what Zoom holds under the record's id in doubt? After a failed call (a timeout,
    a lost reply, an outage) or a sweep's suspicion, the id may be gone, or Zoom may have
    handed it to another meeting: it is checked before it is changed or deleted. When the
    last call went well, nothing is checked (about one call per change)."""
    return record.verify_needed or record.error_kind is not None or record.state in _IN_DOUBT


def _own_meeting(
    session: Session, record: ZoomMeeting, client: ZoomClient, setup: ZoomSetup
) -> Mapping[str, Any] | None:
    """The meeting under the record's id if it is still the one this session made (its
    agenda starts with the session's marker); None if it is gone or another's."""
    assert record.meeting_id is not None
    try:
        held = client.get_meeting(record.meeting_id)
    except ZoomNotFound:
        return None
    if marker_session_id(str(held.get("agenda") or ""), setup.namespace) != session.id:
        log.warning(
            "Zoom meeting %s is no longer session %s's (its agenda names another): "
            "left alone, and the session's meeting counts as missing",
            record.meeting_id,
            session.id,
        )
        return None
    return held


def _differs(held: Mapping[str, Any], body: Mapping[str, Any], session, setup, now) -> bool:
    return bool(differences(held, body, session.id, setup.namespace, now))


def _update(
    session: Session,
    record: ZoomMeeting,
    body: dict[str, Any],
    digest: str,
    client: ZoomClient,
    setup: ZoomSetup,
    now: datetime,
) -> SyncResult:
    """PATCH the meeting, then read it back: Zoom may ignore fields without saying so."""
    host = record.host_email or ""
    meeting_id = record.meeting_id
    assert meeting_id is not None
    if not has_quota(host, now):
        return mark_deferred(record, next_utc_midnight(now), now)
    count_call(host, now)
    try:
        _, sent = send_with_zone_fallback(
            lambda sent: client.update_meeting(meeting_id, sent),
            body,
            session.time_zone,
            now,
            lambda: count_call(host, now),
        )
        held = client.get_meeting(meeting_id)
    except ZoomNotFound:
        return recreate(session, record, client, setup, now)
    except ZoomRateLimited as exc:
        if not exc.daily:
            raise
        mark_exhausted(host, now)
        return mark_deferred(record, next_utc_midnight(now), now)
    if sent is not body:  # Zoom refused the time zone: the fallback is what it holds
        body, digest = sent, fingerprint(host, sent)
    wrong = differences(held, body, session.id, setup.namespace, now)
    if wrong:
        raise ZoomNotApplied("Zoom did not apply: " + ", ".join(wrong))
    mark_ready(record, session, held, host, digest, now)
    note_dropped_hosts(record, held, body)
    return success(session, record, setup, "updated")


def _switch_host(
    session: Session, record: ZoomMeeting, client: ZoomClient, setup: ZoomSetup, now: datetime
) -> SyncResult:
    """The session moved to a time its host is busy: move the meeting to a free host.

    Zoom cannot hand a meeting to another host, so the old one is deleted and a new one
    made (with a new join link, which raises the session's SEQUENCE).
    """
    current = record.host_email or ""
    choice = choose_host(record, session, setup.hosts, setup.buffer, now, exclude={current})
    if choice.host is None:
        if choice.reason == "daily_limit" and choice.retry_at:
            return mark_deferred(record, choice.retry_at, now)
        return mark_no_host(record, now, keeps_meeting=True)
    assert record.meeting_id is not None
    if not uncertain(record) or _own_meeting(session, record, client, setup) is not None:
        client.delete_meeting(record.meeting_id)
    record.meeting_id = None
    record.host_email = choice.host
    db.session.commit()
    return create_anew(session, record, client, setup, now, "moved_host")


def _remove(
    session: Session, record: ZoomMeeting, client: ZoomClient, setup: ZoomSetup, now: datetime
) -> SyncResult:
    """Delete the session's meeting (and any a lost create may have made); a meeting whose
    state is in doubt is deleted only if it is still this session's."""
    in_doubt = uncertain(record)
    record.state = MeetingState.DELETING
    if record.create_sent_at is not None and record.host_email:
        listed = client.list_upcoming_meetings(record.host_email)
        for found in meetings_for_session(listed, session.id, setup.namespace):
            client.delete_meeting(int(found["id"]))
        record.create_sent_at = None
        db.session.commit()
    if record.meeting_id is not None:
        if not in_doubt or _own_meeting(session, record, client, setup) is not None:
            client.delete_meeting(record.meeting_id)
    mark_removed(record, now)
    return SyncResult(session.id, "deleted")
