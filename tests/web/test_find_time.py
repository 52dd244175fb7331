"""The find-a-time grid: its page, its place in the session forms without JavaScript,
who sees which titles, and a query count that does not grow with the sessions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from tests.fixtures.markup import parse, value_of
from tests.fixtures.session_form import DAY, form_data
from webinars.extensions import db
from webinars.models import Role, Session, SessionStatus

WEEK = date(2030, 3, 4)  # Monday; 8 March 2030 is a Friday


@pytest.fixture
def lecturer(make_user):
    return make_user(Role.LECTURER, name="Dilnoza Rashidova")


@pytest.fixture
def izhevsk(make_academy):
    return make_academy(name_en="Izhevsk State Medical Academy", city="Izhevsk", country="RU")


@pytest.fixture
def shymkent(make_academy):
    return make_academy(
        name_en="South Kazakhstan Medical Academy",
        city="Shymkent",
        country="KZ",
        time_zone="Asia/Almaty",
    )


def grid_url(academies, lecturers=(), week: date = WEEK, **extra) -> str:
    args = [f"academy_ids={a.id}" for a in academies] + [f"lecturer_ids={u.id}" for u in lecturers]
    args += ["time_zone=Asia/Samarkand", "duration_minutes=60", f"week={week}"]
    args += [f"{k}={v}" for k, v in extra.items()]
    return "/manage/find-a-time?" + "&".join(args)


def cell(html: str, start: str):
    (found,) = [
        e for e in parse(html).iter() if e.tag == "td" and e.attrs.get("data-start") == start
    ]
    return found


def status_of(td) -> str:
    return next(c for c in td.classes if c.startswith("slot-") and c != "slot-why")


def test_grid_marks_free_off_hours_holiday_and_busy_with_reasons(
    app, client, login, lecturer, izhevsk, shymkent, make_session
):
    make_session(
        actor=lecturer,
        lecturer_ids=[lecturer.id],
        academy_ids=[izhevsk.id],
        title="Neonatal sepsis",
        starts_local=datetime.combine(WEEK, time(14)),
    )
    login(lecturer)

    html = client.get(grid_url([izhevsk, shymkent], [lecturer])).get_data(as_text=True)

    assert status_of(cell(html, "2030-03-05T11:00")) == "slot-free"
    early = cell(html, "2030-03-05T08:00")
    assert status_of(early) == "slot-off_hours"
    assert "Izhevsk 07:00" in early.text() and "Samarkand 08:00" in early.text()
    holiday = cell(html, "2030-03-08T11:00")
    assert status_of(holiday) == "slot-holiday"
    assert (
        "(Uzbekistan)" in holiday.text() and "International Women's Day (Russia)" in holiday.text()
    )
    busy = cell(html, "2030-03-04T14:00")
    assert status_of(busy) == "slot-busy"
    assert "Dilnoza Rashidova, Izhevsk State Medical Academy: Neonatal sepsis" in busy.text()
    # A free cell opens a new session at that time with the same people.
    (link,) = [e for e in cell(html, "2030-03-05T11:00").iter() if e.tag == "a"]
    assert link.attrs["href"].startswith("/manage/sessions/new?")
    assert "starts_local=2030-03-05T11:00" in link.attrs["href"]


def test_next_good_times_are_listed_first(app, client, login, lecturer, izhevsk):
    login(lecturer)

    page = parse(client.get(grid_url([izhevsk])).get_data(as_text=True))

    picks = [e for e in page.iter() if "good-times" in e.classes]
    assert len(picks) == 1
    assert len([e for e in picks[0].iter() if e.tag == "li"]) == 3


def test_grid_queries_do_not_grow_with_the_sessions(
    app, client, login, lecturer, izhevsk, shymkent, make_session, count_queries
):
    login(lecturer)
    url = grid_url([izhevsk, shymkent], [lecturer])

    def count() -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    make_session(
        actor=lecturer, academy_ids=[izhevsk.id], starts_local=datetime.combine(WEEK, time(10))
    )
    few = count()
    for n in range(12):
        day = WEEK + timedelta(days=n % 5, weeks=n // 5 % 2)
        make_session(
            actor=lecturer,
            lecturer_ids=[lecturer.id],
            academy_ids=[izhevsk.id, shymkent.id],
            starts_local=datetime.combine(day, time(11 + n % 6)),
            status=SessionStatus.DRAFT if n % 4 == 0 else SessionStatus.SCHEDULED,
        )
    many = count()

    assert many == few


def test_coordinator_sees_no_title_of_another_academy_s_session(
    app, client, login, make_user, izhevsk, shymkent, make_session
):
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id)
    make_session(
        academy_ids=[shymkent.id],
        title="Shymkent only",
        starts_local=datetime.combine(WEEK, time(10)),
    )
    make_session(
        academy_ids=[izhevsk.id],
        title="Ours in Izhevsk",
        starts_local=datetime.combine(WEEK, time(14)),
    )
    login(coordinator)

    first = client.get("/manage/find-a-time")
    html = client.get(grid_url([izhevsk, shymkent])).get_data(as_text=True)

    assert first.status_code == 200
    assert f'value="{izhevsk.id}" id="academy_ids-0" checked' in first.get_data(as_text=True)
    assert "Shymkent only" not in html
    assert (
        "South Kazakhstan Medical Academy: another session" in cell(html, "2030-03-04T10:00").text()
    )
    assert "Izhevsk State Medical Academy: Ours in Izhevsk" in cell(html, "2030-03-04T14:00").text()
    # Coordinators do not schedule: no links to a new session.
    assert "/manage/sessions/new" not in html


def test_lecturer_sees_the_title_the_coordinator_may_not(
    app, client, login, lecturer, izhevsk, shymkent, make_session
):
    make_session(
        academy_ids=[shymkent.id],
        title="Shymkent only",
        starts_local=datetime.combine(WEEK, time(10)),
    )
    login(lecturer)

    html = client.get(grid_url([izhevsk, shymkent])).get_data(as_text=True)

    assert (
        "South Kazakhstan Medical Academy: Shymkent only" in cell(html, "2030-03-04T10:00").text()
    )


def test_form_without_javascript_shows_the_grid_and_keeps_what_was_typed(
    app, client, login, lecturer, izhevsk
):
    login(lecturer)
    data = form_data(lecturer.id, izhevsk.id, title="Kept title", find_time="1")

    shown = client.post("/manage/sessions/new", data=data)

    page = parse(shown.get_data(as_text=True))
    assert shown.status_code == 200
    assert value_of(page, "title") == "Kept title"
    assert [e for e in page.iter() if e.attrs.get("id") == "find-time-grid"]
    pick = f"{DAY + timedelta(days=1)}T11:00"
    picked = client.post(
        "/manage/sessions/new", data={**form_data(lecturer.id, izhevsk.id), "pick_start": pick}
    )
    assert value_of(parse(picked.get_data(as_text=True)), "starts_local") == pick
    with app.app_context():
        assert db.session.execute(db.select(Session)).first() is None


def test_reschedule_form_grid_leaves_out_the_session_itself(
    app, client, login, lecturer, izhevsk, make_session
):
    session = make_session(
        actor=lecturer,
        lecturer_ids=[lecturer.id],
        academy_ids=[izhevsk.id],
        starts_local=datetime.combine(WEEK, time(11)),
        duration_minutes=60,
    )
    login(lecturer)
    data = {
        "starts_local": f"{WEEK}T11:00",
        "time_zone": "Asia/Samarkand",
        "duration_minutes": "60",
        "find_time": "1",
    }

    html = client.post(f"/manage/sessions/{session.id}/reschedule", data=data).get_data(
        as_text=True
    )

    assert status_of(cell(html, "2030-03-04T11:00")) == "slot-free"


def test_a_free_cell_link_prefills_the_new_session_form(app, client, login, lecturer, izhevsk):
    login(lecturer)

    html = client.get(
        f"/manage/sessions/new?starts_local=2030-03-05T11:00&time_zone=Asia/Almaty"
        f"&duration_minutes=45&academy_ids={izhevsk.id}&lecturer_ids={lecturer.id}"
    ).get_data(as_text=True)

    page = parse(html)
    assert value_of(page, "starts_local") == "2030-03-05T11:00"
    assert value_of(page, "duration_minutes") == "45"
    assert value_of(page, "time_zone") in ("Asia/Almaty", ["Asia/Almaty"])


def test_grid_fragment_for_the_script_has_pick_buttons(app, client, login, lecturer, izhevsk):
    login(lecturer)

    html = client.get(
        f"/manage/find-a-time/grid?mode=form&academy_ids={izhevsk.id}"
        f"&time_zone=Asia/Samarkand&week={WEEK}"
    ).get_data(as_text=True)

    buttons = [
        e for e in parse(html).iter() if e.tag == "button" and e.attrs.get("name") == "pick_start"
    ]
    assert "2030-03-05T11:00" in [b.attrs["value"] for b in buttons]
    assert "<html" not in html


def test_grid_in_russian(app, client, login, make_user, izhevsk):
    login(make_user(Role.LECTURER, locale="ru"))

    html = client.get(grid_url([izhevsk])).get_data(as_text=True)

    assert "Международный женский день (Россия)" in cell(html, "2030-03-08T11:00").text()
    assert "Ближайшие удобные времена" in html


def test_grid_names_its_zone_by_the_city_in_the_readers_language(
    app, client, login, make_user, izhevsk
):
    login(make_user(Role.LECTURER, locale="ru"))

    html = client.get(grid_url([izhevsk])).get_data(as_text=True)
    text = " ".join(parse(html).text().split())

    assert "(время: Самарканд)" in text  # the zone picker still shows the IANA name
