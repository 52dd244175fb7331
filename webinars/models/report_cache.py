"""Report figures already counted, kept until something they cover changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webinars.extensions import db
from webinars.models.types import UTCDateTime, utcnow


class ReportCache(db.Model):
    """One period's figures for one scope ("all" or an academy), as JSON.

    Deleted when a session of the period (or its registrations, speakers or attendance)
    changes; `valid_until` is when the next session of the period ends, after which the
    figures would change by themselves.
    """

    __tablename__ = "report_cache"
    __table_args__ = (Index("ix_report_cache_period", "period_start", "period_end"),)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
