"""Time zones as people name them: canonical zones by country, and city names per language.

The names come from data, not from hand-written lists: the zones and their countries
from the IANA database's zone.tab (shipped by the pinned `tzdata` package, so the list is
the same on every machine), the city and country names from CLDR through Babel, in the
interface's languages ("Europe/Samara" is "Samara", "Самара", "Samara"; "Asia/Samarkand"
is "Samarqand" in Uzbek). zone.tab lists each country's canonical zones only: old aliases
such as "Africa/Asmera" or "Asia/Calcutta" are not offered.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_timezone_location

from webinars.domain.sessions.timezones import city_of_zone, is_valid_zone


@cache
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """{ISO country code: its canonical zones}, from tzdata's zone.tab."""
    found: dict[str, list[str]] = {}
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        country, _coordinates, zone, *_comment = line.split("\t")
        if is_valid_zone(zone):
            found.setdefault(country, []).append(zone)
    return {country: tuple(zones) for country, zones in found.items()}


@cache
def canonical_zones() -> frozenset[str]:
    """Every zone a person may pick: the countries' canonical zones, plus UTC itself."""
    return frozenset(z for zones in zones_by_country().values() for z in zones)


@cache
def country_of_zone(zone: str) -> str | None:
    """The ISO code of the country a canonical zone belongs to (the first listed)."""
    for country, zones in zones_by_country().items():
        if zone in zones:
            return country
    return None


@cache
def zone_city(zone: str, locale: str) -> str:
    """The zone's city in a language: ('Asia/Samarkand', 'uz') -> 'Samarqand'."""
    try:
        name = get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True)
    except (LookupError, ValueError):
        name = None
    return name or city_of_zone(zone)


@cache
def country_name(code: str, locale: str) -> str:
    """A country's name in a language from its ISO code: ('KZ', 'ru') -> 'Казахстан'."""
    return Locale.parse(locale).territories.get(code.upper(), code)
