"""A session's time in the places that matter: the reader's, home, each academy, the viewer.

Every label is a city name in the reader's language: an academy's own names (city_ru,
city_uz), the department's from its settings or CLDR, any other zone's from CLDR.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webinars.domain.sessions.timezones import PlaceTime, times_in_places
from webinars.domain.sessions.zone_names import zone_city
from webinars.models import PartnerAcademy, Session


def in_language(config: Mapping[str, Any], name: str, locale: str | None) -> str | None:
    """A setting in a language: NAME_RU / NAME_UZ when set, else NAME itself."""
    return config.get(f"{name}_{(locale or 'en').upper()}") or config.get(name)


def home_name(config: Mapping[str, Any], locale: str | None) -> str:
    """The department's name in a language (HOME_NAME_RU ...; HOME_NAME by default)."""
    return in_language(config, "HOME_NAME", locale) or ""


def home_city(config: Mapping[str, Any], locale: str | None) -> str:
    """The department's city in a language: HOME_CITY_RU / HOME_CITY_UZ when set; else, when
    HOME_CITY is its zone's own city (the default, Samarkand), CLDR's name for it."""
    locale = locale or "en"
    if named := config.get(f"HOME_CITY_{locale.upper()}"):
        return named
    zone = config["HOME_TIME_ZONE"]
    if locale != "en" and config["HOME_CITY"] == zone_city(zone, "en"):
        return zone_city(zone, locale)
    return config["HOME_CITY"]


def session_places(
    session: Session,
    config: Mapping[str, Any],
    viewer_zone: str | None,
    locale: str | None = None,
    chosen: PartnerAcademy | None = None,
) -> list[PlaceTime]:
    """'15:00 Izhevsk · 14:00 Samarkand · 14:00 Shymkent', then the viewer's own zone.

    `chosen` (the academy a student registers from) comes first: a student reads the
    time in their own place before any other. Then the session's own zone when it is not
    home's (labelled by the city of an involved academy in that zone if there is one),
    home, and each academy.
    """
    places: list[tuple[str, str]] = [(home_city(config, locale), config["HOME_TIME_ZONE"])]
    academy_places = [(a.city_in(locale), a.time_zone) for a in session.academies]
    if session.time_zone != config["HOME_TIME_ZONE"]:
        own = next((p for p in academy_places if p[1] == session.time_zone), None)
        places.insert(0, own or (zone_city(session.time_zone, locale or "en"), session.time_zone))
    places.extend(academy_places)
    if chosen is not None:
        places.insert(0, (chosen.city_in(locale), chosen.time_zone))
    viewer_label = zone_city(viewer_zone, locale or "en") if viewer_zone else None
    return times_in_places(session.starts_at, places, viewer_zone, viewer_label)


def session_place(session: Session, config: Mapping[str, Any], locale: str | None) -> str:
    """The city the session's own clock is read in: an involved academy's in that zone,
    home's, or the zone's own city."""
    if session.time_zone == config["HOME_TIME_ZONE"]:
        return home_city(config, locale)
    for academy in session.academies:
        if academy.time_zone == session.time_zone:
            return academy.city_in(locale)
    return zone_city(session.time_zone, locale or "en")
