"""The host's start link: read from Zoom when a lecturer clicks, never stored.

Zoom's ``start_url`` signs the host in and expires after about two hours, so it is
fetched afresh each time and handed straight to the browser: never kept in the
database, a feed or an email. This read is the one Zoom call a page may make.
"""

from __future__ import annotations

from webinars.domain.zoom.settings import meeting_record
from webinars.models import Session
from webinars.zoom import ZoomClient, ZoomError


class StartLinkUnavailable(Exception):
    """No start link now; ``reason`` is ``"not_ready"`` or ``"zoom"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fresh_start_url(session: Session, client: ZoomClient) -> str:
    """A start link for the session's meeting, straight from Zoom."""
    record = meeting_record(session.id)
    if session.is_cancelled or record is None or record.meeting_id is None:
        raise StartLinkUnavailable("not_ready")
    try:
        meeting = client.get_meeting(record.meeting_id)
    except ZoomError as exc:
        raise StartLinkUnavailable("zoom") from exc
    url = meeting.get("start_url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise StartLinkUnavailable("zoom")
    return url
