"""The staff dashboard (/manage/): each upcoming session's time, and the reader's own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.fixtures.app import client_as
from tests.fixtures.markup import parse
from webinars.models import Role


def _cards(response) -> list[str]:
    page = parse(response.get_data(as_text=True))
    return [e.text() for e in page.iter() if e.tag == "li" and "session-card" in e.classes]


def test_dashboard_adds_the_readers_own_time_in_another_zone(
    app, make_session, make_user, make_academy
):
    # A coordinator in Izhevsk read "20:00 Samarkand (UTC+05:00)" and had to work out
    # that it is 19:00 at home; the schedule and the academy's page say so, this did not.
    izhevsk = make_academy(name_en="Izhevsk", time_zone="Europe/Samara")
    olga = make_user(
        Role.COORDINATOR, academy_id=izhevsk.id, time_zone="Europe/Samara", locale="en"
    )
    day = date.today() + timedelta(days=9)
    make_session(
        academy_ids=[izhevsk.id],
        title="Rickets today",
        starts_local=datetime(day.year, day.month, day.day, 20, 0),
        time_zone="Asia/Samarkand",
    )

    [card] = _cards(client_as(app, olga).get("/manage/"))

    weekday = datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%a")
    own = f"Your time: {weekday} {day.day} {day:%b %Y}, 19:00 Samara (UTC+04:00)"
    assert "20:00 Samarkand (UTC+05:00)" in card
    assert own in card


def test_dashboard_in_the_sessions_own_zone_says_it_once(app, make_session, make_user):
    lecturer = make_user(Role.LECTURER, time_zone="Asia/Samarkand", locale="en")
    make_session(actor=lecturer, time_zone="Asia/Samarkand")

    [card] = _cards(client_as(app, lecturer).get("/manage/"))

    assert "Samarkand (UTC+05:00)" in card
    assert "Your time" not in card
