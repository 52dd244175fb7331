"""VTIMEZONE blocks built for the dates a feed actually covers.

icalendar's default range (1970-2038) gives zones such as Asia/Almaty a dozen
STANDARD blocks, and Outlook reads only the one with the latest start (and may refuse
several). Built for the span of the events that use the zone, our zones get exactly
one STANDARD block; the span comes from the data, so the output does not change from
one day to the next while the events stay the same.

A local time that happens twice (the night clocks go back) cannot name one instant:
RFC 5545 reads the first occurrence, Thunderbird's ical.js the second. An event whose
start or end falls in such an hour is written in UTC (both times, so the pair reads
alike everywhere) and needs no VTIMEZONE. Times read from UTC never fall in a skipped
hour. Each VTIMEZONE covers every instant its events use: an end just after a change
of offset brings the change in (its onset is written in the earlier offset's date).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Component, Timezone
from icalendar.timezone.tzid import is_utc as icalendar_writes_utc

from webinars.domain.sessions.timezones import zone_info

# Zones that mean UTC are written as UTC times ("...Z"), never as TZID=UTC.
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Zulu", "UCT", "Zulu", "GMT", "Etc/GMT"})


@lru_cache(maxsize=1024)
def is_utc_zone(zone: str) -> bool:
    """True for zone names that are plain UTC, and for zones icalendar writes as UTC
    times because they have always been UTC (e.g. Africa/Abidjan): such an event gets
    no VTIMEZONE."""
    return zone in UTC_ZONES or icalendar_writes_utc(zone_info(zone))


def is_ambiguous(moment: datetime, zone: str) -> bool:
    """True when `moment`'s local time in `zone` happens twice (clocks going back)."""
    local = moment.astimezone(zone_info(zone))
    other = local.replace(fold=1 - local.fold)
    return other.astimezone(UTC) != local.astimezone(UTC)


def written_zone(zone: str, start: datetime, end: datetime) -> str | None:
    """The TZID an event from `start` to `end` is written in, or None for UTC times.

    UTC zones are written in UTC; so is an event whose start or end is a local time
    that happens twice in `zone`, which no TZID can pin to the stored instant, or lies
    within a day of a change of offset, where clients read local times differently.
    """
    if is_utc_zone(zone) or is_ambiguous(start, zone) or is_ambiguous(end, zone):
        return None
    if near_offset_change(start, zone) or near_offset_change(end, zone):
        return None
    return zone


NEAR = timedelta(days=1)


def near_offset_change(moment: datetime, zone: str) -> bool:
    """True when `zone` changes its offset within a day of `moment`.

    Readers disagree on local times in the hours after a change: Mozilla's ical.js
    (Thunderbird) read 03:31 on Berlin's autumn night as 01:31Z where RFC 5545 and the
    other parsers say 02:31Z. Such an event is written in UTC, which every reader takes
    as it is (clients show it in their own zone anyway).
    """
    tz = zone_info(zone)
    offsets = {(moment + step).astimezone(tz).utcoffset() for step in (-NEAR, timedelta(0), NEAR)}
    return len(offsets) > 1


def _local_dates(start: datetime, end: datetime, zone: str) -> tuple[date, date]:
    """The first and last local dates a VTIMEZONE needs for an event in `zone`.

    Offset changes are dated in the offset before them, so the instants are read in
    each offset in effect at the start or the end, and the widest dates are kept.
    """
    tz = zone_info(zone)
    offsets = {start.astimezone(tz).utcoffset(), end.astimezone(tz).utcoffset()}
    naive_start = start.astimezone(UTC).replace(tzinfo=None)
    naive_end = end.astimezone(UTC).replace(tzinfo=None)
    first = min((naive_start + offset).date() for offset in offsets if offset is not None)
    last = max((naive_end + offset).date() for offset in offsets if offset is not None)
    return first, last


def zone_spans(moments: Iterable[tuple[str, datetime, datetime]]) -> dict[str, tuple[date, date]]:
    """For (zone, start, end) triples: each zone's first and last local date, sorted by zone.

    Events written in UTC (`written_zone` None) need no zone and are left out.
    """
    spans: dict[str, tuple[date, date]] = {}
    for zone, start, end in moments:
        if written_zone(zone, start, end) is None:
            continue
        first, last = _local_dates(start, end, zone)
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
    for observance in component.subcomponents:
        _one_rdate_per_line(observance)
    return component


def _one_rdate_per_line(observance: Component) -> None:
    """Write each RDATE of an observance as its own property.

    icalendar joins them on one line (RDATE:20250330T030000,20260329T030000), and
    Mozilla's ical.js (Thunderbird) reads only the first value: after it, every later
    change of offset was missed and times were read an hour off.
    """
    values = observance.get("RDATE")
    if values is None:
        return
    moments = [
        moment
        for value in (values if isinstance(values, list) else [values])
        for moment in value.dts
    ]
    observance.pop("RDATE")
    for moment in moments:
        observance.add("rdate", moment.dt)


def vtimezones(moments: Iterable[tuple[str, datetime, datetime]]) -> list[Timezone]:
    """The VTIMEZONEs for a set of events, one per zone, in zone-name order."""
    return [build_vtimezone(zone, *span) for zone, span in zone_spans(moments).items()]
