"""Finding drift between the database and Zoom, for the periodic sweep.

Two halves: ``due_session_ids`` reads only the database (which sessions need a sync:
never synced, out of date, due for a retry, holding a meeting they should not);
``check_zoom`` lists each host's upcoming meetings and deletes the ones carrying this
installation's marker that no live session owns, and flags meetings Zoom no longer has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import selectinload

from webinars.domain.zoom.hosts import free_hosts, host_clashes, retired_hosts
from webinars.domain.zoom.settings import (
    department_defaults,
    effective_settings,
    fingerprint,
    meeting_body,
)
from webinars.domain.zoom.sync import wants_meeting
from webinars.domain.zoom.zones import refused_zones
from webinars.extensions import db
from webinars.models import (
    Conference,
    MeetingState,
    Session,
    SessionStatus,
    ZoomMeeting,
    utcnow,
)
from webinars.zoom import ZoomClient, ZoomError, ZoomNotFound, marker_session_id
from webinars.zoom.errors import CODE_USER_NOT_FOUND
from webinars.zoom.setup import ZoomSetup

ADMIN_FIXES = ("auth", "host_missing")
ADMIN_RECHECK = timedelta(hours=1)


@dataclass
class DriftReport:
    """What ``check_zoom`` found and did."""

    orphans_deleted: list[int] = field(default_factory=list)  # Zoom meeting ids
    missing: list[int] = field(default_factory=list)  # session ids whose meeting is gone
    unreachable_hosts: list[str] = field(default_factory=list)
    gone_hosts: list[str] = field(default_factory=list)  # retired hosts Zoom no longer has
    failed_deletes: list[int] = field(default_factory=list)


def _is_due(record: ZoomMeeting, now: datetime) -> bool:
    if record.next_attempt_at is not None and record.next_attempt_at > now:
        return False
    return record.deferred_until is None or record.deferred_until <= now


def _needs_sync(
    record: ZoomMeeting, session: Session, setup: ZoomSetup, defaults, refused, now
) -> bool:
    wanted = wants_meeting(session, now)
    if wanted is None:
        return False
    if not wanted:
        held = record.meeting_id is not None or record.create_sent_at is not None
        return (held and _is_due(record, now)) or (
            not held and record.state is not MeetingState.DELETED
        )
    if record.state is MeetingState.FAILED:
        if record.error_kind in ("no_host", "host_clash"):  # another session moved or went
            return bool(
                free_hosts(
                    setup.hosts, session.starts_at, session.ends_at, setup.buffer, session.id
                )
            )
        # Credentials and the host list are mended outside the app: look again hourly.
        # A refusal of the session's own details waits for the session to be edited.
        return record.error_kind in ADMIN_FIXES and record.updated_at <= now - ADMIN_RECHECK
    if not _is_due(record, now):
        return False
    if record.state is not MeetingState.READY or record.verify_needed:
        return True
    settings = effective_settings(record, defaults)
    try:
        body = meeting_body(
            session, settings, record.host_email, setup.namespace, creating=False, refused=refused
        )
    except ValueError:
        return True  # the sync will say what is wrong
    if fingerprint(record.host_email, body) != record.synced_fingerprint:
        return True
    return host_clashes(record, session, setup.buffer)


def due_session_ids(setup: ZoomSetup, now: datetime | None = None) -> list[int]:
    """Sessions whose meeting is not in step and may be worked on now (database only)."""
    now = now or utcnow()
    defaults = department_defaults()
    refused = refused_zones(now)
    due: set[int] = set()
    rows = db.session.execute(
        db.select(ZoomMeeting, Session)
        .join(Session, Session.id == ZoomMeeting.session_id)
        .options(selectinload(Session.lecturers))
    ).all()
    for record, session in rows:
        if _needs_sync(record, session, setup, defaults, refused, now):
            due.add(session.id)
    recorded = db.select(ZoomMeeting.session_id)
    unrecorded = db.session.execute(
        db.select(Session.id).where(
            Session.conference == Conference.ZOOM,
            Session.status == SessionStatus.SCHEDULED,
            Session.ends_at > now,
            Session.id.not_in(recorded),
        )
    ).scalars()
    due.update(unrecorded)
    return sorted(due)


def _list_hosts(
    client: ZoomClient, setup: ZoomSetup, report: DriftReport, now: datetime
) -> dict[str, list[dict[str, Any]]]:
    """Every configured host's upcoming meetings, and those of hosts taken out of
    ``ZOOM_HOSTS`` that still hold a meeting to come (leftovers and hand deletions there
    count too). A retired host Zoom no longer knows has lost its meetings with it."""
    listings: dict[str, list[dict[str, Any]]] = {}
    retired = retired_hosts(setup.hosts, now)
    for host in (*setup.hosts, *sorted(retired)):
        try:
            listings[host] = client.list_upcoming_meetings(host)
        except ZoomNotFound as exc:
            report.unreachable_hosts.append(host)
            if host in retired and exc.code == CODE_USER_NOT_FOUND:
                report.gone_hosts.append(host)
        except ZoomError:
            report.unreachable_hosts.append(host)
    return listings


def _keeps(meeting_id: int, record: ZoomMeeting | None, session: Session | None, now) -> bool:
    """Whether a meeting carrying a session's marker is one to keep."""
    if record is None or session is None:
        return False
    if record.meeting_id is None and record.create_sent_at is not None:
        return True  # a create in flight or unanswered: the sync adopts or deletes it
    return record.meeting_id == meeting_id and wants_meeting(session, now) is not False


def check_zoom(client: ZoomClient, setup: ZoomSetup, now: datetime | None = None) -> DriftReport:
    """Delete this installation's meetings that no session owns; flag missing ones.

    Zoom is listed first and the database read after, so a meeting made while the sweep
    runs is always seen together with the record that asked for it (``create_sent_at``
    is committed before a create goes out).
    """
    now = now or utcnow()
    report = DriftReport()
    listings = _list_hosts(client, setup, report, now)
    db.session.expire_all()
    ours: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for host, meetings in listings.items():
        for meeting in meetings:
            sid = marker_session_id(str(meeting.get("agenda") or ""), setup.namespace)
            if sid is not None:
                ours.setdefault(sid, []).append((host, meeting))
    records = {r.session_id: r for r in db.session.execute(db.select(ZoomMeeting)).scalars().all()}
    sessions = {
        s.id: s
        for s in db.session.execute(
            db.select(Session).where(Session.id.in_(list(ours) + list(records)))
        ).scalars()
    }
    for sid, found in ours.items():
        for _host, meeting in found:
            meeting_id = int(meeting["id"])
            if _keeps(meeting_id, records.get(sid), sessions.get(sid), now):
                continue
            try:
                client.delete_meeting(meeting_id)
                report.orphans_deleted.append(meeting_id)
            except ZoomError:
                report.failed_deletes.append(meeting_id)
    _flag_missing(listings, records, sessions, report, now)
    _flag_gone_hosts(records, sessions, report, now)
    db.session.commit()
    return report


def _flag_gone_hosts(records, sessions, report: DriftReport, now: datetime) -> None:
    """Meetings of a retired host that Zoom no longer has: the sync looks, finds them
    gone, and makes them again on a configured host."""
    gone = {h.lower() for h in report.gone_hosts}
    for sid, record in records.items():
        session = sessions.get(sid)
        if (
            session is not None
            and record.meeting_id is not None
            and (record.host_email or "").lower() in gone
            and wants_meeting(session, now) is True
            and not record.verify_needed
        ):
            record.verify_needed = True
            report.missing.append(sid)


def _flag_missing(listings, records, sessions, report: DriftReport, now: datetime) -> None:
    """A ready meeting absent from its host's upcoming list was likely deleted by hand."""
    listed = {host: {int(m["id"]) for m in meetings} for host, meetings in listings.items()}
    for sid, record in records.items():
        session = sessions.get(sid)
        if (
            session is None
            or record.meeting_id is None
            or record.state is not MeetingState.READY
            or record.host_email not in listed
            or session.starts_at <= now  # a meeting under way may leave the upcoming list
            or wants_meeting(session, now) is not True
        ):
            continue
        if record.meeting_id not in listed[record.host_email]:
            record.verify_needed = True
            report.missing.append(sid)


def sessions_out_of_step(now: datetime | None = None) -> list[tuple[Session, ZoomMeeting | None]]:
    """Upcoming sessions whose meeting is not as the database says, for the admin page.

    That is: Zoom sessions without a meeting record yet, and records being worked on,
    waiting for a retry, failed, or suspected of drift (drafts and finished sessions aside).
    """
    now = now or utcnow()
    rows = db.session.execute(
        db.select(Session, ZoomMeeting)
        .outerjoin(ZoomMeeting, ZoomMeeting.session_id == Session.id)
        .where(Session.ends_at > now)
        .order_by(Session.starts_at, Session.id)
    ).all()
    found = []
    for session, record in rows:
        wanted = wants_meeting(session, now)
        if record is None:
            if wanted:
                found.append((session, None))
        elif wanted is False:
            if record.meeting_id is not None or record.create_sent_at is not None:
                found.append((session, record))
        elif record.state is not MeetingState.READY or record.verify_needed:
            found.append((session, record))
    return found


def request_retry(record: ZoomMeeting, now: datetime | None = None) -> None:
    """An admin's "retry now": forget the wait and the failure; the sync runs next."""
    now = now or utcnow()
    record.next_attempt_at = None
    record.deferred_until = None
    record.attempts = 0
    record.verify_needed = record.meeting_id is not None
    if record.state in (MeetingState.FAILED, MeetingState.RETRYING):
        record.state = MeetingState.PENDING
    record.updated_at = now
