"""One way to write a moment for people, per language, always with its place; and the
zone names (canonical zones by country, cities from CLDR) it and the zone picker use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from webinars.domain.sessions.zone_names import (
    canonical_zones,
    country_of_zone,
    zone_city,
    zones_by_country,
)
from webinars.i18n import format_when

MOMENT = datetime(2026, 12, 6, 3, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "zone", "expected"),
    [
        ("en", "Asia/Samarkand", "Sun 6 Dec 2026, 08:23 Samarkand (UTC+05:00)"),
        ("ru", "Asia/Samarkand", "вс 6 дек. 2026, 08:23 Самарканд (UTC+05:00)"),
        ("uz", "Asia/Samarkand", "Yak 6 dek 2026, 08:23 Samarqand (UTC+05:00)"),
        ("ru", "Europe/Samara", "вс 6 дек. 2026, 07:23 Самара (UTC+04:00)"),
        ("en", "America/Los_Angeles", "Sat 5 Dec 2026, 19:23 Los Angeles (UTC-08:00)"),
    ],
)
def test_format_when_per_locale_with_the_place(app, locale, zone, expected):
    with app.test_request_context(), force_locale(locale):
        assert format_when(MOMENT, zone) == expected


def test_format_when_names_the_place_given(app):
    with app.test_request_context(), force_locale("ru"):
        text = format_when(MOMENT, "Europe/Samara", place="Ижевск")
    assert text == "вс 6 дек. 2026, 07:23 Ижевск (UTC+04:00)"


def test_format_when_nothing_for_no_moment(app):
    with app.test_request_context():
        assert format_when(None, "Asia/Samarkand") == ""


def test_zone_list_is_canonical_and_by_country():
    zones = canonical_zones()
    assert "Asia/Samarkand" in zones and "Europe/Samara" in zones
    assert {"Africa/Asmera", "Asia/Calcutta", "US/Eastern", "Etc/GMT+5", "UTC"} & zones == set()
    assert zones_by_country()["UZ"] == ("Asia/Samarkand", "Asia/Tashkent")
    assert "Asia/Almaty" in zones_by_country()["KZ"]
    assert country_of_zone("Europe/Samara") == "RU"


@pytest.mark.parametrize(
    ("zone", "locale", "city"),
    [
        ("Europe/Samara", "ru", "Самара"),
        ("Asia/Samarkand", "uz", "Samarqand"),
        ("Asia/Almaty", "ru", "Алматы"),
        ("America/New_York", "en", "New York"),
    ],
)
def test_zone_city_in_the_language(zone, locale, city):
    assert zone_city(zone, locale) == city


def test_format_when_same_moment_follows_each_language_in_turn(app):
    # Days and clock times are written once per process and then reused: the language
    # is part of what is kept, so the same moment is never served in the previous one.
    texts = []
    for locale in ("en", "ru", "uz", "en"):
        with app.test_request_context(), force_locale(locale):
            texts.append(format_when(MOMENT, "Asia/Samarkand"))
    assert texts == [
        "Sun 6 Dec 2026, 08:23 Samarkand (UTC+05:00)",
        "вс 6 дек. 2026, 08:23 Самарканд (UTC+05:00)",
        "Yak 6 dek 2026, 08:23 Samarqand (UTC+05:00)",
        "Sun 6 Dec 2026, 08:23 Samarkand (UTC+05:00)",
    ]
