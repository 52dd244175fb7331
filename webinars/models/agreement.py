"""Agreements between the department and a partner academy."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.academy import PartnerAcademy


class AgreementKind(enum.StrEnum):
    MEMORANDUM = "memorandum"  # memorandum of understanding
    MOBILITY = "mobility"  # academic-mobility agreement
    JOINT_PROGRAMME = "joint_programme"
    OTHER = "other"


class Agreement(db.Model):
    """One signed agreement with a partner academy, and its scanned document if any.

    The document lives on disk outside the web root under `document_key` (a random name,
    never the uploader's); `document_name` is only what a download is called. In force
    from `signed_on` to `expires_on` inclusive; no expiry date: until terminated.
    """

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    academy_id: Mapped[int] = mapped_column(ForeignKey("partner_academies.id"), index=True)
    kind: Mapped[AgreementKind] = mapped_column(enum_type(AgreementKind))
    number: Mapped[str | None] = mapped_column(String(100))
    signed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    home_responsible: Mapped[str | None] = mapped_column(String(200))
    partner_responsible: Mapped[str | None] = mapped_column(String(200))
    # The partner may be named on the public "International cooperation" page.
    is_public: Mapped[bool] = mapped_column(default=False)
    document_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    academy: Mapped[PartnerAcademy] = relationship()

    def in_force_on(self, day: date) -> bool:
        """Signed by then and not yet expired."""
        return self.signed_on <= day and (self.expires_on is None or day <= self.expires_on)

    def __repr__(self) -> str:
        return f"<Agreement {self.id} {self.kind.value} academy={self.academy_id}>"
