"""Find a time: a week grid of start times judged in every place, and the next good ones.

Three ways in, one grid (templates/manage/_grid.html):
- the find-a-time page (GET, any staff member; coordinators start from their academy),
  whose free cells open a new session at that time for those who schedule;
- the session, duplicate and reschedule forms, without JavaScript: their "Find a time"
  button posts the form back, which comes back with the grid and everything typed kept;
  a free cell is a submit button that sets the start, week buttons page the grid;
- the same forms with JavaScript (static/js/find-time.js): the grid is fetched as a
  fragment (GET find-a-time/grid) and a click fills the start without leaving the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import abort, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from webinars.domain.sessions.access import can_view
from webinars.domain.sessions.availability import (
    WeekGrid,
    next_good_times,
    week_grid,
    week_of,
)
from webinars.domain.sessions.conflicts import Conflict
from webinars.domain.sessions.rules import MAX_YEARS_AHEAD
from webinars.domain.sessions.timezones import is_valid_zone, utc_to_local
from webinars.extensions import db
from webinars.models import Session, utcnow
from webinars.web.bounds import row_id
from webinars.web.choices import academy_choices, lecturer_choices, zone_choices
from webinars.web.manage.blueprint import bp
from webinars.web.manage.working_time import places_for
from webinars.web.roles import staff_required

DEFAULT_MINUTES = 60
START_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass
class GridQuery:
    """What a grid shows, read from a query string or a posted form, never refused:
    anything unreadable falls back to a default (the grid is a help, not a check)."""

    academy_ids: list[int] = field(default_factory=list)
    lecturer_ids: list[int] = field(default_factory=list)
    zone: str = "UTC"
    minutes: int = DEFAULT_MINUTES
    monday: date = field(default_factory=lambda: week_of(utcnow().date()))
    day: date | None = None  # the day a phone shows
    all_hours: bool = False
    exclude_session_id: int | None = None

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def args(self, **changes: Any) -> dict[str, Any]:
        """This query as URL arguments, changed (a week earlier, another day...)."""
        values: dict[str, Any] = {
            "academy_ids": self.academy_ids,
            "lecturer_ids": self.lecturer_ids,
            "time_zone": self.zone,
            "duration_minutes": self.minutes,
            "week": self.monday.isoformat(),
            "day": (self.day or self.monday).isoformat(),
        }
        if self.all_hours:
            values["all_hours"] = "1"
        if self.exclude_session_id:
            values["session_id"] = self.exclude_session_id
        values.update(changes)
        return values


def _ints(values: list[str]) -> list[int]:
    """Row ids from the query string; words and ids past the range are left out."""
    ids = set()
    for value in values:
        try:
            ids.add(row_id(value))
        except ValueError:
            continue
    return sorted(ids)[:50]


def _date(text: str | None) -> date | None:
    """A day from the query string; none for words and for years nobody plans in (the
    grid's week and its neighbours must stay inside the calendar, year 1 to 9999)."""
    try:
        day = date.fromisoformat((text or "")[:10])
    except ValueError:
        return None
    reach = timedelta(days=366 * MAX_YEARS_AHEAD)
    return day if abs(day - utcnow().date()) <= reach else None


def read_query(data: MultiDict, default_zone: str) -> GridQuery:
    """A GridQuery from request arguments or a posted session form."""
    zone = data.get("time_zone", "")
    minutes = data.get("duration_minutes", "")
    picked = _date(data.get("grid_week") or data.get("week")) or _date(data.get("starts_local"))
    day = _date(data.get("grid_day") or data.get("day"))
    monday = week_of(day or picked or utcnow().date())
    session_id = data.get("session_id", "")
    return GridQuery(
        academy_ids=_ints(data.getlist("academy_ids")),
        lecturer_ids=_ints(data.getlist("lecturer_ids")),
        zone=zone if is_valid_zone(zone) else default_zone,
        minutes=int(minutes)
        if minutes.isascii()
        and minutes.isdigit()
        and len(minutes) <= 4
        and 0 < int(minutes) <= 1440
        else 60,
        monday=monday,
        day=day if day and monday <= day < monday + timedelta(days=7) else None,
        all_hours=data.get("all_hours") == "1",
        exclude_session_id=(_ints([session_id]) or [None])[0],
    )


@dataclass(frozen=True)
class BusyLine:
    """A busy session as the viewer may see it: who is busy, and the title if allowed."""

    who: str
    title: str | None


def busy_lines(conflicts: list[Conflict], locale: str) -> list[BusyLine]:
    lines = []
    for c in conflicts:
        names = [u.name for u in c.lecturers] + [a.name_in(locale) for a in c.academies]
        title = c.session.title if can_view(current_user, c.session) else None
        lines.append(BusyLine(", ".join(names), title))
    return lines


def visible_hours(grid: WeekGrid, all_hours: bool) -> list[int]:
    """Every hour, or those where some day is not merely outside working hours."""
    if all_hours:
        return list(range(24))
    shown = [
        hour
        for hour in range(24)
        if any(cell is None or cell.assessment.status != "off_hours" for cell in grid.row(hour))
    ]
    return shown or list(range(24))


def grid_context(query: GridQuery) -> dict[str, Any]:
    """Everything _grid.html needs: the week, the next good times, the places."""
    locale = str(get_locale())
    places = places_for(query.academy_ids)
    common = dict(
        zone=query.zone,
        duration=query.duration,
        places=places,
        locale=locale,
        lecturer_ids=query.lecturer_ids,
        academy_ids=query.academy_ids,
        exclude_session_id=query.exclude_session_id,
    )
    grid = week_grid(query.monday, **common)
    good = next_good_times(utcnow(), **common)
    today = utc_to_local(utcnow(), query.zone).date()
    in_week = query.monday <= today < query.monday + timedelta(days=7)
    shown_day = query.day or (today if in_week else query.monday)
    return dict(
        query=query,
        grid=grid,
        good=good,
        hours=visible_hours(grid, query.all_hours),
        shown_day=shown_day,
        day_before=(shown_day - timedelta(days=1)).isoformat(),
        day_after=(shown_day + timedelta(days=1)).isoformat(),
        busy_lines=lambda slot: busy_lines(slot.assessment.busy, locale),
        start_value=lambda slot: slot.local.strftime(START_FORMAT),
        week_before=(query.monday - timedelta(days=7)).isoformat(),
        week_after=(query.monday + timedelta(days=7)).isoformat(),
    )


def picked_start(data: MultiDict) -> datetime | None:
    """The start a no-JavaScript click on a free cell posted, if any."""
    try:
        return datetime.strptime(data.get("pick_start", ""), START_FORMAT)
    except ValueError:
        return None


def grid_requested(data: MultiDict) -> bool:
    """Did the form post ask for the grid (show it, page it, or pick from it)?"""
    return any(name in data for name in ("find_time", "grid_week", "grid_day", "pick_start"))


@bp.get("/find-a-time")
@staff_required
def find_time():
    """The week grid for chosen academies and lecturers, in a chosen zone."""
    home_zone = current_user.time_zone or current_app.config["HOME_TIME_ZONE"]
    if "time_zone" in request.args:
        query = read_query(request.args, home_zone)
    else:  # a first visit: the coordinator's academy, the lecturer's own week
        query = read_query(MultiDict(), home_zone)
        if current_user.academy_id:
            query.academy_ids = [current_user.academy_id]
        if current_user.is_lecturer:
            query.lecturer_ids = [current_user.id]
    return render_template(
        "manage/find_time.html",
        academies=academy_choices(query.academy_ids),
        lecturers=lecturer_choices(query.lecturer_ids),
        zones=zone_choices(),
        mode="page",
        **grid_context(query),
    )


@bp.get("/find-a-time/grid")
@staff_required
def find_time_grid():
    """The grid alone, for the forms' script (mode=form: cells fill the start)."""
    mode = request.args.get("mode", "page")
    if mode not in ("page", "form"):
        abort(404)
    query = read_query(request.args, current_app.config["HOME_TIME_ZONE"])
    if query.exclude_session_id is not None:
        session = db.session.get(Session, query.exclude_session_id)
        if session is None or not can_view(current_user, session):
            query.exclude_session_id = None
    return render_template("manage/_grid.html", mode=mode, **grid_context(query))


def prefill(form: Any, args: MultiDict) -> None:
    """A new session's form from a grid cell's link: start, zone, duration and people."""
    start = picked_start(MultiDict({"pick_start": args.get("starts_local", "")}))
    if start is None:
        return
    query = read_query(args, form.time_zone.data or current_app.config["HOME_TIME_ZONE"])
    form.starts_local.data = start
    form.time_zone.data = query.zone
    form.duration_minutes.data = query.minutes
    if query.academy_ids:
        form.academy_ids.data = query.academy_ids
    if query.lecturer_ids:
        form.lecturer_ids.data = query.lecturer_ids


def form_grid(form: Any, data: MultiDict, session: Session | None) -> dict[str, Any]:
    """The grid inside a posted form (no JavaScript): apply a picked start, then build
    the grid from what the form holds; a session's own people when the form has none."""
    if (start := picked_start(data)) is not None:
        form.starts_local.data = start
        form.starts_local.raw_data = [start.strftime(START_FORMAT)]
    values = MultiDict(data)
    if session is not None:
        if "academy_ids" not in values:
            values.setlist("academy_ids", [str(a.id) for a in session.academies])
        if "lecturer_ids" not in values:
            values.setlist("lecturer_ids", [str(u.id) for u in session.lecturers])
    query = read_query(values, current_app.config["HOME_TIME_ZONE"])
    if session is not None:
        query.exclude_session_id = session.id
    return dict(mode="form", **grid_context(query))
