"""Students' registrations for sessions, and the mail outbox that tells them about it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254))
    full_name: Mapped[str | None] = mapped_column(String(200))
    academy_id: Mapped[int | None] = mapped_column(ForeignKey("partner_academies.id"))
    academy_other: Mapped[str | None] = mapped_column(String(200))
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


class MailStatus(enum.StrEnum):
    """An outbox message's life: PENDING until a worker claims it, then SENT or FAILED."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # refused for good (a bad address); shown on the outbox page
    DROPPED = "dropped"  # no longer wanted before it went out (e.g. a reminder, session moved)


class OutboxMessage(db.Model):
    """One email to send. The table is the source of truth: the worker only delivers it.

    A row is queued as an intent (kind, recipient, registration, `params`) inside the
    transaction that made the news, and rendered by the worker right before it is sent,
    from the data as it is then; the rendered subject and bodies are kept with the row.
    `dedupe_key` (unique) keeps the same announcement from being queued twice, e.g. one
    reminder per registration and start time. `message_id` stays the same across retries.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    subject: Mapped[str | None] = mapped_column(String(300))
    text_body: Mapped[str | None] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(100))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[MailStatus] = mapped_column(enum_type(MailStatus), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    registration: Mapped[Registration | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status.value}>"
