"""What the background worker reports about itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webinars.extensions import db
from webinars.models.types import UTCDateTime


class WorkerHeartbeat(db.Model):
    """The last time a worker ran its periodic tasks, so admins can see it is alive."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
