"""Seats reserved for academies (SeatQuota), counted under the session's lock with every
other seat (domain.registration.seats takes the lock and asks these counts).

Before a quota's deadline its unused seats stay out of the general pool; a registration
that took one of them names the quota. Most sessions have no quota: `Session.quotas_until`
(the latest quota deadline, kept in step by domain.partners.quotas under the same lock)
lets them skip these counts altogether.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, case, func
from sqlalchemy.orm import aliased

from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, SeatQuota, Session

if TYPE_CHECKING:
    from webinars.domain.registration.seats import SeatWindow


def quotas_open(session: Session | SeatWindow, now: datetime) -> bool:
    """True while some quota of the session is open (its seats are counted apart); read
    under the session's lock, where the quota operations keep `quotas_until` in step."""
    return session.quotas_until is not None and now < session.quotas_until


def quota_used(quota_id: Any, now: Any) -> Any:
    """A quota's seats taken (confirmed, or held and not run out) as a scalar subquery:
    two exact ranges of the (quota, status, hold_expires_at) index."""
    confirmed = (
        db.select(func.count())
        .where(
            Registration.quota_id == quota_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .scalar_subquery()
    )
    held = (
        db.select(func.count())
        .where(
            Registration.quota_id == quota_id,
            Registration.status == RegistrationStatus.HELD,
            Registration.hold_expires_at > now,
        )
        .scalar_subquery()
    )
    return confirmed + held


def reserved_unused(session_id: Any, now: Any) -> Any:
    """Seats kept for academies and not taken yet, over the session's open quotas."""
    quota = aliased(SeatQuota)
    used = quota_used(quota.id, now)
    return (
        db.select(
            func.coalesce(func.sum(case((quota.seats > used, quota.seats - used), else_=0)), 0)
        )
        .where(quota.session_id == session_id, quota.deadline > now)
        .scalar_subquery()
    )


def quota_with_room(session_id: Any, academy_id: Any, now: Any) -> Any:
    """The id of the academy's open quota on the session while it has a seat left."""
    quota = aliased(SeatQuota)
    return (
        db.select(quota.id)
        .where(
            quota.session_id == session_id,
            quota.academy_id == academy_id,
            quota.deadline > now,
            quota.seats > quota_used(quota.id, now),
        )
        .scalar_subquery()
    )


def _quota_state_query():
    session_id = bindparam("session_id")
    now = bindparam("now", type_=Registration.hold_expires_at.type)
    academy_id = bindparam("academy_id")
    return db.select(reserved_unused(session_id, now), quota_with_room(session_id, academy_id, now))


_QUOTA_STATE_QUERY = _quota_state_query()


@dataclass(frozen=True)
class QuotaState:
    """Under lock: reserved seats not yet taken, and the academy's quota with room."""

    reserved: int
    quota_id: int | None


def quota_state(session: Session, academy_id: int | None, now: datetime) -> QuotaState:
    """Reserved seats unused on the session, and `academy_id`'s open quota if it has room."""
    if not quotas_open(session, now):
        return QuotaState(0, None)
    params = {"session_id": session.id, "now": now, "academy_id": academy_id}
    reserved, quota_id = db.session.connection().execute(_QUOTA_STATE_QUERY, params).one()
    return QuotaState(int(reserved or 0), quota_id)


def open_quotas(session: Session | SeatWindow, now: datetime) -> list[SeatQuota]:
    """The session's open quotas, oldest first (none without reading when none is open)."""
    if not quotas_open(session, now):
        return []
    return list(
        db.session.execute(
            db.select(SeatQuota)
            .where(SeatQuota.session_id == session.id, SeatQuota.deadline > now)
            .order_by(SeatQuota.id)
        ).scalars()
    )


def quota_taken(quota_id: int, now: datetime) -> int:
    """Seats of the quota taken now (confirmed, or held and not run out)."""
    return int(db.session.execute(db.select(quota_used(quota_id, now))).scalar_one())


def quota_room(quota: SeatQuota, now: datetime) -> int:
    """Seats of the quota not taken yet."""
    return max(0, quota.seats - quota_taken(quota.id, now))
