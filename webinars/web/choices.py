"""Choices and fields the forms of several blueprints share (sessions, lecture requests):
people, academies and zones read once per request, and local date-time fields."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, IntegerField, SelectField
from wtforms.validators import DataRequired, StopValidation, ValidationError

from webinars.domain.sessions.timezones import all_zones, is_valid_zone
from webinars.extensions import db
from webinars.models import PartnerAcademy, Role, User

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


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
    return SelectField(label, validate_choice=False, validators=[DataRequired(), known_zone])


def lecturer_choices(include_ids: list[int] | None = None) -> list[tuple[int, str]]:
    """Active lecturers and admins (who may also teach), plus any already chosen."""
    include_ids = include_ids or []
    users = db.session.execute(
        db.select(User)
        .where(
            (User.role.in_([Role.LECTURER, Role.ADMIN]) & User.is_active_account)
            | User.id.in_(include_ids)
        )
        .order_by(User.name)
    ).scalars()
    return [(u.id, u.name) for u in users]


def academy_choices(include_ids: list[int] | None = None) -> list[tuple[int, str]]:
    """Academies not archived, plus any already chosen; named in the viewer's language."""
    include_ids = include_ids or []
    locale = str(get_locale())
    academies = db.session.execute(
        db.select(PartnerAcademy)
        .where(PartnerAcademy.archived_at.is_(None) | PartnerAcademy.id.in_(include_ids))
        .order_by(PartnerAcademy.name_en)
    ).scalars()
    return [(a.id, f"{a.name_in(locale)} ({a.city})") for a in academies]


def zone_choices() -> dict[str, list[tuple]]:
    """Zones grouped: the department's and partners' first (named by city), then all."""
    home_zone, home_city = current_app.config["HOME_TIME_ZONE"], current_app.config["HOME_CITY"]
    cities: dict[str, list[str]] = {home_zone: [home_city]}
    rows = db.session.execute(
        db.select(PartnerAcademy.time_zone, PartnerAcademy.city)
        .where(PartnerAcademy.archived_at.is_(None))
        .order_by(PartnerAcademy.city)
    )
    for zone, city in rows:
        if city not in cities.setdefault(zone, []):
            cities[zone].append(city)
    # data-place names the cities for the script that previews a time in every city; each
    # zone is listed once, so the chosen option keeps its city label.
    ours = [
        (zone, f"{', '.join(names)} ({zone})", {"data-place": ", ".join(names)})
        for zone, names in cities.items()
    ]
    return {
        _("Our department and partners"): ours,
        _("All time zones"): [(z, z) for z in all_zones() if z not in cities],
    }
