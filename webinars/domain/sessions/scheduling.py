"""Scheduling: create, change, reschedule, cancel and duplicate sessions.

Every change is written to the audit trail; every change a participant would notice
(time, duration, title, join link, cancellation) raises the session's SEQUENCE, which
calendar clients use to tell a new version from an old one. What a person enters and
the rules it must keep are in sessions.rules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from webinars.domain import signals
from webinars.domain.sessions.direction import derive_direction
from webinars.domain.sessions.rules import (
    GuestInput,
    ResolvedTimes,
    SessionInput,
    back_to_draft,
    resolve_times,
)
from webinars.domain.sessions.timezones import is_valid_zone, utc_to_local
from webinars.extensions import db
from webinars.models import (
    AuditEntry,
    Conference,
    GuestSpeaker,
    PartnerAcademy,
    Session,
    SessionStatus,
    User,
    utcnow,
)

# Fields whose change a participant would notice: each raises SEQUENCE once per save.
VISIBLE_FIELDS = frozenset({"starts_at", "ends_at", "title", "conference", "join_url", "status"})


def _load(model: type, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    rows = db.session.execute(db.select(model).where(model.id.in_(ids))).scalars().all()
    return sorted(rows, key=lambda r: ids.index(r.id))


def _snapshot(session: Session) -> dict[str, Any]:
    """The audited view of a session: plain JSON values, readable in the trail."""
    return {
        "kind": session.kind.value if session.kind else None,
        "title": session.title,
        "description": session.description,
        "language": session.language,
        "starts_at": session.starts_at.isoformat() if session.starts_at else None,
        "ends_at": session.ends_at.isoformat() if session.ends_at else None,
        "time_zone": session.time_zone,
        "capacity": session.capacity,
        "registration_opens_at": _iso(session.registration_opens_at),
        "registration_closes_at": _iso(session.registration_closes_at),
        "status": session.status.value if session.status else None,
        "visibility": session.visibility.value if session.visibility else None,
        "conference": session.conference.value if session.conference else None,
        "join_url": session.join_url,
        # Sorted: the same people chosen in another order are no change.
        "lecturers": sorted(u.name for u in session.lecturers),
        "academies": sorted(a.name_en for a in session.academies),
        "guest_speakers": [_guest_label(g) for g in session.guest_speakers],
        "cancel_reason": session.cancel_reason,
        "direction": session.direction.value if session.direction else None,
    }


def _guest_label(guest: GuestSpeaker) -> str:
    return f"{guest.name} ({guest.affiliation})" if guest.affiliation else guest.name


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _apply(session: Session, data: SessionInput, times: ResolvedTimes) -> None:
    session.kind = data.kind
    session.title = data.title.strip()
    session.description = (data.description or "").strip()
    session.language = data.language
    session.time_zone = data.time_zone
    session.starts_at = times.starts_at
    session.ends_at = times.ends_at
    session.capacity = data.capacity
    session.registration_opens_at = times.registration_opens_at
    session.registration_closes_at = times.registration_closes_at
    session.visibility = data.visibility
    session.conference = data.conference
    session.join_url = (data.join_url or None) if data.conference is Conference.LINK else None
    if session.status is not SessionStatus.CANCELLED:
        session.status = data.status
    session.lecturers = _load(User, data.lecturer_ids)
    session.academies = _load(PartnerAcademy, data.academy_ids)
    wanted = [
        (g.name.strip(), (g.affiliation or "").strip() or None, g.academy_id)
        for g in data.guests
        if g.name.strip()
    ]
    current = [(g.name, g.affiliation, g.academy_id) for g in session.guest_speakers]
    if wanted != current:
        session.guest_speakers = [
            GuestSpeaker(name=n, affiliation=a, academy_id=aid, position=i)
            for i, (n, a, aid) in enumerate(wanted)
        ]
    session.direction_corrected = data.direction is not None
    session.direction = data.direction or derive_direction(
        len(wanted), {a.id for a in session.academies}, {aid for _, _, aid in wanted if aid}
    )


def _record(
    session: Session,
    actor: User | None,
    action: str,
    before: dict,
    now: datetime,
    quiet: bool = False,
):
    after = _snapshot(session)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if not changes and action == "edited":
        return changes
    if set(changes) & VISIBLE_FIELDS and action != "created" and not quiet:
        session.sequence += 1
    session.updated_at = now
    session.audit_entries.append(
        AuditEntry(user_id=actor.id if actor else None, at=now, action=action, changes=changes)
    )
    return changes


def create_session(data: SessionInput, actor: User | None, now: datetime | None = None) -> Session:
    """Create a session from checked input; SEQUENCE starts at 0."""
    now = now or utcnow()
    times = resolve_times(data, now)
    session = Session(
        sequence=0, created_by_id=actor.id if actor else None, created_at=now, status=data.status
    )
    db.session.add(session)
    _apply(session, data, times)
    _record(session, actor, "created", {}, now)
    db.session.flush()
    signals.session_changed.send(session.id)
    return session


def update_session(
    session: Session,
    data: SessionInput,
    actor: User | None,
    now: datetime | None = None,
    seats_taken: int = 0,
    registrants: int = 0,
) -> dict[str, list[Any]]:
    """Apply an edit; returns the changed fields as {field: [old, new]} (empty: nothing).

    Back to draft (allowed only without `registrants`) is silent: nobody was told of
    the session, so SEQUENCE stays and no news is sent; it leaves every feed.
    """
    now = now or utcnow()
    times = resolve_times(
        data, now, session=session, seats_taken=seats_taken, registrants=registrants
    )
    quiet = back_to_draft(session, data)
    before = _snapshot(session)
    _apply(session, data, times)
    action = "rescheduled" if before["starts_at"] != _iso(times.starts_at) else "edited"
    # Said even when nothing changed: saving asks for the meeting to be checked again.
    signals.session_changed.send(session.id)
    return _record(session, actor, action, before, now, quiet=quiet)


def reschedule_session(
    session: Session,
    starts_local: datetime,
    time_zone: str,
    duration_minutes: int,
    actor: User | None,
    now: datetime | None = None,
    seats_taken: int = 0,
) -> dict[str, list[Any]]:
    """Move a session to a new start (and duration), keeping everything else."""
    data = moved_input(session, starts_local, time_zone, duration_minutes)
    return update_session(session, data, actor, now=now, seats_taken=seats_taken)


def moved_input(
    session: Session, starts_local: datetime, time_zone: str, duration_minutes: int
) -> SessionInput:
    """The session's input with a new start and duration (check it with resolve_times)."""
    data = replace(
        input_from_session(session),
        starts_local=starts_local,
        time_zone=time_zone,
        duration_minutes=duration_minutes,
    )
    if time_zone != session.time_zone and is_valid_zone(time_zone):
        # The window's local times were read in the old zone: keep its instants instead
        # of reading the same wall-clock times in the new zone.
        data.registration_opens_local = _local_in(session.registration_opens_at, time_zone)
        data.registration_closes_local = _local_in(session.registration_closes_at, time_zone)
    # The registration window keeps its wall-clock times unless it no longer fits.
    if data.registration_closes_local and data.registration_closes_local > starts_local:
        data.registration_closes_local = starts_local
    if data.registration_opens_local and data.registration_opens_local >= starts_local:
        data.registration_opens_local = None
    return data


def _local_in(moment: datetime | None, zone: str) -> datetime | None:
    return utc_to_local(moment, zone).replace(tzinfo=None) if moment else None


def cancel_session(
    session: Session, reason: str, actor: User | None, now: datetime | None = None
) -> None:
    """Cancel with a reason; the session stays visible as cancelled."""
    signals.session_changed.send(session.id)
    if session.is_cancelled:
        return
    now = now or utcnow()
    before = _snapshot(session)
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.cancelled_at = now
    _record(session, actor, "cancelled", before, now)


def input_from_session(session: Session) -> SessionInput:
    """The input that would recreate this session, in its own zone (for edit and duplicate)."""

    def local(value: datetime | None) -> datetime | None:
        return _local_in(value, session.time_zone)

    return SessionInput(
        kind=session.kind,
        title=session.title,
        description=session.description,
        language=session.language,
        starts_local=local(session.starts_at),  # type: ignore[arg-type]
        time_zone=session.time_zone,
        duration_minutes=session.duration_minutes,
        lecturer_ids=[u.id for u in session.lecturers],
        academy_ids=[a.id for a in session.academies],
        guests=[GuestInput(g.name, g.affiliation, g.academy_id) for g in session.guest_speakers],
        capacity=session.capacity,
        registration_opens_local=local(session.registration_opens_at),
        registration_closes_local=local(session.registration_closes_at),
        status=(SessionStatus.SCHEDULED if session.is_cancelled else session.status),
        visibility=session.visibility,
        conference=session.conference,
        join_url=session.join_url,
        direction=session.direction if session.direction_corrected else None,
    )


def duplicate_input(session: Session) -> SessionInput:
    """A copy to start a new session from: same content, a draft, a week later.

    Never the meeting: a pasted link belongs to the original's time (people would meet in
    the wrong room), and a Zoom copy gets its own meeting once it is saved.
    """
    data = input_from_session(session)
    data.join_url = None
    shift = timedelta(days=7)
    data.starts_local = data.starts_local + shift
    if data.registration_opens_local:
        data.registration_opens_local += shift
    if data.registration_closes_local:
        data.registration_closes_local += shift
    data.status = SessionStatus.DRAFT
    return data
