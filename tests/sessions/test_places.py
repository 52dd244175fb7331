"""session_places: a session's start in home's zone, each academy's, and the viewer's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import current_app

from tests.sessions.conftest import at
from webinars.domain.sessions.places import session_places

BEFORE_2024 = datetime(2024, 1, 1, tzinfo=UTC)


def _line(places) -> str:
    return " · ".join(
        f"{p.local:%H:%M} {p.label}" + (" (you)" if p.is_viewer else "") for p in places
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 29), "14:00 Samarkand · 13:00 Izhevsk · 15:00 Shymkent"),
        (date(2024, 3, 1), "14:00 Samarkand · 13:00 Izhevsk · 14:00 Shymkent"),
    ],
)
def test_session_places_follow_almaty_change_to_plus_five(store, izhevsk, shymkent, day, expected):
    session = store(
        now=BEFORE_2024,
        starts_local=at(14, day=day),
        time_zone="Asia/Samarkand",
        academy_ids=[izhevsk.id, shymkent.id],
    )

    places = session_places(session, current_app.config, viewer_zone=None)

    assert _line(places) == expected


def test_session_places_put_own_zone_first_labelled_by_its_academy(store, izhevsk, shymkent):
    session = store(
        now=BEFORE_2024,
        starts_local=at(14, day=date(2024, 3, 1)),
        time_zone="Asia/Almaty",
        academy_ids=[izhevsk.id, shymkent.id],
    )

    places = session_places(session, current_app.config, viewer_zone=None)

    assert _line(places) == "14:00 Shymkent · 14:00 Samarkand · 13:00 Izhevsk"


def test_session_places_label_own_zone_by_city_of_zone_without_academy(store, izhevsk):
    session = store(
        now=BEFORE_2024,
        starts_local=at(10, day=date(2024, 3, 1)),
        time_zone="Europe/Berlin",
        academy_ids=[izhevsk.id],
    )

    places = session_places(session, current_app.config, viewer_zone=None)

    assert _line(places) == "10:00 Berlin · 14:00 Samarkand · 13:00 Izhevsk"


@pytest.mark.parametrize(
    ("viewer_zone", "expected"),
    [
        ("Europe/Samara", "14:00 Samarkand · 13:00 Izhevsk (you) · 14:00 Shymkent"),
        ("Asia/Samarkand", "14:00 Samarkand (you) · 13:00 Izhevsk · 14:00 Shymkent"),
        ("Europe/London", "14:00 Samarkand · 13:00 Izhevsk · 14:00 Shymkent · 09:00 London (you)"),
    ],
)
def test_session_places_mark_or_add_viewer_zone(store, izhevsk, shymkent, viewer_zone, expected):
    session = store(
        now=BEFORE_2024,
        starts_local=at(14, day=date(2024, 3, 1)),
        academy_ids=[izhevsk.id, shymkent.id],
    )

    places = session_places(session, current_app.config, viewer_zone=viewer_zone)

    assert _line(places) == expected
