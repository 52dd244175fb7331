"""VTIMEZONE blocks built for the dates a feed actually covers.

icalendar's default range (1970-2038) gives zones such as Asia/Almaty a dozen
STANDARD blocks, and Outlook reads only the one with the latest start (and may refuse
several). Built for the span of the events that use the zone, our zones get exactly
one STANDARD block; the span comes from the data, so the output does not change from
one day to the next while the events stay the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone

# Zones that mean UTC are written as UTC times ("...Z"), never as TZID=UTC.
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Zulu", "UCT", "Zulu", "GMT", "Etc/GMT"})


def is_utc_zone(zone: str) -> bool:
    """True for zone names that are plain UTC."""
    return zone in UTC_ZONES


def zone_spans(moments: Iterable[tuple[str, datetime, datetime]]) -> dict[str, tuple[date, date]]:
    """For (zone, start, end) triples: each zone's first and last local date, sorted by zone."""
    spans: dict[str, tuple[date, date]] = {}
    for zone, start, end in moments:
        if is_utc_zone(zone):
            continue
        tz = ZoneInfo(zone)
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        if zone in spans:
            first, last = min(first, spans[zone][0]), max(last, spans[zone][1])
        spans[zone] = (first, last)
    return dict(sorted(spans.items()))


@lru_cache(maxsize=512)
def build_vtimezone(zone: str, first: date, last: date) -> Timezone:
    """One VTIMEZONE for `zone` valid from `first` through `last` (local dates).

    Remembered (building one walks the zone's transitions); callers must not change it.
    """
    component = Timezone.from_tzid(zone, first_date=first, last_date=last + timedelta(days=1))
    # The library's comment names the range in English; clients ignore it: keep it out.
    component.pop("COMMENT", None)
    return component


def vtimezones(moments: Iterable[tuple[str, datetime, datetime]]) -> list[Timezone]:
    """The VTIMEZONEs for a set of events, one per zone, in zone-name order."""
    return [build_vtimezone(zone, *span) for zone, span in zone_spans(moments).items()]
