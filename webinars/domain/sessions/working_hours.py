"""Working weeks: when the home department and each partner academy work, in their zones.

A place works on some ISO weekdays (1 Monday ... 7 Sunday), between an opening and a
closing time, maybe with a lunch break. A span of time is inside working hours in a
place when, read on the place's clock, it lies within one working day's hours and
misses the lunch break. Holidays and closures are another matter (see availability).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from webinars.domain.sessions.timezones import utc_to_local
from webinars.models import PartnerAcademy

DEFAULT_DAYS = frozenset({1, 2, 3, 4, 5})
DEFAULT_STARTS, DEFAULT_ENDS = time(9), time(18)


class WorkingWeekError(ValueError):
    """A working week that cannot be read (bad days, hours out of order)."""


@dataclass(frozen=True)
class WorkingWeek:
    """Working days (ISO weekdays) and hours on a place's own clock."""

    days: frozenset[int] = DEFAULT_DAYS
    starts: time = DEFAULT_STARTS
    ends: time = DEFAULT_ENDS
    lunch_starts: time | None = None
    lunch_ends: time | None = None

    def __post_init__(self) -> None:
        if not self.days or not self.days <= set(range(1, 8)):
            raise WorkingWeekError("working days are ISO weekdays 1 (Monday) to 7 (Sunday)")
        if not self.starts < self.ends:
            raise WorkingWeekError("the working day must end after it starts")
        if (self.lunch_starts is None) != (self.lunch_ends is None):
            raise WorkingWeekError("a lunch break needs both a start and an end")
        if self.lunch_starts is not None and not (
            self.starts <= self.lunch_starts < self.lunch_ends <= self.ends  # type: ignore[operator]
        ):
            raise WorkingWeekError("the lunch break must lie inside the working day")

    def works_on(self, day: date) -> bool:
        """True on a working weekday (holidays aside)."""
        return day.isoweekday() in self.days


@dataclass(frozen=True)
class Place:
    """Somewhere a session must suit: the home department or one partner academy."""

    key: str  # "home" or "academy-<id>"
    name: str
    city: str
    zone: str
    country: str
    week: WorkingWeek
    academy_id: int | None = None


def parse_days(text: str) -> frozenset[int]:
    """'12345' (or '1,2,3,4,5') -> {1, 2, 3, 4, 5}."""
    digits = [c for c in text if not c.isspace() and c != ","]
    if not digits or not all(c in "1234567" for c in digits):
        raise WorkingWeekError(f"working days {text!r}: use the digits 1 (Monday) to 7 (Sunday)")
    return frozenset(int(c) for c in digits)


def days_text(days: frozenset[int]) -> str:
    """{1, 2, 3, 4, 5} -> '12345', as stored."""
    return "".join(str(d) for d in sorted(days))


def parse_span(text: str) -> tuple[time, time] | None:
    """'09:00-18:00' -> (09:00, 18:00); '' -> None."""
    text = text.strip()
    if not text:
        return None
    try:
        first, last = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as exc:
        raise WorkingWeekError(f"hours {text!r}: write them as 09:00-18:00") from exc
    return first, last


def home_place(config: Mapping[str, Any]) -> Place:
    """The home department, from its settings (HOME_* in config.py)."""
    hours = parse_span(config["HOME_WORK_HOURS"]) or (DEFAULT_STARTS, DEFAULT_ENDS)
    lunch = parse_span(config["HOME_LUNCH_BREAK"]) or (None, None)
    week = WorkingWeek(parse_days(config["HOME_WORK_DAYS"]), *hours, *lunch)
    return Place(
        key="home",
        name=config["HOME_NAME"],
        city=config["HOME_CITY"],
        zone=config["HOME_TIME_ZONE"],
        country=config["HOME_COUNTRY"].upper(),
        week=week,
    )


def academy_week(academy: PartnerAcademy) -> WorkingWeek:
    """An academy's stored working week (defaults where a column is empty)."""
    return WorkingWeek(
        parse_days(academy.work_days or "12345"),
        academy.work_starts or DEFAULT_STARTS,
        academy.work_ends or DEFAULT_ENDS,
        academy.lunch_starts,
        academy.lunch_ends,
    )


def academy_place(academy: PartnerAcademy, locale: str | None) -> Place:
    """A partner academy as a place, named in the viewer's language."""
    return Place(
        key=f"academy-{academy.id}",
        name=academy.name_in(locale),
        city=academy.city,
        zone=academy.time_zone,
        country=(academy.country or "").upper(),
        week=academy_week(academy),
        academy_id=academy.id,
    )


@dataclass(frozen=True)
class OffHours:
    """Why a span is outside a place's working hours, on the place's clock."""

    place: Place
    local_start: datetime
    local_end: datetime
    reason: str  # "day_off" (not a working weekday), "early", "late", "lunch"


def outside_hours(place: Place, starts_at: datetime, ends_at: datetime) -> OffHours | None:
    """None when [starts_at, ends_at) lies inside one of the place's working days."""
    start = utc_to_local(starts_at, place.zone)
    end = utc_to_local(ends_at, place.zone)
    week = place.week

    def off(reason: str) -> OffHours:
        return OffHours(place, start, end, reason)

    if not week.works_on(start.date()):
        return off("day_off")
    if start.time() < week.starts:
        return off("early")
    # The day's closing time as a moment, so a span running past midnight is late.
    closes = datetime.combine(start.date(), week.ends, tzinfo=start.tzinfo)
    if end > closes:
        return off("late")
    if week.lunch_starts is not None and week.lunch_ends is not None:
        lunch_from = datetime.combine(start.date(), week.lunch_starts, tzinfo=start.tzinfo)
        lunch_to = datetime.combine(start.date(), week.lunch_ends, tzinfo=start.tzinfo)
        if start < lunch_to and end > lunch_from:
            return off("lunch")
    return None
