"""Choices and fields the forms of several blueprints share (sessions, lecture requests):
people, academies and zones read once per request, and local date-time fields.

The plain lists of lecturers and academies (no chosen ones to add) are read once per
process and kept until the data changes: they carry the feeds' data fingerprint
(domain.calendars.selection.current_fingerprint), which moves with every change to a
user or an academy. A commit in this process forgets it at once, so a renamed lecturer
or a new academy shows on the next request; other processes see it within
FEED_FINGERPRINT_SECONDS, as the feeds and the public pages do."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, IntegerField, SelectField
from wtforms.validators import DataRequired, StopValidation, ValidationError

from webinars.domain.calendars.selection import current_fingerprint
from webinars.domain.sessions.places import home_city
from webinars.domain.sessions.timezones import is_valid_zone
from webinars.domain.sessions.zone_names import (
    canonical_zones,
    country_name,
    zone_city,
    zones_by_country,
)
from webinars.extensions import db
from webinars.models import PartnerAcademy, Role, User
from webinars.models.academy import localized_name

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
EXTENSION_KEY = "webinars.choice_rows"


def readable(form: Form, field: IntegerField) -> None:
    """After Required/Optional: stop at "not a number", a range message would only confuse."""
    if field.process_errors:
        raise StopValidation()


def known_zone(form: Form, field: SelectField) -> None:
    """Any IANA zone, with a message that says what to do (not "Not a valid choice")."""
    if not is_valid_zone(field.data):
        raise ValidationError(_l("Choose a time zone from the list."))


def zone_field(label: str) -> SelectField:
    """A time-zone select; choices are set per request, the zone checked by known_zone."""
    return SelectField(
        label,
        validate_choice=False,
        validators=[DataRequired(), known_zone],
        render_kw={"data-searchable": ""},
    )


def lecturer_choices(include_ids: list[int] | None = None) -> list[tuple[int, str]]:
    """Active lecturers and admins (who may also teach), plus any already chosen."""
    if include_ids:
        return _lecturer_rows(include_ids)
    return list(_kept_rows("lecturers", lambda: _lecturer_rows([])))


def _lecturer_rows(include_ids: list[int]) -> list[tuple[int, str]]:
    rows = db.session.execute(
        db.select(User.id, User.name)  # two columns, no User objects: 300 of them per page
        .where(
            (User.role.in_([Role.LECTURER, Role.ADMIN]) & User.is_active_account)
            | User.id.in_(include_ids)
        )
        .order_by(User.name)
    )
    return [(row.id, row.name) for row in rows]


def _kept_rows(name: str, read: Callable[[], list[Any]]) -> list[Any]:
    """`read()`'s rows, read again only when the data fingerprint has moved (per app)."""
    version = current_fingerprint()
    kept: dict[str, tuple[Any, list[Any]]] = current_app.extensions.setdefault(EXTENSION_KEY, {})
    entry = kept.get(name)
    if entry is None or entry[0] != version:
        entry = (version, read())
        kept[name] = entry
    return entry[1]


def academy_with_city(academy: PartnerAcademy, locale: str) -> str:
    """An academy as every picker names it: 'Ижевская академия (Ижевск)'."""
    return f"{academy.name_in(locale)} ({academy.city_in(locale)})"


def academy_choices(include_ids: list[int] | None = None) -> list[tuple[int, str]]:
    """Academies not archived, plus any already chosen; named in the viewer's language."""
    locale = str(get_locale())
    if include_ids:
        rows = _academy_rows(include_ids)
    else:
        rows = _kept_rows("academies", lambda: _academy_rows([]))
    return [
        (
            row.id,
            f"{localized_name(locale, row.name_en, row.name_ru, row.name_uz)}"
            f" ({localized_name(locale, row.city, row.city_ru, row.city_uz)})",
        )
        for row in rows
    ]


def _academy_rows(include_ids: list[int]) -> list[Any]:
    return db.session.execute(
        db.select(
            PartnerAcademy.id,
            PartnerAcademy.name_en,
            PartnerAcademy.name_ru,
            PartnerAcademy.name_uz,
            PartnerAcademy.city,
            PartnerAcademy.city_ru,
            PartnerAcademy.city_uz,
        )
        .where(PartnerAcademy.archived_at.is_(None) | PartnerAcademy.id.in_(include_ids))
        .order_by(PartnerAcademy.name_en)
    ).all()


def zone_choices(current: str | None = None) -> dict[str, list[tuple]]:
    """Zones grouped: the department's and partners' first (named by their cities), then
    each country's canonical zones (no aliases), countries and cities named in the page's
    language and sorted in it. `current` (a zone already saved, even an old alias) is kept
    so that editing never silently changes it."""
    locale = str(get_locale())
    config = current_app.config
    home_zone = config["HOME_TIME_ZONE"]
    cities: dict[str, list[str]] = {home_zone: [home_city(config, locale)]}
    academies = db.session.execute(
        db.select(PartnerAcademy)
        .where(PartnerAcademy.archived_at.is_(None))
        .order_by(PartnerAcademy.city)
    ).scalars()
    for academy in academies:
        city = academy.city_in(locale)
        if city not in cities.setdefault(academy.time_zone, []):
            cities[academy.time_zone].append(city)
    # data-place names the cities for the script that previews a time in every city; each
    # zone is listed once, so the chosen option keeps its city label.
    groups: dict[str, list[tuple]] = {
        _("Our department and partners"): [
            (zone, f"{', '.join(names)} ({zone})", {"data-place": ", ".join(names)})
            for zone, names in cities.items()
        ]
    }
    if current and current not in cities and current not in canonical_zones():
        groups[_("Saved before")] = [(current, current)]
    by_country = sorted(
        zones_by_country().items(), key=lambda item: _sort_key(country_name(item[0], locale))
    )
    for country, zones in by_country:
        options = sorted(
            (
                (
                    zone,
                    f"{zone_city(zone, locale)} ({zone})",
                    {"data-city": zone_city(zone, locale)},
                )
                for zone in zones
                if zone not in cities
            ),
            key=lambda option: _sort_key(option[1]),
        )
        if options:
            groups[country_name(country, locale)] = options
    return groups


def _sort_key(text: str) -> str:
    """Alphabetical for people: case and accents aside ('Åland' beside 'Aland')."""
    return unicodedata.normalize("NFKD", text).casefold()
