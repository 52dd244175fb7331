"""What the public "International cooperation" page may show, as admins chose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from webinars.extensions import db
from webinars.models.types import UTCDateTime, utcnow


class CooperationPageSettings(db.Model):
    """One row (id 1). Partners appear when one of their agreements is marked public."""

    __tablename__ = "cooperation_page_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_sessions: Mapped[bool] = mapped_column(default=True)
    show_partner_count: Mapped[bool] = mapped_column(default=True)
    show_students: Mapped[bool] = mapped_column(default=True)
    show_lecturers_abroad: Mapped[bool] = mapped_column(default=True)
    # Partners-only sessions are never listed; counted in the figures only if allowed.
    count_partners_only: Mapped[bool] = mapped_column(default=False)
    years_shown: Mapped[int] = mapped_column(default=4)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
