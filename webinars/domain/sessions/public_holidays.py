"""Public holidays of a country, from the `holidays` package, named in the page's language.

Nothing here lists a holiday by hand: the package knows each country's fixed and moving
holidays, its moved days off and their history. A country and year are computed once
per language and kept (the package builds a year in milliseconds, but a grid asks for the
same few countries on every request).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# Our interface languages as the package spells them.
_PACKAGE_LANGUAGE = {"en": "en_US", "ru": "ru", "uz": "uz"}


@lru_cache(maxsize=1)
def supported_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes the package knows."""
    return frozenset(holidays.list_supported_countries())


def package_language(country: str, locale: str | None) -> str | None:
    """The page's language if the package names this country's holidays in it, else English.

    None when the package has neither (its own default language is used then).
    """
    supported = getattr(holidays.country_holidays(country), "supported_languages", ())
    wanted = _PACKAGE_LANGUAGE.get(locale or "en", "en_US")
    if wanted in supported:
        return wanted
    return "en_US" if "en_US" in supported else None


@lru_cache(maxsize=512)
def country_year(country: str, year: int, locale: str | None) -> dict[date, str]:
    """{day: name} of a country's public holidays in one year; {} for an unknown country.

    Two holidays on one day are joined with "; " as the package names them.
    """
    country = (country or "").upper()
    if country not in supported_countries():
        return {}
    found = holidays.country_holidays(
        country, years=year, language=package_language(country, locale)
    )
    return dict(found.items())


def holiday_on(country: str, day: date, locale: str | None) -> str | None:
    """The name of the public holiday on `day` in `country`, or None."""
    return country_year(country, day.year, locale).get(day)


def holidays_between(country: str, first: date, last: date, locale: str | None) -> dict[date, str]:
    """{day: name} for the holidays from `first` to `last`, both included."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in country_year(country, year, locale).items():
            if first <= day <= last:
                found[day] = name
    return found


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
