"""A session's time in the places that matter: home, each academy, and the viewer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webinars.domain.sessions.timezones import PlaceTime, times_in_places
from webinars.models import Session


def session_places(
    session: Session, config: Mapping[str, Any], viewer_zone: str | None
) -> list[PlaceTime]:
    """'14:00 Samarkand · 13:00 Izhevsk · 14:00 Shymkent', then the viewer's own zone.

    The session's own zone comes first when it is not home's, labelled by the city of an
    involved academy in that zone if there is one.
    """
    places: list[tuple[str, str]] = [(config["HOME_CITY"], config["HOME_TIME_ZONE"])]
    academy_places = [(a.city, a.time_zone) for a in session.academies]
    if session.time_zone != config["HOME_TIME_ZONE"]:
        own = next((p for p in academy_places if p[1] == session.time_zone), None)
        places.insert(
            0, own or (session.time_zone.rsplit("/", 1)[-1].replace("_", " "), session.time_zone)
        )
    places.extend(academy_places)
    return times_in_places(session.starts_at, places, viewer_zone)
