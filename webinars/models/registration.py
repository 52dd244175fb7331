"""Students' registrations for sessions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.academy import PartnerAcademy
    from webinars.models.session import Session


class RegistrationStatus(enum.StrEnum):
    """Where a registration stands. HELD and CONFIRMED take a seat; WAITING waits for one."""

    HELD = "held"  # a seat, kept until the address is confirmed or the hold expires
    CONFIRMED = "confirmed"  # a seat, address confirmed
    WAITING = "waiting"  # on the waiting list (address confirmed or not: see confirmed_at)
    CANCELLED = "cancelled"  # by the student, or removed by a lecturer
    EXPIRED = "expired"  # never confirmed in time


SEAT_STATUSES = (RegistrationStatus.HELD, RegistrationStatus.CONFIRMED)
ACTIVE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.WAITING)


class Registration(db.Model):
    """One person's registration for one session; the email is stored normalised.

    The manage link's token is never stored: `token_hash` (its SHA-256) finds the row, and
    `token_nonce` lets the server derive the same token again (with its secret key) for
    later emails. A new nonce
    revokes every link sent before. Personal columns are emptied after the retention period;
    the status, academy and dates stay for anonymous counts.
    """

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("session_id", "email", name="uq_registrations_session_id_email"),
        # Seats and run-out holds are counted as exact ranges of this one, e.g.
        # (session, held, hold_expires_at > now); see seats.snapshot.
        Index(
            "ix_registrations_session_id_status_hold_expires_at",
            "session_id",
            "status",
            "hold_expires_at",
        ),
        # A quota's seats taken, counted the same way (see seats.snapshot).
        Index(
            "ix_registrations_quota_id_status_hold_expires_at",
            "quota_id",
            "status",
            "hold_expires_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254))
    full_name: Mapped[str | None] = mapped_column(String(200))
    academy_id: Mapped[int | None] = mapped_column(ForeignKey("partner_academies.id"))
    academy_other: Mapped[str | None] = mapped_column(String(200))
    # The academy's reserved seat this registration holds (see SeatQuota), if any.
    quota_id: Mapped[int | None] = mapped_column(ForeignKey("seat_quotas.id", ondelete="SET NULL"))
    programme: Mapped[str | None] = mapped_column(String(200))
    year_of_study: Mapped[int | None]
    locale: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_nonce: Mapped[str | None] = mapped_column(String(64))
    # What the student was last told, so a change to the session is announced once.
    notified_sequence: Mapped[int | None]
    notified_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The SEQUENCE of the latest calendar REQUEST and CANCEL this person was sent: their
    # own CANCEL goes above every REQUEST they had, a later REQUEST above that CANCEL,
    # without raising the session's SEQUENCE (domain.calendars.invitations).
    request_sequence: Mapped[int | None]
    cancel_sequence: Mapped[int | None]
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[Session] = relationship()
    academy: Mapped[PartnerAcademy | None] = relationship()

    @property
    def has_seat(self) -> bool:
        return self.status in SEAT_STATUSES

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_confirmed_address(self) -> bool:
        return self.confirmed_at is not None

    def __repr__(self) -> str:
        return f"<Registration {self.id} session={self.session_id} {self.status.value}>"
