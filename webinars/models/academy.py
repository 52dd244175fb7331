"""Partner academies abroad."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinars.extensions import db
from webinars.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from webinars.models.user import User


def localized_name(locale: str | None, en: str, ru: str | None, uz: str | None) -> str:
    """A name in a locale, falling back to English (also for name columns read alone)."""
    return {"ru": ru, "uz": uz}.get(locale or "en") or en


class PartnerAcademy(db.Model):
    """A partner institution. Archived academies keep their sessions and history."""

    __tablename__ = "partner_academies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))
    name_uz: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    city: Mapped[str] = mapped_column(String(100))
    city_ru: Mapped[str | None] = mapped_column(String(100))
    city_uz: Mapped[str | None] = mapped_column(String(100))
    time_zone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    # The working week in the academy's own zone: ISO weekdays ("12345" = Monday to Friday),
    # opening hours and an optional lunch break. Read by domain/sessions/working_hours.py.
    work_days: Mapped[str] = mapped_column(String(7), default="12345")
    work_starts: Mapped[time] = mapped_column(Time, default=time(9))
    work_ends: Mapped[time] = mapped_column(Time, default=time(18))
    lunch_starts: Mapped[time | None] = mapped_column(Time)
    lunch_ends: Mapped[time | None] = mapped_column(Time)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moves on every change, so cached calendar feeds that show the name see it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    coordinators: Mapped[list[User]] = relationship(back_populates="academy")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def name_in(self, locale: str | None) -> str:
        """The academy's name in a locale, falling back to English."""
        return localized_name(locale, self.name_en, self.name_ru, self.name_uz)

    def city_in(self, locale: str | None) -> str:
        """The academy's city in a locale, falling back to English: 'Ижевск'."""
        return localized_name(locale, self.city, self.city_ru, self.city_uz)

    def __repr__(self) -> str:
        return f"<PartnerAcademy {self.slug}>"
