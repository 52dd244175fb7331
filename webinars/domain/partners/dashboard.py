"""The coordinator's dashboard: their academy's sessions with its seats, waiting list and
attendance, its lecture requests, and its agreements. Only the academy's own students'
names appear, and only to its coordinators (the views check the role)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import selectinload

from webinars.domain.partners.agreements import standing
from webinars.domain.sessions.filters import with_academy
from webinars.extensions import db
from webinars.models import (
    SEAT_STATUSES,
    Agreement,
    AttendanceEntry,
    AttendanceSheet,
    LectureRequest,
    Registration,
    RegistrationStatus,
    SeatQuota,
    Session,
    SessionStatus,
    utcnow,
)

PAST_LIMIT = 20
# The next sessions shown; at university scale an academy has hundreds ahead, and the
# schedule (filtered to the academy) pages through them all.
UPCOMING_LIMIT = 30


@dataclass
class SessionLine:
    """One session as the academy sees it."""

    session: Session
    quota: SeatQuota | None = None
    seated: int = 0  # the academy's students with a seat (held or confirmed)
    in_quota: int = 0  # of them, in the academy's reserved seats
    waiting: int = 0
    attended: int | None = None  # after a finalised attendance sheet
    students: list[Registration] = field(default_factory=list)


@dataclass
class AcademyOverview:
    upcoming: list[SessionLine]
    past: list[SessionLine]
    requests: list[LectureRequest]
    agreements: list[tuple[Agreement, str]]
    next_expiry: Agreement | None
    # When the academy has more upcoming sessions than UPCOMING_LIMIT: `upcoming` holds the
    # next `upcoming_next` of them and later ones with seats reserved for the academy.
    upcoming_next: int = 0
    upcoming_total: int = 0


def _academy_sessions(academy_id: int):
    return (
        db.select(Session)
        .where(with_academy(academy_id), Session.status != SessionStatus.DRAFT)
        .options(selectinload(Session.academies), selectinload(Session.lecturers))
    )


def _past(academy_id: int, now: datetime) -> list[Session]:
    query = _academy_sessions(academy_id).where(Session.ends_at <= now)
    query = query.order_by(Session.starts_at.desc()).limit(PAST_LIMIT)
    return list(db.session.execute(query).scalars())


def _upcoming(academy_id: int, now: datetime) -> tuple[list[Session], int, int]:
    """The next UPCOMING_LIMIT sessions and any later one with seats reserved for the
    academy (its coordinators nominate students for those), in order of start; how many
    of them are the next ones; and how many upcoming sessions there are in all."""
    ahead = _academy_sessions(academy_id).where(Session.ends_at > now)
    first = list(
        db.session.execute(
            ahead.order_by(Session.starts_at, Session.id).limit(UPCOMING_LIMIT)
        ).scalars()
    )
    if len(first) < UPCOMING_LIMIT:
        return first, len(first), len(first)
    reserved = db.select(SeatQuota.id).where(
        SeatQuota.session_id == Session.id, SeatQuota.academy_id == academy_id
    )
    later = db.session.execute(
        ahead.where(Session.id.not_in([s.id for s in first]), reserved.exists()).order_by(
            Session.starts_at, Session.id
        )
    ).scalars()
    total = db.session.execute(
        db.select(db.func.count())
        .select_from(Session)
        .where(with_academy(academy_id), Session.status != SessionStatus.DRAFT)
        .where(Session.ends_at > now)
    ).scalar_one()
    return [*first, *later], len(first), total


def _lines(sessions: list[Session], academy_id: int, now: datetime) -> list[SessionLine]:
    lines = {s.id: SessionLine(s) for s in sessions}
    if not lines:
        return []
    ids = list(lines)
    for quota in db.session.execute(
        db.select(SeatQuota).where(
            SeatQuota.session_id.in_(ids), SeatQuota.academy_id == academy_id
        )
    ).scalars():
        lines[quota.session_id].quota = quota
    students = db.session.execute(
        db.select(Registration)
        .where(
            Registration.session_id.in_(ids),
            Registration.academy_id == academy_id,
            Registration.email.is_not(None),
        )
        .order_by(Registration.full_name, Registration.id)
    ).scalars()
    for registration in students:
        line = lines[registration.session_id]
        line.students.append(registration)
        held_out = (
            registration.status is RegistrationStatus.HELD
            and registration.hold_expires_at is not None
            and registration.hold_expires_at <= now
        )
        if registration.status in SEAT_STATUSES and not held_out:
            line.seated += 1
            if line.quota is not None and registration.quota_id == line.quota.id:
                line.in_quota += 1
        elif registration.status is RegistrationStatus.WAITING:
            line.waiting += 1
    attended = Counter(
        db.session.execute(
            db.select(AttendanceEntry.session_id)
            .join(Registration, Registration.id == AttendanceEntry.registration_id)
            .join(AttendanceSheet, AttendanceSheet.session_id == AttendanceEntry.session_id)
            .where(
                AttendanceEntry.session_id.in_(ids),
                Registration.academy_id == academy_id,
                AttendanceEntry.attended.is_(True),
                AttendanceSheet.finalised_at.is_not(None),
            )
        ).scalars()
    )
    finalised = set(
        db.session.execute(
            db.select(AttendanceSheet.session_id).where(
                AttendanceSheet.session_id.in_(ids), AttendanceSheet.finalised_at.is_not(None)
            )
        ).scalars()
    )
    for session_id in finalised:
        lines[session_id].attended = attended.get(session_id, 0)
    return [lines[s.id] for s in sessions]


def academy_overview(academy_id: int, now: datetime | None = None) -> AcademyOverview:
    """Everything on a coordinator's dashboard, for their academy only."""
    now = now or utcnow()
    today: date = now.date()
    agreements = list(
        db.session.execute(
            db.select(Agreement)
            .where(Agreement.academy_id == academy_id)
            .order_by(Agreement.expires_on.is_(None), Agreement.expires_on, Agreement.id)
        ).scalars()
    )
    in_force = [
        a for a in agreements if a.expires_on is not None and a.signed_on <= today <= a.expires_on
    ]
    requests = list(
        db.session.execute(
            db.select(LectureRequest)
            .where(LectureRequest.academy_id == academy_id)
            .order_by(LectureRequest.updated_at.desc())
            .limit(20)
        ).scalars()
    )
    upcoming, upcoming_next, upcoming_total = _upcoming(academy_id, now)
    return AcademyOverview(
        upcoming=_lines(upcoming, academy_id, now),
        past=_lines(_past(academy_id, now), academy_id, now),
        upcoming_next=upcoming_next,
        upcoming_total=upcoming_total,
        requests=requests,
        agreements=[(a, standing(a, today)) for a in agreements],
        next_expiry=in_force[0] if in_force else None,
    )
