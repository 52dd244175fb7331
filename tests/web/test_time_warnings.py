"""Warnings on save: a time outside an involved place's working hours, or on a holiday or
closure there, asks for confirmation; the schedule and dashboard mark such sessions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.fixtures.markup import by_id, parse
from tests.fixtures.session_form import DAY, form_data
from webinars.domain.sessions.closures import add_closure
from webinars.extensions import db
from webinars.models import Role, Session, utcnow

# 8 March next year: Women's Day in Uzbekistan, Kazakhstan and Russia.
WOMENS_DAY = date(utcnow().year + 1, 3, 8)


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


def warnings_on(html: str) -> list[str]:
    box = by_id(parse(html), "time-warnings")
    return [e.text() for e in box.iter() if e.tag == "li"]


def _sessions(app) -> list[Session]:
    with app.app_context():
        return db.session.execute(db.select(Session)).scalars().all()


def test_0800_samarkand_warns_it_starts_0700_in_izhevsk_and_saves_once_confirmed(
    app, client, login, lecturer, izhevsk
):
    login(lecturer)
    data = form_data(lecturer.id, izhevsk.id, starts_local=f"{DAY}T08:00")

    first = client.post("/manage/sessions/new", data=data)

    assert first.status_code == 200
    assert warnings_on(first.get_data(as_text=True)) == [
        "Starts 08:00 in Samarkand, before work starts there (09:00).",
        "Starts 07:00 in Izhevsk, before work starts there (09:00).",
    ]
    assert "Save anyway, despite the warnings listed above" in first.get_data(as_text=True)
    assert _sessions(app) == []

    confirmed = client.post("/manage/sessions/new", data={**data, "confirm_conflicts": "y"})

    assert confirmed.status_code == 302
    assert len(_sessions(app)) == 1


def test_8_march_warns_of_the_holiday_in_each_country(
    app, client, login, lecturer, izhevsk, shymkent
):
    login(lecturer)
    data = form_data(
        lecturer.id,
        izhevsk.id,
        academy_ids=[str(izhevsk.id), str(shymkent.id)],
        starts_local=f"{WOMENS_DAY}T14:00",
    )

    response = client.post("/manage/sessions/new", data=data)

    lines = warnings_on(response.get_data(as_text=True))
    day = f"{WOMENS_DAY:%a} {WOMENS_DAY.day} Mar {WOMENS_DAY.year}"
    assert f"International Women's Day ({day}) in Kazakhstan and Russia: a public holiday." in lines
    assert f"Women's Day ({day}) in Uzbekistan: a public holiday." in lines
    assert _sessions(app) == []


def test_warnings_speak_russian(app, client, login, make_user, izhevsk):
    lecturer = make_user(Role.LECTURER, locale="ru")
    login(lecturer)
    data = form_data(lecturer.id, izhevsk.id, starts_local=f"{DAY}T17:00")

    response = client.post("/manage/sessions/new", data=data)

    assert warnings_on(response.get_data(as_text=True)) == [
        "Заканчивается в 18:30 (Samarkand), после конца рабочего дня там (18:00)."
    ]


def test_a_closure_warns_with_its_note(app, client, login, lecturer, izhevsk):
    with app.app_context():
        add_closure(izhevsk.id, DAY, DAY, "Exam week", None)
        db.session.commit()
    login(lecturer)

    response = client.post("/manage/sessions/new", data=form_data(lecturer.id, izhevsk.id))

    (line,) = warnings_on(response.get_data(as_text=True))
    assert line.startswith("Exam week at Izhevsk State Medical Academy (")


def test_editing_only_the_title_asks_nothing_again(app, client, login, lecturer, izhevsk):
    login(lecturer)
    data = form_data(lecturer.id, izhevsk.id, starts_local=f"{DAY}T08:00", confirm_conflicts="y")
    assert client.post("/manage/sessions/new", data=data).status_code == 302
    (session,) = _sessions(app)
    edit = {k: v for k, v in data.items() if k != "confirm_conflicts"}

    response = client.post(f"/manage/sessions/{session.id}/edit", data={**edit, "title": "New"})

    assert response.status_code == 302


def test_reschedule_to_a_saturday_warns_then_moves_once_confirmed(
    app, client, login, lecturer, izhevsk
):
    login(lecturer)
    assert (
        client.post("/manage/sessions/new", data=form_data(lecturer.id, izhevsk.id)).status_code
        == 302
    )
    (session,) = _sessions(app)
    saturday = DAY + timedelta(days=(5 - DAY.weekday()) % 7 or 7)
    data = {
        "starts_local": f"{saturday}T11:00",
        "time_zone": "Asia/Samarkand",
        "duration_minutes": "60",
    }

    first = client.post(f"/manage/sessions/{session.id}/reschedule", data=data)

    assert first.status_code == 200
    assert warnings_on(first.get_data(as_text=True)) == [
        "Saturday is not a working day in Samarkand.",
        "Saturday is not a working day in Izhevsk.",
    ]
    moved = client.post(
        f"/manage/sessions/{session.id}/reschedule", data={**data, "confirm_conflicts": "y"}
    )
    assert moved.status_code == 302
    (session,) = _sessions(app)
    assert session.starts_at == datetime.fromisoformat(f"{saturday}T06:00+00:00")


def test_schedule_and_dashboard_mark_off_hours_and_holiday_sessions(
    app, client, login, lecturer, izhevsk
):
    login(lecturer)
    common = dict(confirm_conflicts="y", title="Off hours")
    client.post(
        "/manage/sessions/new",
        data=form_data(lecturer.id, izhevsk.id, starts_local=f"{DAY}T08:00", **common),
    )
    client.post(
        "/manage/sessions/new",
        data=form_data(
            lecturer.id,
            izhevsk.id,
            starts_local=f"{WOMENS_DAY}T14:00",
            confirm_conflicts="y",
            title="On a holiday",
        ),
    )
    client.post("/manage/sessions/new", data=form_data(lecturer.id, izhevsk.id, title="Fine"))

    for path in ("/manage/schedule", "/manage/"):
        page = parse(client.get(path).get_data(as_text=True))
        marks = {}
        for row in page.iter():
            if row.tag in ("tr", "li") and any(e.tag == "a" for e in row.iter()):
                text = row.text()
                for title in ("Off hours", "On a holiday", "Fine"):
                    if title in text:
                        marks.setdefault(title, set()).update(
                            m for m in ("☾ off hours", "★ holiday") if m in text
                        )
        assert marks == {
            "Off hours": {"☾ off hours"},
            "On a holiday": {"★ holiday"},
            "Fine": set(),
        }, path
