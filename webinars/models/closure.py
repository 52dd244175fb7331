"""One-off closures: days an academy (or the home department) does not work."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from webinars.models.academy import PartnerAcademy
    from webinars.models.user import User


class Closure(db.Model):
    """An exam week or a local holiday: whole days, inclusive, in the place's own calendar.

    `academy_id` None means the home department.
    """

    __tablename__ = "closures"
    __table_args__ = (Index("ix_closures_starts_on_ends_on", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    academy_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_academies.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    academy: Mapped[PartnerAcademy | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Closure {self.academy_id} {self.starts_on}..{self.ends_on}>"
