"""What each feed last answered with, so that its Last-Modified never goes back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webinars.extensions import db
from webinars.models.types import UTCDateTime


class FeedVersion(db.Model):
    """One feed's (or download's) latest body hash and the Last-Modified given with it.

    `key` is the SHA-256 of the feed's identity (which feed, filters, language; never a
    token). A new body gets a Last-Modified after the stored one, whatever the data says.
    """

    __tablename__ = "feed_versions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    etag: Mapped[str] = mapped_column(String(64))
    last_modified: Mapped[datetime] = mapped_column(UTCDateTime)
