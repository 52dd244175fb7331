"""How people join a session: the one place that knows where the join link lives."""

from __future__ import annotations

from webinars.models import Conference, Session


def join_link(session: Session) -> str | None:
    """The link participants use to join, or None (in person, or not ready yet).

    Only for people allowed to see it: lecturers, admins, coordinators of involved
    academies and confirmed registrants. Never for public pages or public feeds.
    """
    if session.is_cancelled:
        return None
    if session.conference is Conference.LINK:
        return session.join_url
    return None
