"""How a meeting record changes after each attempt: ready, retrying, deferred or failed.

Kept apart from the sync's flow so the rules for "what happens after an error" read in
one place. Nothing here calls Zoom.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from webinars.domain import signals
from webinars.domain.sessions.conferencing import link_label, meeting_link
from webinars.extensions import db
from webinars.models import AuditEntry, MeetingState, Session, ZoomMeeting
from webinars.zoom import (
    ZoomAuthError,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomTransientError,
    ZoomValidationError,
    next_retry_at,
    session_marker,
)
from webinars.zoom.errors import CODE_MEETING_IN_PROGRESS, CODE_USER_NOT_FOUND

log = logging.getLogger(__name__)

IN_PROGRESS_RETRY = timedelta(minutes=15)  # a live meeting cannot be deleted: try later
MAX_NOT_APPLIED = 5  # read-backs that disagree before a person is asked to look


class ZoomNotApplied(ZoomTransientError):
    """Zoom accepted a change but reading the meeting back shows it was not (all) made."""


@dataclass
class SyncResult:
    """What one sync did. ``also_sync``: other sessions whose host this one now needs."""

    session_id: int
    action: str
    retry_at: datetime | None = None
    join_link: str | None = None  # "ready": the first link; "changed": it replaced one
    also_sync: list[int] = field(default_factory=list)


def error_kind(exc: ZoomError) -> str:
    """A short word for the kind of failure; the pages turn it into sentences."""
    if isinstance(exc, ZoomNotApplied):
        return "not_applied"
    if isinstance(exc, ZoomRateLimited):
        return "daily_limit" if exc.daily else "rate_limited"
    if isinstance(exc, ZoomTransientError):
        return "transient"
    if isinstance(exc, ZoomValidationError):
        return "validation"
    if isinstance(exc, ZoomAuthError):
        return "auth"
    if isinstance(exc, ZoomNotFound) and exc.code == CODE_USER_NOT_FOUND:
        return "host_missing"
    if exc.code == CODE_MEETING_IN_PROGRESS:
        return "in_progress"
    return "zoom"


def clear_errors(record: ZoomMeeting) -> None:
    """Forget the last failure and any planned retry."""
    record.error_kind = None
    record.last_error = None
    record.error_fields = None
    record.attempts = 0
    record.next_attempt_at = None
    record.deferred_until = None


def take_meeting_id(record: ZoomMeeting, meeting_id: int, now: datetime) -> None:
    """Zoom says ``meeting_id`` is this session's meeting now. A live id belongs to one
    session (a unique index): another record still holding it is stale (Zoom reissued the
    id after that meeting expired or was deleted), so it lets go of it and its session is
    synced again, to get a meeting of its own or none."""
    if record.meeting_id == meeting_id:
        return
    stale = db.session.execute(
        db.select(ZoomMeeting).where(
            ZoomMeeting.meeting_id == meeting_id, ZoomMeeting.id != record.id
        )
    ).scalars()
    for other in stale:
        log.warning(
            "Zoom meeting id %s, held by session %s, now belongs to session %s's new "
            "meeting: session %s's is missing and will be made again",
            meeting_id,
            other.session_id,
            record.session_id,
            other.session_id,
        )
        other.meeting_id = None
        other.synced_fingerprint = None
        other.verify_needed = False
        if other.state is not MeetingState.DELETED:
            other.state = MeetingState.PENDING
        other.next_attempt_at = None
        other.updated_at = now
        db.session.flush()  # before this record takes the id: the index allows one
        signals.meeting_out_of_step.send(other.session_id)
    record.meeting_id = meeting_id


def mark_ready(
    record: ZoomMeeting,
    session: Session,
    meeting: Mapping[str, Any],
    host: str,
    fingerprint: str | None,
    now: datetime,
) -> bool:
    """Store what Zoom holds; True when a join link people already had has changed.

    A changed link raises the session's SEQUENCE so calendars replace the old one.
    """
    previous = record.join_url
    take_meeting_id(record, int(meeting["id"]), now)
    record.join_url = str(meeting.get("join_url") or previous or "") or None
    record.host_email = host.lower()
    record.state = MeetingState.READY
    record.create_sent_at = None
    record.verify_needed = False
    record.synced_fingerprint = fingerprint
    record.synced_sequence = session.sequence
    record.synced_at = now
    record.updated_at = now
    clear_errors(record)
    changed = previous is not None and previous != record.join_url
    if changed:
        session.sequence += 1
        session.updated_at = now
    return changed


def note_join_link(
    session: Session, record: ZoomMeeting, before: str | None, now: datetime
) -> str | None:
    """After a sync: "ready" when the session's join link appeared, "changed" when it
    replaced the one people were given (``before``), else None. Not committed.

    A new link moves the session's ``updated_at`` (private feeds carry the link); a
    replaced one is written to the session's audit trail. Either is announced
    (signals.join_link_changed), so registrants hear of it after the commit.
    """
    after = meeting_link(record)
    if after is None or after == before:
        return None
    session.updated_at = now
    signals.join_link_changed.send(session.id, replaced=before is not None)
    if before is None:
        return "ready"
    db.session.add(
        AuditEntry(
            session_id=session.id,
            user_id=None,
            at=now,
            action="join_link_changed",
            changes={"join_url": [link_label(before), link_label(after)]},
        )
    )
    return "changed"


def mark_failure(
    record: ZoomMeeting, exc: ZoomError, now: datetime, rng: Any = random
) -> SyncResult:
    """After a failed call: plan the next attempt, or ask a person (state FAILED)."""
    record.attempts = (record.attempts or 0) + 1
    kind = error_kind(exc)
    if kind == "in_progress":
        retry_at: datetime | None = now + IN_PROGRESS_RETRY
    elif kind == "not_applied" and record.attempts >= MAX_NOT_APPLIED:
        retry_at = None
    else:
        retry_at = next_retry_at(exc, record.attempts, now, rng)
    record.error_kind = kind
    record.last_error = (exc.message or kind)[:2000]
    record.error_fields = (
        [[f, m] for f, m in exc.fields] if isinstance(exc, ZoomValidationError) else None
    )
    record.updated_at = now
    if retry_at is None:
        record.state = MeetingState.FAILED
        record.next_attempt_at = None
        return SyncResult(record.session_id, "failed")
    record.state = MeetingState.RETRYING
    record.next_attempt_at = retry_at
    if kind == "daily_limit":
        record.deferred_until = retry_at
    return SyncResult(record.session_id, "retry", retry_at=retry_at)


def mark_deferred(record: ZoomMeeting, until: datetime, now: datetime) -> SyncResult:
    """Every usable host has used Zoom's daily allowance: wait for 00:00 UTC."""
    record.state = MeetingState.RETRYING
    record.error_kind = "daily_limit"
    record.last_error = "Zoom's daily limit of meeting changes is reached for the free hosts."
    record.error_fields = None
    record.deferred_until = until
    record.next_attempt_at = until
    record.updated_at = now
    return SyncResult(record.session_id, "deferred", retry_at=until)


def mark_no_host(record: ZoomMeeting, now: datetime, *, keeps_meeting: bool) -> SyncResult:
    """No host is free at the session's time. The sweep tries again as hosts free up."""
    record.state = MeetingState.FAILED
    record.error_kind = "host_clash" if keeps_meeting else "no_host"
    record.last_error = "No Zoom host is free at the session's time."
    record.error_fields = None
    record.next_attempt_at = None
    if not keeps_meeting:
        record.host_email = None
        record.create_sent_at = None
    record.updated_at = now
    return SyncResult(record.session_id, "failed")


def mark_invalid(record: ZoomMeeting, message: str, now: datetime) -> SyncResult:
    """The session cannot become a Zoom meeting as it stands (caught before any call)."""
    record.state = MeetingState.FAILED
    record.error_kind = "invalid"
    record.last_error = message[:2000]
    record.error_fields = None
    record.next_attempt_at = None
    record.updated_at = now
    return SyncResult(record.session_id, "failed")


def mark_removed(record: ZoomMeeting, now: datetime) -> None:
    """No meeting in Zoom, and none wanted."""
    record.state = MeetingState.DELETED
    record.meeting_id = None
    record.join_url = None
    record.host_email = None
    record.create_sent_at = None
    record.synced_fingerprint = None
    record.verify_needed = False
    record.updated_at = now
    clear_errors(record)


def _zoom_start(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def differences(
    meeting: Mapping[str, Any], body: Mapping[str, Any], session_id: int, namespace: str, now
) -> list[str]:
    """The fields Zoom holds otherwise than ``body`` asked (read back after a change).

    A start already past is not compared: Zoom ignores a past ``start_time`` on purpose.
    Alternative hosts are left out: Zoom drops users it does not know, see ``dropped_hosts``.
    """
    found = []
    wanted_start = _zoom_start(body.get("start_time"))
    if (
        wanted_start
        and wanted_start > now
        and _zoom_start(meeting.get("start_time")) != (wanted_start)
    ):
        found.append("start_time")
    for name in ("duration", "topic"):
        if name in body and meeting.get(name) != body[name]:
            found.append(name)
    held = meeting.get("settings") if isinstance(meeting.get("settings"), Mapping) else {}
    for name in ("waiting_room", "mute_upon_entry", "auto_recording"):
        if name in body.get("settings", {}) and held.get(name) != body["settings"][name]:
            found.append(f"settings.{name}")
    if not str(meeting.get("agenda") or "").startswith(session_marker(session_id, namespace)):
        found.append("agenda")
    return found


def dropped_hosts(meeting: Mapping[str, Any], body: Mapping[str, Any]) -> list[str]:
    """Alternative hosts asked for that Zoom did not keep (not users of the account)."""
    held = meeting.get("settings") if isinstance(meeting.get("settings"), Mapping) else {}
    kept = {h.strip().lower() for h in str(held.get("alternative_hosts") or "").split(";")}
    asked = [h for h in str(body.get("settings", {}).get("alternative_hosts") or "").split(";")]
    return [h for h in asked if h and h.lower() not in kept]
