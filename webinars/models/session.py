"""Sessions (guest lectures, webinars, master classes) and what hangs off them."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.academy import PartnerAcademy
    from webinars.models.user import User


class SessionKind(enum.StrEnum):
    GUEST_LECTURE = "guest_lecture"
    WEBINAR = "webinar"
    MASTER_CLASS = "master_class"


class SessionStatus(enum.StrEnum):
    """Stored status. "finished" is not stored: it follows from the clock."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    PARTNERS = "partners"


class Direction(enum.StrEnum):
    """Who teaches whom, for the cooperation report."""

    OUTGOING = "outgoing"  # home staff teaching a partner's students
    INCOMING = "incoming"  # a partner's guest speaker teaching home students
    JOINT = "joint"  # both teach


class Conference(enum.StrEnum):
    """How people join: a Zoom meeting the app manages, a pasted link, or in person."""

    ZOOM = "zoom"
    LINK = "link"
    NONE = "none"


session_lecturers = Table(
    "session_lecturers",
    db.metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)

session_academies = Table(
    "session_academies",
    db.metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("academy_id", ForeignKey("partner_academies.id"), primary_key=True, index=True),
)


class Session(db.Model):
    """One scheduled event. Times are UTC; `time_zone` is the organiser's IANA zone."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_starts_at_ends_at", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_zone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int | None]
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[SessionStatus] = mapped_column(enum_type(SessionStatus), index=True)
    visibility: Mapped[Visibility] = mapped_column(enum_type(Visibility))
    conference: Mapped[Conference] = mapped_column(enum_type(Conference), default=Conference.LINK)
    join_url: Mapped[str | None] = mapped_column(String(500))
    # Derived from the speakers on every save (domain.sessions.direction) unless staff
    # corrected it, which `direction_corrected` remembers.
    direction: Mapped[Direction] = mapped_column(
        enum_type(Direction), default=Direction.OUTGOING, server_default=Direction.OUTGOING.value
    )
    direction_corrected: Mapped[bool] = mapped_column(default=False, server_default=false())
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column(default=0)
    # The latest deadline of the session's seat quotas, None without any: kept in step by
    # domain.partners.quotas under the session's lock, so that a registration reads it with
    # the lock and skips counting quota seats when no quota is open (most sessions).
    quotas_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    lecturers: Mapped[list[User]] = relationship(secondary=session_lecturers, order_by="User.name")
    academies: Mapped[list[PartnerAcademy]] = relationship(
        secondary=session_academies, order_by="PartnerAcademy.name_en"
    )
    guest_speakers: Mapped[list[GuestSpeaker]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="GuestSpeaker.position"
    )
    audit_entries: Mapped[list[AuditEntry]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="AuditEntry.at.desc(), AuditEntry.id.desc()",
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED

    def is_finished(self, now: datetime | None = None) -> bool:
        """Finished follows from the clock, never from a stored flag."""
        return not self.is_cancelled and (now or utcnow()) >= self.ends_at

    def display_status(self, now: datetime | None = None) -> str:
        """draft, scheduled, cancelled, or finished."""
        if self.is_finished(now):
            return "finished"
        return self.status.value

    def __repr__(self) -> str:
        return f"<Session {self.id} {self.title!r}>"


class GuestSpeaker(db.Model):
    """A speaker from outside the department, maybe from a partner academy."""

    __tablename__ = "guest_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: a feed reads the guests of its sessions by session id (without the index
    # PostgreSQL scanned the whole table, so a feed cost more as the years went by).
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str | None] = mapped_column(String(300))
    academy_id: Mapped[int | None] = mapped_column(ForeignKey("partner_academies.id"))
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship(back_populates="guest_speakers")
    academy: Mapped[PartnerAcademy | None] = relationship()


class AuditEntry(db.Model):
    """Who changed what on a session, and when. `changes` maps field -> [old, new]."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    session: Mapped[Session] = relationship(back_populates="audit_entries")
    user: Mapped[User | None] = relationship()
