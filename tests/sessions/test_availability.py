"""Working hours, public holidays, closures and busy people: is a time good everywhere?

Samarkand (home, Uzbekistan), Izhevsk (Russia, one hour behind) and Shymkent
(Kazakhstan, on Asia/Almaty: one hour ahead until 2024-03-01, the same clock after).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import current_app

from tests.fixtures.sessions import at
from webinars.domain.sessions.availability import (
    Calendar,
    marked_sessions,
    next_good_times,
    read_calendar,
    slot_start,
    week_grid,
)
from webinars.domain.sessions.closures import add_closure
from webinars.domain.sessions.public_holidays import holiday_on, holidays_between
from webinars.domain.sessions.timezones import local_to_utc
from webinars.domain.sessions.working_hours import (
    Place,
    WorkingWeek,
    WorkingWeekError,
    academy_place,
    home_place,
    outside_hours,
    parse_days,
)
from webinars.extensions import db
from webinars.models import PartnerAcademy, Session

BEFORE_2024 = datetime(2024, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def samarkand(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)), "Asia/Samarkand")


@pytest.fixture
def places(ctx, izhevsk, shymkent) -> dict[str, Place]:
    academies = {a.slug: a for a in db.session.execute(db.select(PartnerAcademy)).scalars()}
    return {
        "home": home_place(current_app.config),
        "izhevsk": academy_place(academies["isma"], "en"),
        "shymkent": academy_place(academies["skma"], "en"),
    }


def calendar(places: dict[str, Place], locale: str = "en") -> Calendar:
    return Calendar(list(places.values()), locale, {}, [])


# Holidays ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "day", "expected"),
    [
        ("UZ", date(2024, 3, 21), "Nowruz"),
        ("KZ", date(2024, 3, 21), "Nowruz Holiday"),
        ("KZ", date(2024, 3, 22), "Nowruz Holiday"),
        ("KZ", date(2024, 3, 23), "Nowruz Holiday"),
        ("RU", date(2024, 3, 21), None),  # a working day in Izhevsk
        ("UZ", date(2024, 3, 8), "Women's Day"),
        ("KZ", date(2024, 3, 8), "International Women's Day"),
        ("RU", date(2024, 3, 8), "International Women's Day"),
        ("UZ", date(2024, 3, 7), None),
        ("ZZ", date(2024, 3, 8), None),  # a code the package does not know: no holidays
    ],
)
def test_holiday_on_names_navruz_and_8_march_in_the_right_countries(country, day, expected):
    assert holiday_on(country, day, "en") == expected


def test_holiday_names_follow_the_page_language_where_the_package_has_it():
    # Russian names for Russia; Uzbek for Uzbekistan; English where the package has
    # neither (Uzbekistan's holidays in Russian, Kazakhstan's in Uzbek).
    assert holiday_on("RU", date(2024, 3, 8), "ru") == "Международный женский день"
    assert holiday_on("UZ", date(2024, 3, 8), "uz") == "Xotin-qizlar kuni"
    assert holiday_on("UZ", date(2024, 3, 8), "ru") == "Women's Day"
    assert holiday_on("KZ", date(2024, 3, 8), "uz") == "International Women's Day"


def test_holidays_between_spans_years():
    found = holidays_between("RU", date(2023, 12, 31), date(2024, 1, 2), "en")

    assert sorted(found) == [date(2024, 1, 1), date(2024, 1, 2)]


def test_a_span_on_navruz_is_a_day_off_in_samarkand_and_shymkent_not_izhevsk(places):
    start = samarkand(date(2024, 3, 21), 11)

    assessment = calendar(places).assess(start, start + HOUR)

    assert [(d.place.key, d.day, d.name) for d in assessment.days_off] == [
        ("home", date(2024, 3, 21), "Nowruz"),
        (places["shymkent"].key, date(2024, 3, 21), "Nowruz Holiday"),
    ]
    assert assessment.off_hours == []
    assert assessment.status == "holiday"


def test_8_march_is_a_day_off_in_all_three(places):
    start = samarkand(date(2024, 3, 8), 11)

    assessment = calendar(places).assess(start, start + HOUR)

    assert {d.place.key for d in assessment.days_off} == {p.key for p in places.values()}


# Working hours -------------------------------------------------------------------------


def test_0800_samarkand_is_0700_in_izhevsk_outside_its_hours(places):
    start = samarkand(date(2024, 3, 5), 8)  # a Tuesday

    assessment = calendar(places).assess(start, start + HOUR)

    assert [
        (o.place.key, o.local_start.strftime("%H:%M"), o.reason) for o in assessment.off_hours
    ] == [
        ("home", "08:00", "early"),
        (places["izhevsk"].key, "07:00", "early"),
        (places["shymkent"].key, "08:00", "early"),  # Almaty's clock since 2024-03-01
    ]


def test_1700_samarkand_is_1600_in_izhevsk_inside_everyone_s_hours(places):
    start = samarkand(date(2024, 3, 5), 17)

    assert calendar(places).assess(start, start + HOUR).is_good


def test_lunch_break_and_days_off_are_outside_hours():
    week = WorkingWeek(parse_days("12345"), time(9), time(18), time(13), time(14))
    place = Place("home", "Home", "Samarkand", "Asia/Samarkand", "UZ", week)

    lunch = outside_hours(
        place, samarkand(date(2024, 3, 5), 12, 30), samarkand(date(2024, 3, 5), 13, 30)
    )
    saturday = outside_hours(
        place, samarkand(date(2024, 3, 9), 10), samarkand(date(2024, 3, 9), 11)
    )
    fine = outside_hours(place, samarkand(date(2024, 3, 5), 14), samarkand(date(2024, 3, 5), 18))

    assert (lunch.reason, saturday.reason, fine) == ("lunch", "day_off", None)


@pytest.mark.parametrize(
    ("days", "hours"),
    [("", (time(9), time(18))), ("1238", (time(9), time(18))), ("12345", (time(18), time(9)))],
)
def test_a_working_week_that_cannot_be_read_is_refused(days, hours):
    with pytest.raises(WorkingWeekError):
        WorkingWeek(parse_days(days), *hours)


# Across midnight in one zone -----------------------------------------------------------


def test_a_span_across_midnight_touches_the_next_day_s_holiday(places):
    # 23:30 Samarkand on Thursday 7 March for 90 minutes: into 8 March in Samarkand and
    # Shymkent, while in Izhevsk it runs 22:30 to midnight and stays on 7 March.
    start = samarkand(date(2024, 3, 7), 23, 30)

    assessment = calendar(places).assess(start, start + timedelta(minutes=90))

    assert sorted((d.place.key, d.day) for d in assessment.days_off) == sorted(
        [("home", date(2024, 3, 8)), (places["shymkent"].key, date(2024, 3, 8))]
    )
    assert {o.reason for o in assessment.off_hours} == {"late"}


def test_grid_cell_before_midnight_shows_the_next_day_s_holiday(places):
    grid = week_grid(
        date(2024, 3, 4), "Asia/Samarkand", timedelta(minutes=90), list(places.values()), "en"
    )

    late = grid.cells[(date(2024, 3, 7), 23)]
    early = grid.cells[(date(2024, 3, 7), 21)]

    assert late.assessment.status == "holiday"
    assert early.assessment.status == "off_hours"
    assert late.local == datetime(2024, 3, 7, 23)


# Almaty's change on 2024-03-01 ---------------------------------------------------------


def test_a_week_across_almaty_s_change_shows_shymkent_s_right_local_hours(places):
    grid = week_grid(date(2024, 2, 26), "Asia/Samarkand", HOUR, list(places.values()), "en")

    def shymkent_at(day: date, hour: int):
        cell = grid.cells[(day, hour)]
        return [
            (o.local_start.strftime("%H:%M"), o.reason)
            for o in cell.assessment.off_hours
            if o.place.key == places["shymkent"].key
        ]

    # Thursday 29 February: Shymkent is an hour ahead of Samarkand.
    assert shymkent_at(date(2024, 2, 29), 8) == []  # 09:00 there
    assert shymkent_at(date(2024, 2, 29), 17) == [("18:00", "late")]
    # Friday 1 March: the same clock as Samarkand.
    assert shymkent_at(date(2024, 3, 1), 8) == [("08:00", "early")]
    assert shymkent_at(date(2024, 3, 1), 17) == []


def test_slot_start_skips_an_hour_the_clocks_skip():
    assert slot_start(date(2024, 3, 31), 2, "Europe/Berlin") is None
    assert slot_start(date(2024, 3, 31), 3, "Europe/Berlin") == datetime(2024, 3, 31, 1, tzinfo=UTC)


# Next good times -----------------------------------------------------------------------


def test_next_good_times_skip_holidays_weekends_and_busy_lecturers(places, store, make_user):
    lecturer = make_user()
    shymkent = places["shymkent"]
    # Busy Monday 11 March 09:00-12:00 Samarkand.
    store(
        lecturer_ids=[lecturer.id],
        starts_local=at(9, day=date(2024, 3, 11)),
        duration_minutes=180,
        now=BEFORE_2024,
    )
    # Thursday 7 March 17:30: the rest of the day is late, 8 March a holiday, then a weekend.
    now = samarkand(date(2024, 3, 7), 17, 30)

    found = next_good_times(
        now,
        "Asia/Samarkand",
        HOUR,
        [places["home"], shymkent],
        "en",
        lecturer_ids=[lecturer.id],
        academy_ids=[shymkent.academy_id],
    )

    assert [s.local for s in found] == [
        datetime(2024, 3, 11, 12),
        datetime(2024, 3, 11, 13),
        datetime(2024, 3, 11, 14),
    ]
    assert all(s.assessment.is_good for s in found)


def test_next_good_times_skip_a_closure(places):
    shymkent = places["shymkent"]
    add_closure(shymkent.academy_id, date(2024, 3, 11), date(2024, 3, 12), "Exam week", None)
    db.session.commit()
    now = samarkand(date(2024, 3, 8), 12)

    found = next_good_times(now, "Asia/Samarkand", HOUR, [places["home"], shymkent], "en", count=1)

    assert [s.local for s in found] == [datetime(2024, 3, 13, 9)]


def test_a_closure_is_named_with_its_note(places):
    izhevsk = places["izhevsk"]
    add_closure(izhevsk.academy_id, date(2024, 3, 4), date(2024, 3, 8), "Exam week", None)
    db.session.commit()
    start = samarkand(date(2024, 3, 5), 11)

    found = read_calendar(list(places.values()), start, start + HOUR, "en").assess(
        start, start + HOUR
    )

    assert [(d.place.key, d.name, d.is_closure) for d in found.days_off] == [
        (izhevsk.key, "Exam week", True)
    ]


def test_next_good_times_leave_out_the_session_being_moved(places, store, make_user):
    lecturer = make_user()
    moved = store(
        lecturer_ids=[lecturer.id],
        starts_local=at(9, day=date(2024, 3, 11)),
        duration_minutes=60,
        now=BEFORE_2024,
    )
    now = samarkand(date(2024, 3, 11), 7)

    found = next_good_times(
        now,
        "Asia/Samarkand",
        HOUR,
        [places["home"]],
        "en",
        lecturer_ids=[lecturer.id],
        exclude_session_id=moved.id,
        count=1,
    )

    assert [s.local for s in found] == [datetime(2024, 3, 11, 9)]


# Schedule marks ------------------------------------------------------------------------


def test_marked_sessions_are_those_off_hours_or_on_a_day_off(places, store, make_user, izhevsk):
    lecturer = make_user()
    common = dict(lecturer_ids=[lecturer.id], academy_ids=[izhevsk.id], now=BEFORE_2024)
    early = store(starts_local=at(8, day=date(2024, 3, 5)), **common)
    fine = store(starts_local=at(14, day=date(2024, 3, 5)), **common)
    holiday = store(starts_local=at(14, day=date(2024, 3, 8)), **common)
    sessions = [db.session.get(Session, s.id) for s in (early, fine, holiday)]
    places_of = {s.id: [academy_place(a, "en") for a in s.academies] for s in sessions}

    marked = marked_sessions(sessions, places["home"], places_of)

    assert set(marked) == {early.id, holiday.id}
    assert marked[early.id].status == "off_hours"
    assert marked[holiday.id].status == "holiday"
