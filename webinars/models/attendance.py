"""Attendance: who was at a session, per registrant (and walk-in), and the session's rule.

No business rules here (see webinars.domain.attendance). A row of ``attendance_entries``
exists for a registrant once something was recorded about them (a check-in, an override,
a confirmed Zoom name) or once the sheet was finalised; walk-ins only ever exist as rows.
``attended`` and ``minutes`` are the outcome frozen at finalisation, which stays when the
details (names, Zoom matches, reasons) are forgotten.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.registration import Registration
    from webinars.models.session import Session
    from webinars.models.user import User


class Presence(enum.StrEnum):
    """A lecturer's override of the rule."""

    ATTENDED = "attended"
    ABSENT = "absent"


class AttendanceSheet(db.Model):
    """A session's attendance rule and whether its list is final (one row per session)."""

    __tablename__ = "attendance_sheets"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    # Attended when present at least this share (percent) of the session's minutes.
    share_percent: Mapped[int] = mapped_column(default=70)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[Session] = relationship()
    finalised_by: Mapped[User | None] = relationship()

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


class AttendanceEntry(db.Model):
    """What is recorded about one person's presence at one session."""

    __tablename__ = "attendance_entries"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "registration_id", name="uq_attendance_entries_session_id_registration_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )
    # Walk-ins (present, never registered): their own name, address and language.
    walk_in: Mapped[bool] = mapped_column(default=False)
    full_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str | None] = mapped_column(String(8))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override: Mapped[Presence | None] = mapped_column(enum_type(Presence))
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    overridden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The outcome frozen when the sheet is finalised (kept after the details are forgotten).
    attended: Mapped[bool | None]
    minutes: Mapped[int | None]
    forgotten_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration | None] = relationship()
    zoom_names: Mapped[list[ZoomNameMatch]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="ZoomNameMatch.zoom_name"
    )

    def __repr__(self) -> str:
        return f"<AttendanceEntry {self.id} session={self.session_id} reg={self.registration_id}>"


class ZoomNameMatch(db.Model):
    """A lecturer confirmed that a Zoom participant known only by name is this person."""

    __tablename__ = "attendance_zoom_names"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "zoom_name", name="uq_attendance_zoom_names_session_id_zoom_name"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("attendance_entries.id", ondelete="CASCADE"), index=True
    )
    zoom_name: Mapped[str] = mapped_column(String(200))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[AttendanceEntry] = relationship(back_populates="zoom_names")
