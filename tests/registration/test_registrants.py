"""The lecturers' registrants page: who may see it, CSV, add, remove, promote, seats, message."""

from __future__ import annotations

import csv
import io

import pytest

from tests.fixtures.markup import parse
from tests.fixtures.registration import outbox, person
from tests.fixtures.session_form import form_data
from webinars.domain.sessions.scheduling import input_from_session
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Role, Session, ZoomAttendance


def _statuses(app, session_id: int) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(db.select(Registration).filter_by(session_id=session_id))
        return {r.email: r.status.value for r in rows.scalars()}


def test_only_the_sessions_lecturers_and_admins_see_registrants(
    app, make_user, make_academy, open_session, enrol
):
    academy = make_academy()
    own = make_user(Role.LECTURER)
    session = open_session(actor=own, academy_ids=[academy.id])
    enrol(session.id, person(1))
    people = {
        "own": own,
        "other": make_user(Role.LECTURER),
        "coordinator": make_user(Role.COORDINATOR, academy_id=academy.id),
        "admin": make_user(Role.ADMIN),
    }
    expected = {"own": 200, "other": 403, "coordinator": 403, "admin": 200}

    seen = {}
    for name, user in people.items():
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": "correct horse battery"})
        pages = [
            client.get(f"/manage/sessions/{session.id}/registrants"),
            client.get(f"/manage/sessions/{session.id}/registrants.csv"),
        ]
        seen[name] = pages[0].status_code
        assert pages[1].status_code == expected[name]
        if expected[name] == 200:
            assert "student1@example.org" in pages[0].get_data(as_text=True)
    anonymous = app.test_client().get(f"/manage/sessions/{session.id}/registrants")

    assert seen == expected
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_csv_export_lists_everyone_in_order_and_defuses_formulas(
    app, client, login, make_user, open_session, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=1, actor=lecturer)
    enrol(session.id, person(1, full_name='=HYPERLINK("http://evil")'))
    enrol(session.id, person(2))
    with app.app_context():  # Zoom saw student 1 twice (a rejoin): 30 + 12 minutes
        for key, minutes in (("a", 30), ("b", 12)):
            db.session.add(
                ZoomAttendance(
                    session_id=session.id,
                    meeting_id=1,
                    participant_key=key,
                    email="Student1@Example.org",
                    minutes=minutes,
                )
            )
        db.session.commit()
    login(lecturer)

    response = client.get(f"/manage/sessions/{session.id}/registrants.csv")
    page = client.get(f"/manage/sessions/{session.id}/registrants").get_data(as_text=True)

    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert [
        (r["Email"], r["Status"], r["Place on the waiting list"], r["Minutes in Zoom"])
        for r in rows
    ] == [
        ("student1@example.org", "Held, unconfirmed", "", "42"),
        ("student2@example.org", "Waiting", "1", ""),
    ]
    assert rows[0]["Name"].startswith("'=")
    assert '<td class="attended">42 min</td>' in page


def test_csv_opens_in_excel_with_cyrillic_names_intact(
    app, client, login, make_user, open_session, enrol
):
    # Excel set up for Russia or Uzbekistan reads a CSV without a byte order mark as
    # Windows-1251: every Cyrillic name came out as "РРІР°РЅРѕРІР°". The mark makes it read UTF-8.
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1, full_name="Иванова Мария"))
    login(lecturer)

    body = client.get(f"/manage/sessions/{session.id}/registrants.csv").data

    assert body.startswith(b"\xef\xbb\xbfStatus,")
    assert "Иванова Мария" in body.decode("utf-8-sig")


def test_add_remove_and_promote_by_hand(app, client, login, make_user, open_session, enrol):
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=1, actor=lecturer)
    with app.app_context():
        academy_id = db.session.get(Session, session.id).academies[0].id
    login(lecturer)
    base = f"/manage/sessions/{session.id}/registrants"

    added = client.post(
        f"{base}/add",
        data={
            "add-full_name": "Added By Hand",
            "add-email": "hand@example.org",
            "add-academy_id": str(academy_id),
            "add-locale": "ru",
        },
    )
    waiting = enrol(session.id, person(2), added_by=lecturer)
    refused = client.post(f"{base}/{waiting.id}/promote", follow_redirects=True)
    promoted = client.post(f"{base}/{waiting.id}/promote", data={"add_seat": "1"})
    with app.app_context():
        hand = db.session.execute(db.select(Registration).filter_by(email="hand@example.org"))
        hand_id = hand.scalar_one().id
    removed = client.post(f"{base}/{hand_id}/remove")

    assert added.status_code == 302
    assert "The session is full" in refused.get_data(as_text=True)
    assert promoted.status_code == 302 and removed.status_code == 302
    assert _statuses(app, session.id) == {
        "hand@example.org": "cancelled",
        "student2@example.org": "confirmed",
    }
    with app.app_context():
        assert db.session.get(Session, session.id).capacity == 2
    assert [m.kind for m in outbox(app, to_address="hand@example.org")] == ["confirmed", "removed"]


def test_capacity_never_below_the_taken_seats_without_the_explicit_choice(
    app, client, login, make_user, open_session, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=3, actor=lecturer)
    for n in range(4):
        enrol(session.id, person(n), added_by=lecturer)
    login(lecturer)
    url = f"/manage/sessions/{session.id}/registrants/capacity"

    refused = client.post(url, data={"capacity": "1"})
    lowered = client.post(url, data={"capacity": "1", "demote": "y"})
    raised = client.post(url, data={"capacity": "2"})

    assert refused.status_code == 422
    assert "3 seats are taken" in refused.get_data(as_text=True)
    assert (lowered.status_code, raised.status_code) == (302, 302)
    assert _statuses(app, session.id) == {
        "student0@example.org": "confirmed",
        "student1@example.org": "confirmed",  # back first: registered before the others
        "student2@example.org": "waiting",
        "student3@example.org": "waiting",
    }
    assert [m.to_address for m in outbox(app, kind="back_to_waiting")] == [
        "student2@example.org",
        "student1@example.org",
    ]


def test_edit_form_refuses_capacity_below_the_seats_taken(
    app, client, login, make_user, open_session, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=3, actor=lecturer)
    for n in range(3):
        enrol(session.id, person(n), added_by=lecturer)
    login(lecturer)
    with app.app_context():
        row = db.session.get(Session, session.id)
        academy_id = row.academies[0].id
        starts = input_from_session(row).starts_local
    data = form_data(
        lecturer.id,
        academy_id,
        kind="master_class",
        capacity="2",
        starts_local=starts.strftime("%Y-%m-%dT%H:%M"),
    )

    response = client.post(f"/manage/sessions/{session.id}/edit", data=data)

    assert "3 seats are already taken" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Session, session.id).capacity == 3


def test_message_to_everyone_reaches_seats_and_waiting_list(
    app, client, login, make_user, open_session, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=1, actor=lecturer)
    enrol(session.id, person(1))
    enrol(session.id, person(2))
    gone = enrol(session.id, person(3))
    with app.app_context():
        from webinars.domain.registration.register import cancel

        cancel(db.session.get(Registration, gone.id))
        db.session.commit()
    login(lecturer)

    empty = client.post(f"/manage/sessions/{session.id}/registrants/message", data={})
    sent = client.post(
        f"/manage/sessions/{session.id}/registrants/message",
        data={"subject": "Bring a stethoscope", "body": "See you there."},
    )

    assert empty.status_code == 422 and "Enter a subject." in empty.get_data(as_text=True)
    assert sent.status_code == 302
    messages = outbox(app, kind="message")
    assert sorted(m.to_address for m in messages) == [
        "student1@example.org",
        "student2@example.org",
    ]
    assert messages[0].subject == "Bring a stethoscope"
    assert "See you there." in messages[0].text_body
    assert RegistrationStatus.CANCELLED.value == _statuses(app, session.id)["student3@example.org"]


def test_registrants_list_writes_times_in_the_one_format(
    app, client, login, make_user, open_session, enrol
):
    lecturer = make_user(Role.LECTURER, time_zone="Asia/Samarkand")
    session = open_session(actor=lecturer)
    enrol(session.id, person(1))
    login(lecturer)

    registrants = parse(client.get(f"/manage/sessions/{session.id}/registrants").text)
    cells = [e.text() for e in registrants.iter() if e.tag == "td" and "(UTC+05:00)" in e.text()]

    assert len(cells) == 1 and cells[0].endswith("Samarkand (UTC+05:00)")


@pytest.mark.parametrize(
    ("language", "headings", "waiting"),
    [
        (
            "ru",
            ["Статус", "Место в листе ожидания", "Эл. почта", "Дата регистрации (UTC)"],
            "В листе ожидания",
        ),
        (
            "uz",
            [
                "Holat",
                "Kutish roʻyxatidagi oʻrni",
                "Elektron pochta",
                "Roʻyxatdan oʻtgan vaqti (UTC)",
            ],
            "Kutish roʻyxatida",
        ),
    ],
)
def test_csv_export_is_headed_and_filled_in_the_readers_language(
    app, client, login, make_user, open_session, enrol, language, headings, waiting
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=1, actor=lecturer)
    enrol(session.id, person(1))
    enrol(session.id, person(2))
    login(lecturer)

    response = client.get(
        f"/manage/sessions/{session.id}/registrants.csv", headers={"Accept-Language": language}
    )

    header, _first, second = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [header[0], header[1], header[3], header[8]] == headings
    assert (second[0], second[1]) == (waiting, "1")


def test_add_a_person_form_speaks_of_the_person_not_to_them(
    app, client, login, make_user, open_session
):
    # The lecturer's form read "Name of your institution" and, left empty, "Enter the name
    # of your institution"; and its name and email fields asked the browser to fill in the
    # lecturer's own name and address.
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    login(lecturer)
    base = f"/manage/sessions/{session.id}/registrants"

    page = parse(client.get(base).get_data(as_text=True))
    refused = client.post(
        f"{base}/add",
        data={"add-full_name": "Guest", "add-email": "g@example.org", "add-academy_id": "-1"},
    )

    labels = {e.attrs.get("for"): e.text() for e in page.iter() if e.tag == "label"}
    assert labels["add-academy_other"] == "Name of their institution"
    fields = {e.attrs.get("id"): e.attrs for e in page.iter() if e.tag == "input"}
    assert fields["add-full_name"]["autocomplete"] == "off"
    assert fields["add-email"]["autocomplete"] == "off"
    assert refused.status_code == 422
    assert "Enter the name of their institution." in refused.get_data(as_text=True)
