"""Languages and the formatting of times for people: locale, zone, labels."""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as dt_time
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from webinars.domain.sessions.places import home_name, in_language, session_place, session_places
from webinars.domain.sessions.timezones import (
    PlaceTime,
    is_valid_zone,
    utc_offset_label,
    zone_info,
)
from webinars.domain.sessions.zone_names import zone_city
from webinars.extensions import babel
from webinars.models import PartnerAcademy, Session

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "uz": "Oʻzbekcha"}
# Languages a session can be taught in (a wider list than the interface's).
INSTRUCTION_LANGUAGES = {
    "en": _l("English"),
    "ru": _l("Russian"),
    "uz": _l("Uzbek"),
    "kk": _l("Kazakh"),
}
VIEWER_ZONE_COOKIE = "tz"


def select_locale() -> str:
    """A signed-in person's choice, then this browser's choice, then Accept-Language.

    Outside a request (commands, the worker) there is no person: the default language,
    unless the caller chose one with flask_babel.force_locale.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or "en"


def viewer_zone() -> str | None:
    """The viewer's zone: their account's, else the browser's (set by a script), else None."""
    if current_user and current_user.is_authenticated and is_valid_zone(current_user.time_zone):
        return current_user.time_zone
    zone = request.cookies.get(VIEWER_ZONE_COOKIE)
    return zone if is_valid_zone(zone) else None


# `locale` (the page's language code): a list page gives it once for all its rows instead
# of each cell asking Flask-Babel, which costs a few context lookups per call.
def format_time(moment: datetime, zone: str, locale: str | None = None) -> str:
    """Only the time of day, 24-hour, for compact place lists: '14:00'."""
    local = moment.astimezone(zone_info(zone))
    return _clock_text(local.hour, local.minute, locale or str(get_locale()))


def format_date(moment: datetime, zone: str, locale: str | None = None) -> str:
    """The date in `zone` in the current locale's long-ish form."""
    return _day_text(moment.astimezone(zone_info(zone)).date(), locale or str(get_locale()))


# Babel parses the pattern and reads the locale's data on every call; a page of 25
# sessions wrote about a hundred dates and times, most of them the same few. The text
# depends only on the local day (or hour and minute) and the language: each is written
# once per process.
@lru_cache(maxsize=8192)
def _day_text(day: date, locale: str) -> str:
    return babel_format_date(day, "EEE d MMM y", locale=locale)


@lru_cache(maxsize=4096)
def _clock_text(hour: int, minute: int, locale: str) -> str:
    return babel_format_time(dt_time(hour, minute), "HH:mm", locale=locale)


def format_day(day: date, fmt: str = "EEE d MMM y") -> str:
    """A calendar date (no time, no zone) in the current locale: 'Fri 8 Mar 2024'."""
    return babel_format_date(day, fmt, locale=str(get_locale()))


def zone_label(zone: str) -> str:
    """A zone as people name it, in the current language: 'Asia/Samarkand' -> 'Samarqand'."""
    return zone_city(zone, str(get_locale()))


def format_when(
    moment: datetime | None, zone: str, place: str | None = None, locale: str | None = None
) -> str:
    """The one way a moment is written for people, in every page and email.

    'Sun 6 Dec 2026, 14:00 Samarkand (UTC+05:00)' (in Russian 'вс 6 дек. 2026, 14:00
    Самарканд (UTC+05:00)'): the day and the 24-hour time in the current language, then
    where that clock hangs: `place` (an academy's city, as the reader chose it) or the
    zone's own city, and the offset. Never a bare time, never an IANA name.
    """
    if moment is None:
        return ""
    locale = locale or str(get_locale())
    local = moment.astimezone(zone_info(zone))
    return (
        f"{_day_text(local.date(), locale)}, {_clock_text(local.hour, local.minute, locale)} "
        f"{place or zone_city(zone, locale)} ({utc_offset_label(moment, zone)})"
    )


def places_for(session: Session, chosen: PartnerAcademy | None = None) -> list[PlaceTime]:
    """The session's time in each place for this reader: their chosen academy's city
    first, city names in the page's language, and their own zone marked "(you)"."""
    return session_places(session, current_app.config, viewer_zone(), str(get_locale()), chosen)


def session_place_label(session: Session, locale: str | None = None) -> str:
    """The city a session's own clock is read in, in the page's language: 'Ижевск'."""
    return session_place(session, current_app.config, locale or str(get_locale()))


def site_name() -> str:
    """The site's name in the page's language: SITE_NAME_RU ..., SITE_NAME, else ours."""
    return in_language(current_app.config, "SITE_NAME", str(get_locale())) or str(
        _l("International lectures")
    )


def lang_of(session: Session, locale: str | None = None) -> Markup:
    """' lang="ru"' for a title in another language than the page's, so that a screen
    reader reads a Russian title on an Uzbek page in Russian; nothing otherwise."""
    language = session.language or ""
    if not language or language == (locale or str(get_locale())):
        return Markup("")
    return Markup(' lang="%s"') % language


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the template helpers."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["hhmm"] = format_time
    app.jinja_env.filters["day"] = format_date
    app.jinja_env.filters["calendar_day"] = format_day
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        INSTRUCTION_LANGUAGES=INSTRUCTION_LANGUAGES,
        viewer_zone=viewer_zone,
        current_locale=lambda: str(get_locale()),
        utc_offset_label=utc_offset_label,
        zone_label=zone_label,
        places_for=places_for,
        session_place_label=session_place_label,
        site_name=site_name,
        lang_of=lang_of,
        home_name=lambda: home_name(current_app.config, str(get_locale())),
    )
