"""The Zoom part of staff pages: the meeting's state, links, attendance and recordings.

Templates call ``zoom_panel(session)``; it decides what the signed-in person may see.
Nothing here calls Zoom: it reads what the background sync and the webhooks stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_login import current_user

from webinars.domain.sessions.conferencing import can_see_join_link, can_start_meeting, join_link
from webinars.domain.zoom.reports import Attendee, attendance_summary, recordings_of
from webinars.domain.zoom.settings import meeting_record
from webinars.domain.zoom.status import MeetingStatus, meeting_status
from webinars.models import Conference, LiveStatus, Session, ZoomRecording, utcnow
from webinars.zoom.setup import zoom_setup


@dataclass
class ZoomPanel:
    """What one viewer sees of a session's meeting."""

    status: MeetingStatus | None = None
    may_see_link: bool = False
    join_url: str | None = None
    can_start: bool = False
    host_email: str | None = None
    live: str | None = None
    staff_view: bool = False  # the session's lecturers and admins: attendance, recordings
    attendance: list[Attendee] = field(default_factory=list)
    recordings: list[ZoomRecording] = field(default_factory=list)


def zoom_panel(session: Session) -> ZoomPanel:
    """The Zoom details of ``session`` that the signed-in person may see."""
    panel = ZoomPanel()
    if not current_user.is_authenticated:
        return panel
    if can_see_join_link(current_user, session):
        panel.may_see_link = True
        panel.join_url = join_link(session)
    record = meeting_record(session.id)
    if session.conference is Conference.ZOOM or record is not None:
        setup = zoom_setup(current_app.config)
        panel.status = meeting_status(session, record, setup, utcnow())
    if record is None:
        return panel
    panel.staff_view = can_start_meeting(current_user, session)
    panel.live = record.live_status.value if isinstance(record.live_status, LiveStatus) else None
    if panel.staff_view:
        panel.can_start = bool(record.meeting_id) and not session.is_cancelled
        panel.host_email = record.host_email
        panel.attendance = attendance_summary(session.id)
        panel.recordings = recordings_of(session.id)
    return panel


def init_app(app: Flask) -> None:
    """Offer ``zoom_panel`` to templates."""
    app.jinja_env.globals["zoom_panel"] = zoom_panel
