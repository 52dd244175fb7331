"""Time zones: the edge where local wall-clock times become UTC and back.

A misread zone is the commonest failure when scheduling across countries, so every
conversion happens here, refuses ambiguity, and every displayed time carries a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class LocalTimeError(ValueError):
    """A wall-clock time that does not exist, or exists twice, in a zone."""


@cache
def _zones() -> frozenset[str]:
    return frozenset(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


@cache
def zone_info(name: str) -> ZoneInfo:
    """ZoneInfo(name), held for the life of the process.

    ZoneInfo keeps only its eight most recently used zones alive by itself; a schedule
    page over forty academies' zones read their files from disk again on every request.
    A name that is no zone raises, as ZoneInfo does, and is not kept.
    """
    return ZoneInfo(name)


def is_valid_zone(name: str | None) -> bool:
    """True for an IANA zone name such as 'Asia/Samarkand'."""
    if not name or name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def all_zones() -> list[str]:
    """Every selectable IANA zone, sorted."""
    return sorted(_zones())


def local_to_utc(local: datetime, zone: str) -> datetime:
    """Read a naive wall-clock time in `zone` and return it in UTC.

    Raises LocalTimeError for a time skipped by a clock change (it never happens) or
    repeated by one (it happens twice): the person must pick another time.
    """
    if local.tzinfo is not None:
        raise ValueError("local_to_utc expects a naive wall-clock time")
    tz = zone_info(zone)
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Either a gap (neither maps back to `local`) or an overlap (both do).
        back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back != local:
            raise LocalTimeError("skipped")
        raise LocalTimeError("repeated")
    return first.astimezone(UTC)


def day_start_utc(day: date, zone: str) -> datetime | None:
    """The first moment of `day` in `zone`, in UTC; None beyond the calendar's ends.

    For date filters, not for entered times: where the clocks skip midnight (Chile,
    Cuba) the day starts at the first minute that exists, so nothing is refused.
    """
    try:
        return datetime.combine(day, time.min, tzinfo=zone_info(zone)).astimezone(UTC)
    except OverflowError:
        return None


def day_end_utc(day: date, zone: str) -> datetime | None:
    """The first moment after `day` in `zone`, in UTC; None beyond the calendar's ends."""
    try:
        return day_start_utc(day + timedelta(days=1), zone)
    except OverflowError:
        return None


def utc_to_local(moment: datetime, zone: str) -> datetime:
    """The aware local time of a UTC moment in `zone`.

    A naive value is refused: astimezone() would read it in the server's own zone.
    """
    if moment.tzinfo is None:
        raise ValueError("utc_to_local expects an aware datetime, not a naive one")
    return moment.astimezone(zone_info(zone))


def utc_offset_label(moment: datetime, zone: str) -> str:
    """'UTC+05:00' for the zone's offset at that moment."""
    offset = utc_to_local(moment, zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def city_of_zone(zone: str) -> str:
    """A readable city from a zone name: 'Europe/Samara' -> 'Samara'."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@dataclass(frozen=True)
class PlaceTime:
    """A moment as seen in one place: '13:00 Izhevsk'."""

    label: str
    zone: str
    local: datetime
    is_viewer: bool = False


def times_in_places(
    moment: datetime,
    places: list[tuple[str, str]],
    viewer_zone: str | None = None,
    viewer_label: str | None = None,
) -> list[PlaceTime]:
    """The moment in each (label, zone) place, in order, one entry per distinct label.

    The viewer's own zone is added last (marked) unless one of the places already
    shares it, in which case that place is marked as the viewer's.
    """
    result: list[PlaceTime] = []
    seen_labels: set[str] = set()
    viewer_covered = False
    for label, zone in places:
        if label in seen_labels or not is_valid_zone(zone):
            continue
        seen_labels.add(label)
        is_viewer = viewer_zone == zone
        viewer_covered = viewer_covered or is_viewer
        result.append(PlaceTime(label, zone, utc_to_local(moment, zone), is_viewer))
    if viewer_zone and is_valid_zone(viewer_zone) and not viewer_covered:
        label = viewer_label or city_of_zone(viewer_zone)
        result.append(PlaceTime(label, viewer_zone, utc_to_local(moment, viewer_zone), True))
    return result
