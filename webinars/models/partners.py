"""What partner academies do here besides watching: coordinators invited by email, and
lecture requests with their proposed times and history, seats reserved for an academy and
its coordinators' nominations."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.session import SessionKind
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.academy import PartnerAcademy
    from webinars.models.registration import Registration
    from webinars.models.session import Session
    from webinars.models.user import User


class CoordinatorInvitation(db.Model):
    """An admin's invitation to become a coordinator of an academy.

    The link's token is never stored: it is derived from `token_nonce` with the app's
    secret key (like a registration's manage link), and `token_hash` finds the row. The
    link works once (`accepted_at`), until `expires_at`, and not after `revoked_at`.
    """

    __tablename__ = "coordinator_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    academy_id: Mapped[int] = mapped_column(ForeignKey("partner_academies.id"))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    time_zone: Mapped[str] = mapped_column(String(64))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    academy: Mapped[PartnerAcademy] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def state(self, now: datetime | None = None) -> str:
        """open, accepted, revoked or expired."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if (now or utcnow()) >= self.expires_at:
            return "expired"
        return "open"

    def __repr__(self) -> str:
        return f"<CoordinatorInvitation {self.id} {self.email}>"


class LectureRequestStatus(enum.StrEnum):
    """Where a request stands, and so whose turn it is."""

    OPEN = "open"  # the staff's turn: accept, propose another time or decline
    PROPOSED = "proposed"  # the coordinator's turn: accept the staff's time or answer
    ACCEPTED = "accepted"  # a draft session was made from it
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # the academy took it back before it was accepted


class LectureRequest(db.Model):
    """A coordinator's request for a session for their academy's students.

    `waiting_since` is when the staff's turn began (None while it is not theirs): a
    request left there longer than LECTURE_REQUEST_OVERDUE_DAYS is overdue.
    """

    __tablename__ = "lecture_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    academy_id: Mapped[int] = mapped_column(ForeignKey("partner_academies.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    topic: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind))
    programme: Mapped[str | None] = mapped_column(String(200))
    year_of_study: Mapped[int | None]
    expected_students: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(8))
    preferred_lecturer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The zone the coordinator entered the windows in.
    time_zone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[LectureRequestStatus] = mapped_column(
        enum_type(LectureRequestStatus), index=True
    )
    decline_reason: Mapped[str | None] = mapped_column(Text)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    # The staff member who last answered (proposed a time, accepted, declined).
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    academy: Mapped[PartnerAcademy] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    preferred_lecturer: Mapped[User | None] = relationship(foreign_keys=[preferred_lecturer_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])
    session: Mapped[Session | None] = relationship()
    windows: Mapped[list[LectureRequestWindow]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        order_by="LectureRequestWindow.id",
    )
    events: Mapped[list[LectureRequestEvent]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        order_by="(LectureRequestEvent.at, LectureRequestEvent.id)",
    )

    def __repr__(self) -> str:
        return f"<LectureRequest {self.id} {self.status.value}>"


class LectureRequestWindow(db.Model):
    """A time that would suit: the coordinator's choices, or one the staff proposed."""

    __tablename__ = "lecture_request_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_requests.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    proposed_by_staff: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[LectureRequest] = relationship(back_populates="windows")


class LectureRequestEvent(db.Model):
    """One step of a request's history: who did what, when, and what they wrote."""

    __tablename__ = "lecture_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_requests.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # requested, accepted, proposed, declined, answered, proposal_accepted, withdrawn
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    window_id: Mapped[int | None] = mapped_column(
        ForeignKey("lecture_request_windows.id", ondelete="SET NULL")
    )

    request: Mapped[LectureRequest] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()
    window: Mapped[LectureRequestWindow | None] = relationship()


class SeatQuota(db.Model):
    """Seats of a session reserved for one academy's students until `deadline`.

    Counted with every other seat under the session's lock (domain.registration.seats):
    before the deadline, its unused seats are kept out of the general pool; from the
    deadline on they are general seats again (`released_at` notes that the waiting list
    was moved up for them). A registration that took one of its seats names it
    (Registration.quota_id).
    """

    __tablename__ = "seat_quotas"
    __table_args__ = (
        UniqueConstraint("session_id", "academy_id", name="uq_seat_quotas_session_id_academy_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    academy_id: Mapped[int] = mapped_column(ForeignKey("partner_academies.id"), index=True)
    seats: Mapped[int]
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[Session] = relationship()
    academy: Mapped[PartnerAcademy] = relationship()

    def is_open(self, now: datetime | None = None) -> bool:
        """Before its deadline: its unused seats are kept for the academy."""
        return (now or utcnow()) < self.deadline

    def __repr__(self) -> str:
        return f"<SeatQuota {self.id} session={self.session_id} academy={self.academy_id}>"


class Nomination(db.Model):
    """A coordinator put a student forward for a quota's seat. The student's details and
    place are their registration's (double opt-in, as on the public form)."""

    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    quota_id: Mapped[int] = mapped_column(
        ForeignKey("seat_quotas.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quota: Mapped[SeatQuota] = relationship()
    registration: Mapped[Registration] = relationship()
    nominated_by: Mapped[User | None] = relationship()
