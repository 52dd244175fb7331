"""Working hours and days off, said for people: warnings on save and schedule marks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from babel.lists import format_list
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from webinars.domain.sessions.availability import Assessment, assess_span, marked_sessions
from webinars.domain.sessions.working_hours import Place, academy_place, home_place
from webinars.extensions import db
from webinars.i18n import format_day
from webinars.models import PartnerAcademy, Session
from webinars.web.country_names import country_name


def _locale() -> str:
    return str(get_locale())


def places_for(academy_ids: Iterable[int]) -> list[Place]:
    """The home department and these academies, as places (one query)."""
    ids = list(academy_ids)
    academies = (
        db.session.execute(
            db.select(PartnerAcademy)
            .where(PartnerAcademy.id.in_(ids))
            .order_by(PartnerAcademy.name_en)
        )
        .scalars()
        .all()
        if ids
        else []
    )
    return [home_place(current_app.config), *(academy_place(a, _locale()) for a in academies)]


def time_warnings(starts_at: datetime, ends_at: datetime, academy_ids: Iterable[int]) -> list[str]:
    """What is wrong with this time in the home department and the academies, for people."""
    assessment = assess_span(places_for(academy_ids), starts_at, ends_at, _locale())
    return warning_lines(assessment)


def _hhmm(moment) -> str:
    return moment.strftime("%H:%M")


def warning_lines(assessment: Assessment) -> list[str]:
    """One sentence per place outside its hours, per holiday (with its countries) and per
    closure: "Starts 07:00 in Izhevsk, before work starts there (09:00)."."""
    lines = [_off_hours_line(off) for off in assessment.off_hours]
    holidays: dict[tuple[str, object], list[str]] = {}
    for day_off in assessment.days_off:
        if day_off.is_closure:
            lines.append(
                _(
                    "%(note)s at %(place)s (%(day)s).",
                    note=day_off.name,
                    place=day_off.place.name,
                    day=format_day(day_off.day),
                )
            )
            continue
        countries = holidays.setdefault((day_off.name, day_off.day), [])
        name = country_name(day_off.place.country)
        if name not in countries:
            countries.append(name)
    for (name, day), countries in holidays.items():
        lines.append(
            _(
                "%(holiday)s (%(day)s) in %(countries)s: a public holiday.",
                holiday=name,
                day=format_day(day),
                countries=format_list(sorted(countries), locale=_locale()),
            )
        )
    return lines


def _off_hours_line(off) -> str:
    week, city = off.place.week, off.place.city
    if off.reason == "early":
        return _(
            "Starts %(time)s in %(city)s, before work starts there (%(opens)s).",
            time=_hhmm(off.local_start),
            city=city,
            opens=_hhmm(week.starts),
        )
    if off.reason == "late":
        return _(
            "Ends %(time)s in %(city)s, after work ends there (%(closes)s).",
            time=_hhmm(off.local_end),
            city=city,
            closes=_hhmm(week.ends),
        )
    if off.reason == "lunch":
        return _(
            "Runs into the lunch break in %(city)s (%(start)s–%(end)s there).",
            city=city,
            start=_hhmm(week.lunch_starts),
            end=_hhmm(week.lunch_ends),
        )
    return _(
        "%(day)s is not a working day in %(city)s.",
        day=format_day(off.local_start.date(), "EEEE"),
        city=city,
    )


def schedule_marks(sessions: Sequence[Session]) -> dict[int, str]:
    """{session id: "off_hours" or "holiday"} for the listed sessions that need a mark.

    Their academies are already loaded; one more query (closures) for any number.
    """
    locale = _locale()
    academies = {a.id: a for s in sessions for a in s.academies}  # each made a place once
    places = {academy_id: academy_place(a, locale) for academy_id, a in academies.items()}
    places_of = {s.id: [places[a.id] for a in s.academies] for s in sessions}
    found = marked_sessions(sessions, home_place(current_app.config), places_of)
    return {
        session_id: ("holiday" if assessment.days_off else "off_hours")
        for session_id, assessment in found.items()
    }
