"""Is a time good everywhere? Working hours, public holidays, closures and busy people.

A `Calendar` reads once, for a range of time, what every span inside it is judged
against: the places (home and the chosen academies), their closures (one indexed range
read) and the sessions of the chosen lecturers and academies (the overlap check's own
indexed range read, `find_conflicts`). Holidays come from the `holidays` package, cached
per country and year. So the number of queries never grows with the sessions stored,
whatever the span: one session's warnings, a week's grid, or four weeks of candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from webinars.domain.sessions.conflicts import Conflict, busy_spans, find_conflicts
from webinars.domain.sessions.public_holidays import days_between, holiday_on
from webinars.domain.sessions.timezones import utc_to_local, zone_info
from webinars.domain.sessions.working_hours import OffHours, Place, outside_hours
from webinars.extensions import db
from webinars.models import Closure, Session, SessionStatus

GRID_STEP = timedelta(hours=1)


@dataclass(frozen=True)
class DayOff:
    """A public holiday or a one-off closure touching a span in one place."""

    place: Place
    day: date  # on the place's own calendar
    name: str  # the holiday's name, or the closure's note
    is_closure: bool = False


@dataclass(frozen=True)
class Assessment:
    """What is wrong with one span of time, if anything."""

    starts_at: datetime
    ends_at: datetime
    off_hours: list[OffHours] = field(default_factory=list)
    days_off: list[DayOff] = field(default_factory=list)
    busy: list[Conflict] = field(default_factory=list)

    @property
    def is_good(self) -> bool:
        return not (self.off_hours or self.days_off or self.busy)

    @property
    def status(self) -> str:
        """The worst problem: busy, holiday, off_hours; or free."""
        if self.busy:
            return "busy"
        if self.days_off:
            return "holiday"
        if self.off_hours:
            return "off_hours"
        return "free"


@dataclass(frozen=True)
class ClosureSpan:
    """A closure as read: the place it closes and its days."""

    academy_id: int | None
    starts_on: date
    ends_on: date
    note: str


def read_closures(
    places: Sequence[Place], first: date, last: date
) -> dict[int | None, list[ClosureSpan]]:
    """Closures of these places touching [first, last]: one indexed range read."""
    academy_ids = [p.academy_id for p in places if p.academy_id is not None]
    query = db.select(Closure.academy_id, Closure.starts_on, Closure.ends_on, Closure.note).where(
        Closure.starts_on <= last, Closure.ends_on >= first
    )
    owners = Closure.academy_id.is_(None)
    if academy_ids:
        owners = owners | Closure.academy_id.in_(academy_ids)
    found: dict[int | None, list[ClosureSpan]] = {}
    for row in db.session.execute(query.where(owners)):
        found.setdefault(row.academy_id, []).append(ClosureSpan(*row))
    return found


@dataclass
class Calendar:
    """Everything spans within [starts_at, ends_at) are judged against, read once."""

    places: list[Place]
    locale: str | None
    closures: dict[int | None, list[ClosureSpan]]
    sessions: list[Conflict]
    # The busy (start, end) pairs: the sessions' own, or read alone (next_good_times).
    spans: list[tuple[datetime, datetime]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.spans:
            self.spans = [(c.session.starts_at, c.session.ends_at) for c in self.sessions]

    def days_off(self, place: Place, starts_at: datetime, ends_at: datetime) -> list[DayOff]:
        """Holidays and closures on any local day the span touches in `place`."""
        first = utc_to_local(starts_at, place.zone).date()
        last = utc_to_local(ends_at - timedelta(microseconds=1), place.zone).date()
        found = []
        for day in days_between(first, max(first, last)):
            if name := holiday_on(place.country, day, self.locale):
                found.append(DayOff(place, day, name))
            for closure in self.closures.get(place.academy_id, []):
                if closure.starts_on <= day <= closure.ends_on:
                    found.append(DayOff(place, day, closure.note, is_closure=True))
        return found

    def busy(self, starts_at: datetime, ends_at: datetime) -> list[Conflict]:
        """The chosen people's sessions overlapping the span."""
        return [
            c
            for c in self.sessions
            if c.session.starts_at < ends_at and c.session.ends_at > starts_at
        ]

    def is_good(self, starts_at: datetime, ends_at: datetime) -> bool:
        """assess(...).is_good, stopping at the first problem (many candidates fail)."""
        return not (
            any(outside_hours(p, starts_at, ends_at) for p in self.places)
            or any(self.days_off(p, starts_at, ends_at) for p in self.places)
            or any(start < ends_at and end > starts_at for start, end in self.spans)
        )

    def assess(self, starts_at: datetime, ends_at: datetime) -> Assessment:
        """Everything wrong with [starts_at, ends_at), place by place."""
        off = [o for p in self.places if (o := outside_hours(p, starts_at, ends_at))]
        days = [d for p in self.places for d in self.days_off(p, starts_at, ends_at)]
        return Assessment(starts_at, ends_at, off, days, self.busy(starts_at, ends_at))


def read_calendar(
    places: Sequence[Place],
    starts_at: datetime,
    ends_at: datetime,
    locale: str | None,
    lecturer_ids: Iterable[int] = (),
    academy_ids: Iterable[int] = (),
    exclude_session_id: int | None = None,
) -> Calendar:
    """Read what spans inside [starts_at, ends_at) are judged against (constant queries).

    Without lecturers and academies no session is read: only hours and days off count.
    """
    # A day either side: the places' calendars are a day ahead of or behind UTC.
    first = (starts_at - timedelta(days=1)).date()
    last = (ends_at + timedelta(days=1)).date()
    sessions = find_conflicts(
        starts_at, ends_at, lecturer_ids, academy_ids, exclude_session_id=exclude_session_id
    )
    return Calendar(list(places), locale, read_closures(places, first, last), sessions)


def assess_span(
    places: Sequence[Place], starts_at: datetime, ends_at: datetime, locale: str | None
) -> Assessment:
    """Hours, holidays and closures of one span (overlaps are find_conflicts' business)."""
    return read_calendar(places, starts_at, ends_at, locale).assess(starts_at, ends_at)


def slot_start(day: date, hour: int, zone: str) -> datetime | None:
    """The UTC moment of `hour`:00 on `day` in `zone`; None for an hour the clocks skip.

    An hour the clocks repeat counts once, at its first occurrence.
    """
    local = datetime.combine(day, time(hour), tzinfo=zone_info(zone))
    moment = local.astimezone(UTC)
    if moment.astimezone(zone_info(zone)).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return moment


@dataclass(frozen=True)
class Slot:
    """One start time on the grid, judged for the chosen duration."""

    local: datetime  # naive, in the grid's zone: what the form's start field takes
    assessment: Assessment

    @property
    def starts_at(self) -> datetime:
        return self.assessment.starts_at


@dataclass(frozen=True)
class WeekGrid:
    """Seven days by 24 hours in one zone; a cell is None where the clocks skip the hour."""

    zone: str
    days: list[date]
    cells: dict[tuple[date, int], Slot | None]
    places: list[Place]

    def row(self, hour: int) -> list[Slot | None]:
        return [self.cells[(day, hour)] for day in self.days]


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def week_grid(
    monday: date,
    zone: str,
    duration: timedelta,
    places: Sequence[Place],
    locale: str | None,
    lecturer_ids: Iterable[int] = (),
    academy_ids: Iterable[int] = (),
    exclude_session_id: int | None = None,
) -> WeekGrid:
    """Every hour of one week in `zone`, each judged as the start of a `duration` span."""
    days = [monday + timedelta(days=n) for n in range(7)]
    starts = {(d, h): slot_start(d, h, zone) for d in days for h in range(24)}
    moments = [m for m in starts.values() if m is not None]
    calendar = read_calendar(
        places,
        min(moments),
        max(moments) + duration,
        locale,
        lecturer_ids,
        academy_ids,
        exclude_session_id,
    )
    cells: dict[tuple[date, int], Slot | None] = {}
    for (day, hour), moment in starts.items():
        cells[(day, hour)] = (
            None
            if moment is None
            else Slot(datetime.combine(day, time(hour)), calendar.assess(moment, moment + duration))
        )
    return WeekGrid(zone, days, cells, list(places))


def next_good_times(
    now: datetime,
    zone: str,
    duration: timedelta,
    places: Sequence[Place],
    locale: str | None,
    lecturer_ids: Iterable[int] = (),
    academy_ids: Iterable[int] = (),
    exclude_session_id: int | None = None,
    count: int = 3,
    within: timedelta = timedelta(weeks=4),
) -> list[Slot]:
    """The `count` earliest whole hours (in `zone`) in the next `within` that are good.

    Good: inside working hours everywhere, on no holiday or closure anywhere, and free
    for every chosen lecturer and academy for the whole `duration`.
    """
    first = (now.astimezone(UTC) + GRID_STEP).replace(minute=0, second=0, microsecond=0)
    last = first + within + duration
    # Only the busy times matter here, not who or what: two columns, one query.
    spans = busy_spans(first, last, lecturer_ids, academy_ids, exclude_session_id)
    closures = read_closures(
        places, (first - timedelta(days=1)).date(), (last + timedelta(days=1)).date()
    )
    calendar = Calendar(list(places), locale, closures, [], spans)
    found: list[Slot] = []
    moment = first
    while moment < first + within and len(found) < count:
        local = utc_to_local(moment, zone)
        # Whole hours on the zone's clock, as on the grid.
        if local.minute == 0 and calendar.is_good(moment, moment + duration):
            assessment = calendar.assess(moment, moment + duration)
            found.append(Slot(local.replace(tzinfo=None), assessment))
        moment += timedelta(minutes=30)  # half-hour zones have their whole hours at :30 UTC
    return found


def marked_sessions(
    sessions: Sequence[Session], home: Place, places_of: dict[int, list[Place]]
) -> dict[int, Assessment]:
    """Live sessions among these outside working hours or on a day off somewhere.

    `places_of` gives each session's academies as places (home is always involved).
    One query (closures) for any number of sessions; holidays are named in English
    here, since only the mark is shown.
    """
    live = [s for s in sessions if s.status is not SessionStatus.CANCELLED]
    if not live:
        return {}
    every = {home.key: home} | {p.key: p for ps in places_of.values() for p in ps}
    first = min(s.starts_at for s in live) - timedelta(days=1)
    last = max(s.ends_at for s in live) + timedelta(days=1)
    closures = read_closures(list(every.values()), first.date(), last.date())
    found = {}
    for session in live:
        calendar = Calendar([home, *places_of.get(session.id, [])], "en", closures, [])
        assessment = calendar.assess(session.starts_at, session.ends_at)
        if not assessment.is_good:
            found[session.id] = assessment
    return found
