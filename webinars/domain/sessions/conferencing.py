"""How people join a session: the one place that knows where the join link lives."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from webinars.extensions import db
from webinars.models import Conference, MeetingState, Session, User, ZoomMeeting

# A meeting in these states exists in Zoom and its link works (a retry after a move
# leaves the old time in place, not a dead link).
_LINK_STATES = (MeetingState.READY, MeetingState.RETRYING, MeetingState.FAILED)


def meeting_link(record: ZoomMeeting | None) -> str | None:
    """The join link of a Zoom meeting record, while the meeting exists in Zoom."""
    if record is None or record.meeting_id is None or record.state not in _LINK_STATES:
        return None
    return record.join_url or None


def join_link(session: Session) -> str | None:
    """The link participants use to join, or None (in person, or not ready yet).

    Only for people allowed to see it: lecturers, admins, coordinators of involved
    academies and confirmed registrants (see ``can_see_join_link``). Never for public
    pages or public feeds. A Zoom session's link is its meeting's, once Zoom made it.
    """
    if session.is_cancelled:
        return None
    if session.conference is Conference.LINK:
        return session.join_url
    if session.conference is Conference.ZOOM:
        record = db.session.execute(
            db.select(ZoomMeeting).where(ZoomMeeting.session_id == session.id)
        ).scalar_one_or_none()
        return meeting_link(record)
    return None


def join_links(sessions: Iterable[Session]) -> dict[int, str | None]:
    """``join_link`` for many sessions in one query (feeds, lists)."""
    sessions = list(sessions)
    zoom_ids = [s.id for s in sessions if s.conference is Conference.ZOOM]
    records: dict[int, ZoomMeeting] = {}
    if zoom_ids:
        rows = db.session.execute(
            db.select(ZoomMeeting).where(ZoomMeeting.session_id.in_(zoom_ids))
        ).scalars()
        records = {r.session_id: r for r in rows}
    links: dict[int, str | None] = {}
    for session in sessions:
        if session.is_cancelled:
            links[session.id] = None
        elif session.conference is Conference.LINK:
            links[session.id] = session.join_url
        elif session.conference is Conference.ZOOM:
            links[session.id] = meeting_link(records.get(session.id))
        else:
            links[session.id] = None
    return links


def teaches(user: User, session: Session) -> bool:
    """True for the session's own lecturers."""
    return any(u.id == user.id for u in session.lecturers)


def can_see_join_link(user: User, session: Session) -> bool:
    """Staff who may see the join link: admins, the session's lecturers (and whoever
    created it), and coordinators of the academies taking part. Registrants get theirs
    from the registration pages and mails."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin or teaches(user, session) or session.created_by_id == user.id:
        return True
    return (
        user.is_coordinator
        and user.academy_id is not None
        and any(a.id == user.academy_id for a in session.academies)
    )


def can_start_meeting(user: User, session: Session) -> bool:
    """Only the session's lecturers and admins may have the host's start link."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_admin or teaches(user, session)


def link_label(url: str) -> str:
    """A join link as histories show it: where it leads, never the whole secret.

    Every lecturer may read a session's history, but only its own lecturers, admins and
    coordinators may have the link: ``https://zoom.us/j/8512345678?pwd=...`` becomes
    ``zoom.us/j/…5678``.
    """
    parts = urlsplit(url)
    head, _, last = parts.path.rpartition("/")
    shown = f"…{last[-4:]}" if len(last) > 4 else last
    return f"{parts.netloc}{head}/{shown}"
