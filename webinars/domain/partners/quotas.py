"""Seats reserved for an academy's students until a date (quotas): set by staff, counted
with every other seat under the session's lock (domain.registration.seats), released to
the general pool at the deadline, when the waiting list moves up.

The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from webinars.domain.registration.follow_up import settle_session
from webinars.domain.registration.quota_seats import quota_state, quota_taken, quotas_open
from webinars.domain.registration.seats import lock_session, seats_taken
from webinars.extensions import db
from webinars.models import (
    PartnerAcademy,
    Registration,
    RegistrationStatus,
    SeatQuota,
    Session,
    User,
    utcnow,
)


class QuotaRuleError(ValueError):
    """The quota breaks a rule; `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("broken rules: " + ", ".join(errors))
        self.errors = errors


def set_quota(
    session_id: int,
    academy_id: int,
    seats: int,
    deadline: datetime,
    actor: User | None,
    now: datetime | None = None,
) -> SeatQuota:
    """Reserve (or change the reservation of) seats for an academy's students.

    Under the session's lock: the seats must be free now (never taken from people who
    hold them) and the deadline before the start. Raises QuotaRuleError.
    """
    now = now or utcnow()
    session = lock_session(session_id)
    assert session is not None
    errors: dict[str, Any] = {}
    if academy_id not in {a.id for a in session.academies}:
        errors["academy_id"] = _l("Choose one of the session's partner academies.")
    if session.capacity is None:
        errors["seats"] = _l("Seats can be reserved only when the session has a capacity.")
    if seats < 1:
        errors["seats"] = _l("Reserve at least one seat.")
    if not now < deadline <= session.starts_at:
        errors["deadline"] = _l("The deadline must be between now and the session's start.")
    if errors:
        raise QuotaRuleError(errors)
    quota = db.session.execute(
        db.select(SeatQuota).where(
            SeatQuota.session_id == session.id, SeatQuota.academy_id == academy_id
        )
    ).scalar_one_or_none()
    used = quota_taken(quota.id, now) if quota else 0
    if seats < used:
        raise QuotaRuleError({"seats": _l("%(used)d of these seats are taken already.", used=used)})
    # Free general seats now, counting this quota's unused seats as free.
    state = quota_state(session, None, now)
    mine_unused = max(0, quota.seats - used) if quota and quota.is_open(now) else 0
    free = session.capacity - seats_taken(session.id, now) - (state.reserved - mine_unused)
    if seats - used > free:
        raise QuotaRuleError(
            {"seats": _l("Only %(free)d seats are free to reserve.", free=max(0, free + used))}
        )
    if quota is None:
        quota = SeatQuota(
            session_id=session.id,
            academy_id=academy_id,
            created_by_id=actor.id if actor else None,
            created_at=now,
        )
        db.session.add(quota)
    quota.seats, quota.deadline, quota.released_at = seats, deadline, None
    _keep_quotas_until(session)
    return quota


def _keep_quotas_until(session: Session) -> None:
    """Under the session's lock: note its quotas' latest deadline, which tells a
    registration whether it must count quota seats (quota_seats.quotas_open)."""
    db.session.flush()
    session.quotas_until = db.session.execute(
        db.select(db.func.max(SeatQuota.deadline)).where(SeatQuota.session_id == session.id)
    ).scalar_one()
    db.session.flush()


def remove_quota(quota: SeatQuota, now: datetime | None = None) -> None:
    """Stop reserving: its students keep their places, as general seats; seats left
    unused go to the general pool and the waiting list moves up."""
    now = now or utcnow()
    session_id = quota.session_id
    session = lock_session(session_id)
    assert session is not None
    db.session.execute(
        db.update(Registration)
        .where(Registration.quota_id == quota.id)
        .values(quota_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(quota)
    _keep_quotas_until(session)
    settle_session(session_id, now)


def release_due_quotas(now: datetime | None = None) -> int:
    """Quotas whose deadline has come: their unused seats go to the general pool and the
    waiting list moves up (each session under its lock). Returns how many were released."""
    now = now or utcnow()
    due = list(
        db.session.execute(
            db.select(SeatQuota.id, SeatQuota.session_id).where(
                SeatQuota.deadline <= now, SeatQuota.released_at.is_(None)
            )
        ).all()
    )
    for quota_id, session_id in due:
        settle_session(session_id, now)
        db.session.execute(
            db.update(SeatQuota)
            .where(SeatQuota.id == quota_id)
            .values(released_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(due)


@dataclass(frozen=True)
class QuotaUsage:
    """A quota's figures for a page: reserved, taken (held + confirmed), waiting."""

    quota: SeatQuota
    taken: int
    confirmed: int
    waiting: int

    @property
    def left(self) -> int:
        return max(0, self.quota.seats - self.taken) if self.quota.is_open() else 0


def quota_usage(quota: SeatQuota, now: datetime | None = None) -> QuotaUsage:
    """How a quota stands now; waiting counts the academy's students on the waiting list."""
    now = now or utcnow()
    confirmed = db.session.execute(
        db.select(db.func.count(Registration.id)).where(
            Registration.quota_id == quota.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    ).scalar_one()
    waiting = db.session.execute(
        db.select(db.func.count(Registration.id)).where(
            Registration.session_id == quota.session_id,
            Registration.academy_id == quota.academy_id,
            Registration.status == RegistrationStatus.WAITING,
        )
    ).scalar_one()
    return QuotaUsage(quota, quota_taken(quota.id, now), int(confirmed), int(waiting))


def session_quotas(session: Session) -> list[SeatQuota]:
    """The session's quotas, by academy name."""
    return list(
        db.session.execute(
            db.select(SeatQuota).where(SeatQuota.session_id == session.id).order_by(SeatQuota.id)
        ).scalars()
    )


def academy_students(session_id: int, academy_id: int) -> list[Registration]:
    """The academy's students registered for a session (any state), for its coordinator."""
    return list(
        db.session.execute(
            db.select(Registration)
            .where(
                Registration.session_id == session_id,
                Registration.academy_id == academy_id,
                Registration.email.is_not(None),
            )
            .order_by(Registration.full_name, Registration.id)
        ).scalars()
    )


@dataclass(frozen=True)
class ReserveShortfall:
    """Reserved seats a (lowered) capacity leaves no room for: `free` seats beside those
    taken, for the seats still reserved and not taken, per academy (`unused`)."""

    unusable: int
    free: int
    unused: list[tuple[PartnerAcademy, int]]

    @property
    def reserved(self) -> int:
        return sum(seats for _academy, seats in self.unused)


def reserve_shortfall(session: Session, now: datetime | None = None) -> ReserveShortfall | None:
    """When the capacity leaves fewer free seats than the open quotas keep unused, how many
    of those can never be taken, and which academies' they are; None when all fit."""
    now = now or utcnow()
    if session.capacity is None or not quotas_open(session, now):
        return None
    unused = []
    for quota in session_quotas(session):
        left = quota.seats - quota_taken(quota.id, now) if quota.is_open(now) else 0
        if left > 0:
            unused.append((quota.academy, left))
    free = max(0, session.capacity - seats_taken(session.id, now))
    unusable = sum(seats for _academy, seats in unused) - free
    return ReserveShortfall(unusable, free, unused) if unusable > 0 else None
