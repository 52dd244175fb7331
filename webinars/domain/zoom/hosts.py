"""The host pool: which of the department's licensed Zoom users hosts which meeting.

A Zoom user runs one meeting at a time, so a host is free for a session when none of its
other meetings comes within the buffer of the session's time. Zoom also allows each host
100 creates and updates a day (reset at 00:00 UTC): the work is spread over the free
hosts, and when every free host has used its day the change waits until midnight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_

from webinars.extensions import db
from webinars.models import (
    Conference,
    MeetingState,
    Session,
    SessionStatus,
    ZoomHostUsage,
    ZoomMeeting,
)
from webinars.zoom import next_utc_midnight

DAILY_LIMIT = 100  # Zoom's creates + updates per host per UTC day


@dataclass(frozen=True)
class HostChoice:
    """The host for a meeting, or why there is none (``"busy"`` or ``"daily_limit"``)."""

    host: str | None
    reason: str = ""
    retry_at: datetime | None = None


def _holds(
    starts_at: datetime,
    ends_at: datetime,
    buffer: timedelta,
    exclude_session_id: int | None,
    before_record_id: int | None = None,
) -> list[tuple[str, int]]:
    """(host, record id) of every meeting that keeps a host busy around the given time."""
    query = (
        db.select(ZoomMeeting.host_email, ZoomMeeting.id)
        .join(Session, Session.id == ZoomMeeting.session_id)
        .where(
            ZoomMeeting.host_email.is_not(None),
            ZoomMeeting.state.not_in([MeetingState.DELETED, MeetingState.DELETING]),
            Session.status != SessionStatus.CANCELLED,
            Session.conference == Conference.ZOOM,
            Session.starts_at < ends_at + buffer,
            Session.ends_at > starts_at - buffer,
        )
    )
    if exclude_session_id is not None:
        query = query.where(ZoomMeeting.session_id != exclude_session_id)
    if before_record_id is not None:
        query = query.where(ZoomMeeting.id < before_record_id)
    return [(host.lower(), rid) for host, rid in db.session.execute(query)]


def busy_hosts(
    starts_at: datetime,
    ends_at: datetime,
    buffer: timedelta,
    exclude_session_id: int | None = None,
) -> set[str]:
    """The hosts already holding a meeting within ``buffer`` of the given time."""
    return {host for host, _ in _holds(starts_at, ends_at, buffer, exclude_session_id)}


def free_hosts(
    hosts: Iterable[str],
    starts_at: datetime,
    ends_at: datetime,
    buffer: timedelta,
    exclude_session_id: int | None = None,
) -> list[str]:
    """The configured hosts free for the given time (for the form's check before saving)."""
    busy = busy_hosts(starts_at, ends_at, buffer, exclude_session_id)
    return [h for h in hosts if h not in busy]


def host_clashes(record: ZoomMeeting, session: Session, buffer: timedelta) -> bool:
    """True when an earlier-assigned meeting holds this record's host at the session's time.

    Only the later of two clashing records yields, so two workers never chase each other
    from host to host.
    """
    if not record.host_email:
        return False
    holds = _holds(session.starts_at, session.ends_at, buffer, session.id, record.id)
    return any(host == record.host_email.lower() for host, _ in holds)


def later_clashing_sessions(record: ZoomMeeting, session: Session, buffer: timedelta) -> list[int]:
    """Sessions assigned the same host after this record, at a clashing time: they yield."""
    if not record.host_email:
        return []
    rows = db.session.execute(
        db.select(ZoomMeeting.session_id)
        .join(Session, Session.id == ZoomMeeting.session_id)
        .where(
            ZoomMeeting.host_email == record.host_email,
            ZoomMeeting.id > record.id,
            ZoomMeeting.state.not_in([MeetingState.DELETED, MeetingState.DELETING]),
            Session.status != SessionStatus.CANCELLED,
            Session.conference == Conference.ZOOM,
            Session.starts_at < session.ends_at + buffer,
            Session.ends_at > session.starts_at - buffer,
        )
    )
    return [sid for (sid,) in rows]


def retired_hosts(hosts: Iterable[str], now: datetime | None = None) -> dict[str, int]:
    """Hosts no longer in ``ZOOM_HOSTS`` that still hold a meeting, with how many of those
    meetings are still to come (``now`` given) or in all.

    Their meetings stay where they are while the Zoom user exists (the links people were
    given keep working) and get no new ones; the sweep still watches them.
    """
    configured = {h.lower() for h in hosts}
    query = (
        db.select(ZoomMeeting.host_email, func.count())
        .join(Session, Session.id == ZoomMeeting.session_id)
        .where(
            ZoomMeeting.host_email.is_not(None),
            or_(ZoomMeeting.meeting_id.is_not(None), ZoomMeeting.create_sent_at.is_not(None)),
        )
        .group_by(ZoomMeeting.host_email)
    )
    if now is not None:
        query = query.where(Session.ends_at > now)
    return {
        host: count
        for host, count in db.session.execute(query)
        if host and host.lower() not in configured
    }


def _usage(hosts: Iterable[str], day: date) -> dict[str, ZoomHostUsage]:
    rows = db.session.execute(
        db.select(ZoomHostUsage).where(
            ZoomHostUsage.day == day, ZoomHostUsage.host_email.in_(list(hosts))
        )
    ).scalars()
    return {row.host_email: row for row in rows}


def usage_today(hosts: Iterable[str], now: datetime) -> dict[str, int]:
    """Creates and updates sent per host on ``now``'s UTC day."""
    hosts = list(hosts)
    rows = _usage(hosts, _utc_day(now))
    return {h: (rows[h].calls if h in rows else 0) for h in hosts}


def _utc_day(now: datetime) -> date:
    return now.astimezone(UTC).date()


def has_quota(host: str, now: datetime) -> bool:
    """True while the host may still be sent a create or update today."""
    row = _usage([host], _utc_day(now)).get(host)
    return row is None or (not row.exhausted and row.calls < DAILY_LIMIT)


def _row(host: str, now: datetime) -> ZoomHostUsage:
    day = _utc_day(now)
    row = db.session.get(ZoomHostUsage, (host, day))
    if row is None:
        row = ZoomHostUsage(host_email=host, day=day, calls=0, exhausted=False)
        db.session.add(row)
    return row


def count_call(host: str, now: datetime) -> None:
    """Count one create or update sent for ``host`` today."""
    row = _row(host, now)
    row.calls = (row.calls or 0) + 1


def mark_exhausted(host: str, now: datetime) -> None:
    """Zoom said the host has used its day: send it nothing more until midnight UTC."""
    _row(host, now).exhausted = True


def _upcoming_counts(hosts: list[str], now: datetime) -> dict[str, int]:
    rows = db.session.execute(
        db.select(ZoomMeeting.host_email, func.count())
        .join(Session, Session.id == ZoomMeeting.session_id)
        .where(
            ZoomMeeting.host_email.in_(hosts),
            ZoomMeeting.meeting_id.is_not(None),
            Session.ends_at > now,
        )
        .group_by(ZoomMeeting.host_email)
    )
    return {host: count for host, count in rows}


def choose_host(
    record: ZoomMeeting,
    session: Session,
    hosts: tuple[str, ...],
    buffer: timedelta,
    now: datetime,
    exclude: Iterable[str] = (),
) -> HostChoice:
    """A free host with quota left: the record's own host when it still qualifies (so a
    retried create looks in the same place), else the one with the fewest calls today,
    then the fewest upcoming meetings, then the configured order. ``exclude`` names hosts
    that must not be used now (Zoom just refused them for the day)."""
    excluded = {h.lower() for h in exclude}
    busy = busy_hosts(session.starts_at, session.ends_at, buffer, session.id)
    free = [h for h in hosts if h not in busy]
    if not free:
        return HostChoice(None, "busy")
    with_quota = [h for h in free if h not in excluded and has_quota(h, now)]
    if not with_quota:
        return HostChoice(None, "daily_limit", next_utc_midnight(now))
    current = (record.host_email or "").lower()
    if current in with_quota:
        return HostChoice(current)
    calls = usage_today(with_quota, now)
    upcoming = _upcoming_counts(with_quota, now)
    order = {h: i for i, h in enumerate(hosts)}
    best = min(with_quota, key=lambda h: (calls[h], upcoming.get(h, 0), order[h]))
    return HostChoice(best)
