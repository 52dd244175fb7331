"""Secret addresses of private calendar feeds (academy coordinators, students)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.academy import PartnerAcademy


class FeedScope(enum.StrEnum):
    """Whose feed a token opens."""

    ACADEMY = "academy"  # an academy's private feed, for its coordinators (and admins)
    PERSONAL = "personal"  # one student's registered sessions


class FeedToken(db.Model):
    """One private feed address. The token itself is never stored, only its SHA-256.

    `subject` says who the token belongs to: "user:<id>" for a staff member's academy
    feed, a normalised email for a student's personal feed. `prefix` is the first few
    characters of the token, safe to show so that owners can tell their addresses apart.
    """

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[FeedScope] = mapped_column(enum_type(FeedScope))
    academy_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_academies.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str | None] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    academy: Mapped[PartnerAcademy | None] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<FeedToken {self.id} {self.scope.value} {self.prefix}…>"
