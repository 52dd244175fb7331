"""Time-zone conversion at the edge: wall-clock times in a zone become UTC and back.

The zones that matter here: Samarkand (+05), Izhevsk (Europe/Samara, +04) and Shymkent
(Asia/Almaty, +06 until 2024-03-01, +05 since). Berlin stands in for daylight saving.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from webinars.domain.sessions.timezones import (
    LocalTimeError,
    all_zones,
    city_of_zone,
    is_valid_zone,
    local_to_utc,
    times_in_places,
    utc_offset_label,
    utc_to_local,
)

SAMARKAND = ("Samarkand", "Asia/Samarkand")
IZHEVSK = ("Izhevsk", "Europe/Samara")
SHYMKENT = ("Shymkent", "Asia/Almaty")


@pytest.mark.parametrize(
    ("local", "zone", "expected_utc"),
    [
        (datetime(2026, 1, 15, 14, 0), "Asia/Samarkand", datetime(2026, 1, 15, 9, 0, tzinfo=UTC)),
        (datetime(2026, 7, 15, 14, 0), "Asia/Samarkand", datetime(2026, 7, 15, 9, 0, tzinfo=UTC)),
        (datetime(2026, 1, 15, 14, 0), "Europe/Samara", datetime(2026, 1, 15, 10, 0, tzinfo=UTC)),
        (datetime(2026, 7, 15, 14, 0), "Europe/Samara", datetime(2026, 7, 15, 10, 0, tzinfo=UTC)),
        # Asia/Almaty: +06 up to the end of 2024-02-29, +05 from 2024-03-01.
        (datetime(2024, 2, 29, 14, 0), "Asia/Almaty", datetime(2024, 2, 29, 8, 0, tzinfo=UTC)),
        (datetime(2024, 3, 1, 14, 0), "Asia/Almaty", datetime(2024, 3, 1, 9, 0, tzinfo=UTC)),
        (datetime(2024, 2, 29, 22, 59), "Asia/Almaty", datetime(2024, 2, 29, 16, 59, tzinfo=UTC)),
        (datetime(2024, 3, 1, 0, 0), "Asia/Almaty", datetime(2024, 2, 29, 19, 0, tzinfo=UTC)),
        # Berlin on either side of daylight saving, and on the day itself, away from 02:xx.
        (datetime(2026, 3, 29, 1, 59), "Europe/Berlin", datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        (datetime(2026, 3, 29, 3, 0), "Europe/Berlin", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (datetime(2026, 10, 25, 3, 0), "Europe/Berlin", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    ],
)
def test_local_to_utc_converts_wall_clock_time(local, zone, expected_utc):
    result = local_to_utc(local, zone)

    assert result == expected_utc
    assert result.utcoffset() == timedelta(0)


def test_local_to_utc_result_is_utc_aware():
    result = local_to_utc(datetime(2026, 5, 4, 10, 30), "Europe/Samara")

    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("local", "zone", "reason"),
    [
        (datetime(2026, 3, 29, 2, 30), "Europe/Berlin", "skipped"),
        (datetime(2026, 3, 29, 2, 0), "Europe/Berlin", "skipped"),
        (datetime(2026, 10, 25, 2, 30), "Europe/Berlin", "repeated"),
        (datetime(2026, 10, 25, 2, 0), "Europe/Berlin", "repeated"),
        # Almaty's clocks went back an hour at midnight: 23:xx on 2024-02-29 happened twice.
        (datetime(2024, 2, 29, 23, 30), "Asia/Almaty", "repeated"),
    ],
)
def test_local_to_utc_refuses_time_skipped_or_repeated_by_clock_change(local, zone, reason):
    with pytest.raises(LocalTimeError) as raised:
        local_to_utc(local, zone)

    assert str(raised.value) == reason


def test_local_to_utc_refuses_aware_datetime():
    aware = datetime(2026, 1, 15, 14, 0, tzinfo=timezone(timedelta(hours=5)))

    with pytest.raises(ValueError, match="naive"):
        local_to_utc(aware, "Asia/Samarkand")


@pytest.mark.parametrize(
    ("moment", "zone", "expected_local"),
    [
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "Asia/Samarkand", datetime(2026, 1, 15, 14, 0)),
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "Europe/Samara", datetime(2026, 1, 15, 13, 0)),
        (datetime(2024, 2, 29, 9, 0, tzinfo=UTC), "Asia/Almaty", datetime(2024, 2, 29, 15, 0)),
        (datetime(2024, 3, 1, 9, 0, tzinfo=UTC), "Asia/Almaty", datetime(2024, 3, 1, 14, 0)),
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Europe/Berlin", datetime(2026, 3, 29, 1, 30)),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "Europe/Berlin", datetime(2026, 3, 29, 3, 30)),
    ],
)
def test_utc_to_local_gives_wall_clock_time_in_zone(moment, zone, expected_local):
    result = utc_to_local(moment, zone)

    assert result.replace(tzinfo=None) == expected_local
    assert result == moment


def test_utc_to_local_accepts_aware_non_utc_moment():
    moment = datetime(2026, 1, 15, 14, 0, tzinfo=timezone(timedelta(hours=5)))

    assert utc_to_local(moment, "Europe/Samara").replace(tzinfo=None) == datetime(
        2026, 1, 15, 13, 0
    )


def test_utc_to_local_refuses_naive_datetime():
    # A naive value would be read in the server's own zone: wrong on any machine not on UTC.
    with pytest.raises(ValueError, match="naive"):
        utc_to_local(datetime(2026, 1, 15, 9, 0), "Asia/Samarkand")


@pytest.mark.parametrize(
    "local",
    [datetime(2024, 2, 29, 12, 0), datetime(2024, 3, 1, 12, 0), datetime(2026, 10, 25, 1, 15)],
)
@pytest.mark.parametrize(
    "zone", ["Asia/Samarkand", "Europe/Samara", "Asia/Almaty", "Europe/Berlin"]
)
def test_local_to_utc_round_trips_through_utc_to_local(local, zone):
    assert utc_to_local(local_to_utc(local, zone), zone).replace(tzinfo=None) == local


@pytest.mark.parametrize(
    ("moment", "zone", "label"),
    [
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "Asia/Samarkand", "UTC+05:00"),
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "Europe/Samara", "UTC+04:00"),
        (datetime(2024, 2, 29, 9, 0, tzinfo=UTC), "Asia/Almaty", "UTC+06:00"),
        (datetime(2024, 3, 1, 9, 0, tzinfo=UTC), "Asia/Almaty", "UTC+05:00"),
        (datetime(2026, 7, 1, 9, 0, tzinfo=UTC), "Europe/Berlin", "UTC+02:00"),
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "America/New_York", "UTC-05:00"),
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "Asia/Kolkata", "UTC+05:30"),
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "America/St_Johns", "UTC-03:30"),
    ],
)
def test_utc_offset_label_names_offset_at_that_moment(moment, zone, label):
    assert utc_offset_label(moment, zone) == label


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Asia/Samarkand", True),
        ("Europe/Samara", True),
        ("Asia/Almaty", True),
        ("America/Argentina/Buenos_Aires", True),
        ("Asia/Nowhere", False),
        ("samarkand", False),
        ("", False),
        (None, False),
        ("../../etc/passwd", False),
    ],
)
def test_is_valid_zone_accepts_only_iana_names(name, valid):
    assert is_valid_zone(name) is valid


def test_all_zones_is_sorted_and_includes_partner_zones():
    zones = all_zones()

    assert zones == sorted(zones)
    assert {"Asia/Samarkand", "Europe/Samara", "Asia/Almaty"} <= set(zones)


@pytest.mark.parametrize(
    ("zone", "city"),
    [("Europe/Samara", "Samara"), ("America/Argentina/Buenos_Aires", "Buenos Aires")],
)
def test_city_of_zone_is_last_part_readable(zone, city):
    assert city_of_zone(zone) == city


def _summary(places) -> list[tuple[str, str, bool]]:
    return [(p.label, p.local.strftime("%Y-%m-%d %H:%M"), p.is_viewer) for p in places]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (
            datetime(2024, 2, 29, 9, 0, tzinfo=UTC),
            [
                ("Samarkand", "2024-02-29 14:00", False),
                ("Izhevsk", "2024-02-29 13:00", False),
                ("Shymkent", "2024-02-29 15:00", False),
            ],
        ),
        (
            datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
            [
                ("Samarkand", "2024-03-01 14:00", False),
                ("Izhevsk", "2024-03-01 13:00", False),
                ("Shymkent", "2024-03-01 14:00", False),
            ],
        ),
    ],
)
def test_times_in_places_follows_almaty_offset_change(moment, expected):
    assert _summary(times_in_places(moment, [SAMARKAND, IZHEVSK, SHYMKENT])) == expected


def test_times_in_places_appends_viewer_zone_marked():
    moment = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

    places = times_in_places(moment, [SAMARKAND, IZHEVSK], viewer_zone="Europe/Berlin")

    assert _summary(places) == [
        ("Samarkand", "2026-01-15 14:00", False),
        ("Izhevsk", "2026-01-15 13:00", False),
        ("Berlin", "2026-01-15 10:00", True),
    ]


def test_times_in_places_uses_given_viewer_label():
    moment = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

    places = times_in_places(moment, [SAMARKAND], "Europe/Berlin", viewer_label="You")

    assert [p.label for p in places] == ["Samarkand", "You"]


def test_times_in_places_marks_place_sharing_viewer_zone_instead_of_adding():
    moment = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

    places = times_in_places(moment, [SAMARKAND, IZHEVSK], viewer_zone="Europe/Samara")

    assert _summary(places) == [
        ("Samarkand", "2026-01-15 14:00", False),
        ("Izhevsk", "2026-01-15 13:00", True),
    ]


def test_times_in_places_lists_each_label_once():
    moment = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

    places = times_in_places(moment, [SAMARKAND, IZHEVSK, IZHEVSK, SAMARKAND])

    assert [p.label for p in places] == ["Samarkand", "Izhevsk"]


@pytest.mark.parametrize("viewer_zone", [None, "", "Mars/Olympus"])
def test_times_in_places_ignores_missing_or_unknown_viewer_zone(viewer_zone):
    moment = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

    places = times_in_places(moment, [SAMARKAND], viewer_zone=viewer_zone)

    assert _summary(places) == [("Samarkand", "2026-01-15 14:00", False)]


def test_times_in_places_skips_place_with_unknown_zone():
    moment = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

    places = times_in_places(moment, [SAMARKAND, ("Atlantis", "Ocean/Atlantis")])

    assert [p.label for p in places] == ["Samarkand"]
