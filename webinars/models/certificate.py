"""Certificates of attendance and of teaching, and the one layout the admin adjusts.

A certificate is the holder's record: it keeps its own copy of everything it says
(``data``, frozen at issue) and its PDF, so a later change to the session does not change
it, and it stays when registrants' personal data is forgotten (only the address it was
mailed to goes). ``issue_key`` (unique) names the holder within the session, so issuing
twice never gives a second number; a reissue moves the key to the new certificate.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow


class CertificateKind(enum.StrEnum):
    ATTENDANCE = "attendance"  # a student (registrant or walk-in) who attended
    TEACHING = "teaching"  # a lecturer or guest speaker who taught


class Certificate(db.Model):
    """One issued certificate."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public verification code (in the QR and the address): random, unguessable.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_type(CertificateKind))
    issue_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendance_entries.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    guest_speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("guest_speakers.id", ondelete="SET NULL")
    )
    holder_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    email: Mapped[str | None] = mapped_column(String(254))  # where it was mailed; forgotten
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what it says, frozen
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    # A student's request for a correction (e.g. a misspelt name), from the manage page.
    correction_request: Mapped[str | None] = mapped_column(Text)
    correction_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.kind.value}>"


class CertificateLayout(db.Model):
    """The certificates' layout, adjusted by an admin without code (one row; id 1)."""

    __tablename__ = "certificate_layouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str | None] = mapped_column(String(300))  # None: HOME_NAME
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_title: Mapped[str | None] = mapped_column(String(200))
    second_signatory_name: Mapped[str | None] = mapped_column(String(200))
    second_signatory_title: Mapped[str | None] = mapped_column(String(200))
    colour: Mapped[str] = mapped_column(String(7), default="#1f4e79")
    accent_colour: Mapped[str] = mapped_column(String(7), default="#c9a227")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
