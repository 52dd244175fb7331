"""The attendance rule: present at least a set share of the session's minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webinars.domain.attendance.matching import name_key
from webinars.domain.attendance.rule import meets_rule, present_minutes, share_of

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


@pytest.mark.parametrize(
    ("minutes", "session", "share", "attended"),
    [
        (70, 100, 70, True),  # exactly the share
        (69, 100, 70, False),  # one minute short
        (49, 70, 70, True),  # 49 / 70 is exactly 70 %
        (48, 70, 70, False),
        (63, 90, 70, True),
        (62, 90, 70, False),
        (90, 90, 100, True),
        (89, 90, 100, False),
        (0, 90, 1, False),
        (1, 100, 1, True),
        (10, 0, 70, False),  # a session without minutes attends nobody
    ],
)
def test_rule_at_the_boundary(minutes, session, share, attended):
    assert meets_rule(minutes, session, share) is attended


def test_present_minutes_count_overlapping_stays_once():
    stays = [
        (at(0), at(40), 40),
        (at(30), at(60), 30),  # a second device, overlapping 10 minutes
        (at(80), at(90), 10),  # a rejoin after a gap
    ]

    assert present_minutes(stays) == 70


def test_present_minutes_take_zoom_minutes_for_a_stay_without_both_ends():
    assert present_minutes([(None, at(50), 12), (at(0), None, None), (at(0), at(20), 20)]) == 32


def test_share_of_is_rounded_down_and_capped():
    assert share_of(69, 99) == 69  # 69.69 %
    assert share_of(200, 100) == 100
    assert share_of(5, 0) == 0


@pytest.mark.parametrize(
    ("zoom", "registered"),
    [
        ("Dilnoza Karimova", "dilnoza karimova"),
        ("Karimova  Dilnoza", "Dilnoza Karimova"),
        ("Oʻgʻiloy Toʻxtayeva", "O'g'iloy To'xtayeva"),
        ("Алексей Иванов", "алексей  иванов"),
    ],
)
def test_names_read_the_same_whatever_case_order_spacing_or_apostrophe(zoom, registered):
    assert name_key(zoom) == name_key(registered)


def test_different_names_do_not_read_the_same():
    assert name_key("Dilnoza Karimova") != name_key("Dilnoza Karimov")
