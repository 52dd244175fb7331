"""The report's figures for one period, counted by the database.

A handful of aggregate statements whatever the number of sessions: the sessions held
in the period (scheduled, not cancelled, already over; in the period by their start in
the home zone) are mapped to every grouping at once (total, partner academy, country,
kind, direction, month and kind), and each statement groups that map. Registrations
count confirmed seats; attendance counts the entries marked attended when the list was
finalised (walk-ins included). Both survive the forgetting of personal data, which
empties names and addresses but keeps the rows. A student at two sessions counts at
each. People (home lecturers, guest speakers by name) are counted once per group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import String, case, cast, func, literal, or_, select, text, union_all

from webinars.domain.reports.periods import Period
from webinars.domain.reports.sql import minutes_between
from webinars.domain.sessions.timezones import day_start_utc
from webinars.extensions import db
from webinars.models import (
    Agreement,
    AttendanceEntry,
    Direction,
    GuestSpeaker,
    PartnerAcademy,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    Visibility,
    session_academies,
    session_lecturers,
    utcnow,
)

GROUPINGS = ("total", "academy", "country", "kind", "direction")
METRICS = ("sessions", "minutes", "lecturers", "guests", "registered", "attended")


def _empty() -> dict[str, int]:
    return dict.fromkeys(METRICS, 0)


@dataclass
class Figures:
    """One period's figures: rows[grouping][key] -> metric -> number, plus agreements in
    force, sessions per month and kind, and until when they stay true."""

    period: Period
    rows: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    agreements: dict[str, dict[str, int]] = field(default_factory=dict)
    months: dict[str, dict[str, int]] = field(default_factory=dict)
    valid_until: datetime | None = None

    def row(self, grouping: str, key: str = "") -> dict[str, int]:
        return self.rows.get(grouping, {}).get(key) or _empty()

    @property
    def total(self) -> dict[str, int]:
        return self.row("total")

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "agreements": self.agreements,
            "months": self.months,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }

    @classmethod
    def from_json(cls, period: Period, data: dict[str, Any]) -> Figures:
        until = data.get("valid_until")
        return cls(
            period,
            rows=data["rows"],
            agreements=data["agreements"],
            months=data["months"],
            valid_until=datetime.fromisoformat(until) if until else None,
        )


def _held(period: Period, academy_id: int | None, now: datetime, public_only: bool = False):
    zone = current_app.config["HOME_TIME_ZONE"]
    start, end = period.utc_bounds(zone)
    month_bounds = period.month_starts()[1:12]  # where months 2..12 begin
    month = case(
        *[(Session.starts_at < day_start_utc(day, zone), i) for i, day in enumerate(month_bounds)],
        else_=11,
    )
    query = select(
        Session.id.label("id"),
        Session.kind.label("kind"),
        Session.direction.label("direction"),
        minutes_between(Session.starts_at, Session.ends_at).label("minutes"),
        month.label("month"),
    ).where(*_held_between(start, end, now, academy_id))
    if public_only:
        query = query.where(Session.visibility == Visibility.PUBLIC)
    return query.cte("held")


def _groupings(held: Any):
    """(session id, grouping, key) for every grouping a held session falls in."""
    text = String(40)
    in_academy = select(session_academies).join(held, held.c.id == session_academies.c.session_id)
    links = in_academy.subquery()
    return union_all(
        select(held.c.id, literal("total"), literal("")),
        select(held.c.id, literal("kind"), cast(held.c.kind, text)),
        select(held.c.id, literal("direction"), cast(held.c.direction, text)),
        # Home staff teaching partners' students: outgoing and joint sessions.
        select(held.c.id, literal("abroad"), literal("")).where(
            held.c.direction != Direction.INCOMING.value
        ),
        select(
            held.c.id, literal("month"), cast(held.c.month, text) + ":" + cast(held.c.kind, text)
        ),
        select(links.c.session_id, literal("academy"), cast(links.c.academy_id, text)),
        select(links.c.session_id, literal("country"), PartnerAcademy.country)
        .join(PartnerAcademy, PartnerAcademy.id == links.c.academy_id)
        .distinct(),
    ).cte("groupings")


def _per_session_counts(held: Any, column: Any, *conditions: Any, name: str):
    return (
        select(column.label("session_id"), func.count().label("n"))
        .join(held, held.c.id == column)
        .where(*conditions)
        .group_by(column)
        .cte(name)
    )


def compute(
    period: Period,
    academy_id: int | None = None,
    now: datetime | None = None,
    public_only: bool = False,
) -> Figures:
    """Count the period's figures (for one academy's sessions only, if given; for public
    sessions only, if asked: the public page may leave partners-only sessions out)."""
    now = now or utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        # The planner overestimates the groupings' rows and compiles the plan with JIT,
        # which alone costs ~0.3 s on queries that then run in milliseconds.
        db.session.execute(text("SET LOCAL jit = off"))
    held = _held(period, academy_id, now, public_only)
    groups = _groupings(held)
    sid, grouping, key = groups.c
    registered = _per_session_counts(
        held,
        Registration.session_id,
        Registration.status == RegistrationStatus.CONFIRMED,
        name="registered",
    )
    attended = _per_session_counts(
        held, AttendanceEntry.session_id, AttendanceEntry.attended.is_(True), name="attended"
    )
    figures = Figures(period)
    additive = db.session.execute(
        select(
            grouping,
            key,
            func.count(held.c.id),
            func.coalesce(func.sum(held.c.minutes), 0),
            func.coalesce(func.sum(registered.c.n), 0),
            func.coalesce(func.sum(attended.c.n), 0),
        )
        .select_from(groups)
        .join(held, held.c.id == sid)
        .outerjoin(registered, registered.c.session_id == sid)
        .outerjoin(attended, attended.c.session_id == sid)
        .group_by(grouping, key)
    )
    for group, group_key, sessions, minutes, regs, atts in additive:
        if group == "month":
            month, kind = group_key.split(":", 1)
            figures.months.setdefault(month, {})[kind] = int(sessions)
            continue
        row = figures.rows.setdefault(group, {}).setdefault(group_key, _empty())
        row.update(
            sessions=int(sessions), minutes=int(minutes), registered=int(regs), attended=int(atts)
        )
    _count_people(figures, held, groups)
    figures.agreements = agreements_in_force(period, academy_id)
    figures.valid_until = _next_end(period, academy_id, now)
    return figures


def _count_people(figures: Figures, held: Any, groups: Any) -> None:
    people = union_all(
        select(
            session_lecturers.c.session_id.label("session_id"),
            literal("L").label("role"),
            cast(session_lecturers.c.user_id, String(40)).label("who"),
        ).join(held, held.c.id == session_lecturers.c.session_id),
        select(
            GuestSpeaker.session_id, literal("G"), func.lower(func.trim(GuestSpeaker.name))
        ).join(held, held.c.id == GuestSpeaker.session_id),
    ).cte("people")
    sid, grouping, key = groups.c
    rows = db.session.execute(
        select(
            grouping,
            key,
            func.count(func.distinct(case((people.c.role == "L", people.c.who)))),
            func.count(func.distinct(case((people.c.role == "G", people.c.who)))),
        )
        .select_from(groups)
        .join(people, people.c.session_id == sid)
        .where(grouping != "month")
        .group_by(grouping, key)
    )
    for group, group_key, lecturers, guests in rows:
        row = figures.rows.setdefault(group, {}).setdefault(group_key, _empty())
        row.update(lecturers=int(lecturers), guests=int(guests))


def agreements_in_force(period: Period, academy_id: int | None = None) -> dict[str, dict[str, int]]:
    """Agreements in force at some time in the period, per academy and per country."""
    last_day = period.end_day.fromordinal(period.end_day.toordinal() - 1)
    query = (
        select(Agreement.academy_id, PartnerAcademy.country, func.count(Agreement.id))
        .join(PartnerAcademy, PartnerAcademy.id == Agreement.academy_id)
        .where(
            Agreement.signed_on <= last_day,
            or_(Agreement.expires_on.is_(None), Agreement.expires_on >= period.first_day),
        )
        .group_by(Agreement.academy_id, PartnerAcademy.country)
    )
    if academy_id is not None:
        query = query.where(Agreement.academy_id == academy_id)
    result: dict[str, dict[str, int]] = {"total": {"": 0}, "academy": {}, "country": {}}
    for academy, country, count in db.session.execute(query):
        result["academy"][str(academy)] = int(count)
        result["country"][country] = result["country"].get(country, 0) + int(count)
        result["total"][""] += int(count)
    return result


def _next_end(period: Period, academy_id: int | None, now: datetime) -> datetime | None:
    """When the next session of the period ends (the figures change then by themselves)."""
    start, end = period.utc_bounds(current_app.config["HOME_TIME_ZONE"])
    query = select(func.min(Session.ends_at)).where(
        Session.status == SessionStatus.SCHEDULED,
        Session.starts_at >= start,
        Session.starts_at < end,
        Session.ends_at > now,
    )
    if academy_id is not None:
        query = query.where(_at_academy(academy_id))
    return db.session.execute(query).scalar_one_or_none()


def held_sessions(
    period: Period,
    academy_id: int | None = None,
    grouping: str = "total",
    key: str = "",
    now: datetime | None = None,
):
    """The sessions behind one row of the figures (a select of Session, in start order)."""
    now = now or utcnow()
    start, end = period.utc_bounds(current_app.config["HOME_TIME_ZONE"])
    query = select(Session).where(*_held_between(start, end, now, academy_id))
    if grouping == "kind":
        query = query.where(cast(Session.kind, String(40)) == key)
    elif grouping == "direction":
        query = query.where(cast(Session.direction, String(40)) == key)
    elif grouping == "academy":
        query = query.where(_at_academy(int(key) if key.isdigit() else -1))
    elif grouping == "country":
        query = query.where(
            Session.id.in_(
                select(session_academies.c.session_id)
                .join(PartnerAcademy, PartnerAcademy.id == session_academies.c.academy_id)
                .where(PartnerAcademy.country == key)
            )
        )
    return query.order_by(Session.starts_at, Session.id)


def _held_between(start: datetime, end: datetime, now: datetime, academy_id: int | None) -> list:
    """What counts as held: scheduled (neither a draft nor cancelled), started between
    `start` and `end`, over by `now`; with one of its academies `academy_id`, if given.
    The figures and the sessions behind them must agree on it."""
    held = [
        Session.status == SessionStatus.SCHEDULED,
        Session.starts_at >= start,
        Session.starts_at < end,
        Session.ends_at <= now,
    ]
    if academy_id is not None:
        held.append(_at_academy(academy_id))
    return held


def _at_academy(academy_id: int) -> Any:
    return Session.id.in_(
        select(session_academies.c.session_id).where(session_academies.c.academy_id == academy_id)
    )
