"""The coordinator's dashboard: their academy's sessions (reserved and taken seats, the
waiting list, attendance afterwards), its students by name and state, its requests and
agreements; nothing personal about other academies' students."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.fixtures.app import client_as
from tests.fixtures.markup import by_id, parse
from tests.fixtures.registration import person
from webinars.domain.partners.quotas import set_quota
from webinars.domain.partners.requests import RequestInput, submit_request
from webinars.extensions import db
from webinars.models import (
    Agreement,
    AgreementKind,
    AttendanceEntry,
    AttendanceSheet,
    Role,
    Session,
    SessionKind,
    User,
    utcnow,
)


def test_coordinator_dashboard_shows_own_academy_only(
    app, open_session, make_user, make_academy, enrol
):
    izhevsk = make_academy(name_en="Izhevsk", time_zone="Europe/Samara")
    shymkent = make_academy(name_en="Shymkent", time_zone="Asia/Almaty")
    olga = make_user(
        Role.COORDINATOR, academy_id=izhevsk.id, time_zone="Europe/Samara", locale="en"
    )
    lecturer = make_user(Role.LECTURER)
    upcoming = open_session(capacity=3, academy_ids=[izhevsk.id, shymkent.id], actor=lecturer)
    past = open_session(capacity=10, academy_ids=[izhevsk.id], actor=lecturer, title="Last year")
    with app.app_context():
        set_quota(upcoming.id, izhevsk.id, 2, utcnow() + timedelta(days=2), None)
        db.session.commit()
    enrol(upcoming.id, person("anna", full_name="Anna Izh", academy_id=izhevsk.id))
    enrol(upcoming.id, person("sam", full_name="Samat Shym", academy_id=shymkent.id))
    enrol(upcoming.id, person("bob", full_name="Boris Izh", academy_id=izhevsk.id))
    waiting = enrol(upcoming.id, person("vera", full_name="Vera Izh", academy_id=izhevsk.id))
    assert waiting.status.value == "waiting"
    attended = enrol(
        past.id, person("p1", full_name="Pavel Izh", academy_id=izhevsk.id), added_by=lecturer
    )
    with app.app_context():
        moved = db.session.get(Session, past.id)
        moved.starts_at -= timedelta(days=30)
        moved.ends_at -= timedelta(days=30)
        db.session.add(AttendanceSheet(session_id=past.id, finalised_at=utcnow()))
        db.session.add(
            AttendanceEntry(session_id=past.id, registration_id=attended.id, attended=True)
        )
        today = date.today()
        for academy, expires in ((izhevsk.id, 200), (izhevsk.id, 40), (shymkent.id, 10)):
            db.session.add(
                Agreement(
                    academy_id=academy,
                    kind=AgreementKind.MEMORANDUM,
                    number=f"M-{expires}",
                    signed_on=today - timedelta(days=100),
                    expires_on=today + timedelta(days=expires),
                )
            )
        db.session.commit()

    page = parse(client_as(app, olga).get("/partners/academy").get_data(as_text=True))
    card = by_id(page, "upcoming-sessions").text()
    assert "Reserved for us: 2, taken: 2." in card
    assert "Our students with a seat: 2; waiting: 1." in card
    assert "Anna Izh" in card and "Vera Izh" in card
    assert "Samat Shym" not in page.text() and "student-sam" not in page.text()
    # Times in the coordinator's zone first: the card's first time is Samara's.
    assert "(UTC+04:00)" in card.split("Samarkand")[0]
    assert "Attended: 1." in by_id(page, "past-sessions").text()
    expected = (date.today() + timedelta(days=40)).isoformat()
    assert by_id(page, "next-expiry").text() == f"Next expiry: {expected}."
    agreements = by_id(page, "agreement-list").text()
    assert "M-200" in agreements and "M-10" not in agreements


def test_dashboard_is_for_coordinators(app, make_user):
    lecturer = make_user(Role.LECTURER)
    assert client_as(app, lecturer).get("/partners/academy").status_code == 403
    assert app.test_client().get("/partners/academy").status_code == 302


def test_a_russian_coordinator_reads_the_cities_in_russian(
    app, open_session, make_user, make_academy
):
    izhevsk = make_academy(name_en="Izhevsk", city_ru="Ижевск", time_zone="Europe/Samara")
    olga = make_user(
        Role.COORDINATOR, academy_id=izhevsk.id, time_zone="Europe/Samara", locale="ru"
    )
    open_session(academy_ids=[izhevsk.id])
    client = client_as(app, olga)
    page = parse(client.get("/partners/academy").get_data(as_text=True))
    pills = [e.text() for e in by_id(page, "upcoming-sessions").iter() if e.tag == "li"][1:]
    assert [p.split(" ", 1)[1] for p in pills] == ["Самарканд", "Ижевск (вы)"]
    with app.app_context():
        request = submit_request(
            db.session.get(User, olga.id),
            RequestInput(
                topic="Sepsis",
                kind=SessionKind.GUEST_LECTURE,
                language="ru",
                time_zone="Europe/Samara",
                duration_minutes=60,
                windows_local=[datetime.now() + timedelta(days=d) for d in (20, 21)],
            ),
        )
        db.session.commit()
        request_id = request.id
    page = parse(client.get(f"/partners/requests/{request_id}").get_data(as_text=True))
    windows = by_id(page, "request-windows").text()
    assert "Самарканд" in windows and "Ижевск (вы)" in windows
    assert "Samarkand" not in windows and "Izhevsk" not in windows


def test_dashboard_shows_the_next_sessions_and_links_to_the_rest(
    app, make_session, make_user, make_academy, monkeypatch
):
    # At university scale an academy has hundreds of upcoming sessions: the page showed
    # every one of them (543 cards, 600 ms, a page 90,000 pixels tall on which the
    # requests and past sessions were out of reach). It shows the next few, any later
    # one with seats reserved for the academy (nominating is the coordinator's task),
    # and links to the academy's whole schedule.
    monkeypatch.setattr("webinars.domain.partners.dashboard.UPCOMING_LIMIT", 3, raising=False)
    izhevsk = make_academy(name_en="Izhevsk", time_zone="Europe/Samara")
    olga = make_user(Role.COORDINATOR, academy_id=izhevsk.id, locale="en")
    lecturer = make_user(Role.LECTURER)
    start = datetime.combine(date.today() + timedelta(days=7), datetime.min.time())
    titles = [f"Session {n}" for n in range(6)]
    ids = [
        make_session(
            actor=lecturer,
            academy_ids=[izhevsk.id],
            title=title,
            capacity=10,
            starts_local=start + timedelta(days=n, hours=10),
        ).id
        for n, title in enumerate(titles)
    ]
    with app.app_context():
        set_quota(ids[5], izhevsk.id, 2, utcnow() + timedelta(days=3), None)
        db.session.commit()

    page = parse(client_as(app, olga).get("/partners/academy").get_data(as_text=True))

    cards = [e.attrs["data-session"] for e in page.iter() if "data-session" in e.attrs]
    assert cards == [str(ids[n]) for n in (0, 1, 2, 5)]
    more = by_id(page, "more-upcoming")
    assert more.text() == (
        "The next 3 of 6 upcoming sessions, and those with seats reserved for your"
        " academy. Your academy's whole schedule"
    )
    links = [e.attrs["href"] for e in more.iter() if e.tag == "a"]
    assert links == [f"/manage/schedule?academy={izhevsk.id}"]


def test_dashboard_with_few_sessions_has_no_more_link(app, make_session, make_user, make_academy):
    izhevsk = make_academy(name_en="Izhevsk", time_zone="Europe/Samara")
    olga = make_user(Role.COORDINATOR, academy_id=izhevsk.id, locale="en")
    make_session(academy_ids=[izhevsk.id])
    page = parse(client_as(app, olga).get("/partners/academy").get_data(as_text=True))
    assert [e for e in page.iter() if e.attrs.get("id") == "more-upcoming"] == []
    assert len([e for e in page.iter() if "data-session" in e.attrs]) == 1


def test_session_page_lists_the_coordinators_own_students_only(
    app, open_session, make_user, make_academy, enrol
):
    # The dashboard shows the next sessions only; for a later one the coordinator's
    # students are on the session's own page (and nobody else's students are).
    izhevsk = make_academy(name_en="Izhevsk", time_zone="Europe/Samara")
    shymkent = make_academy(name_en="Shymkent", time_zone="Asia/Almaty")
    olga = make_user(Role.COORDINATOR, academy_id=izhevsk.id, locale="en")
    session = open_session(capacity=5, academy_ids=[izhevsk.id, shymkent.id])
    enrol(session.id, person("anna", full_name="Anna Izh", academy_id=izhevsk.id))
    enrol(session.id, person("sam", full_name="Samat Shym", academy_id=shymkent.id))

    page = parse(client_as(app, olga).get(f"/manage/sessions/{session.id}").get_data(as_text=True))

    students = by_id(page, "academy-students").text()
    assert "Anna Izh" in students and "Confirmed" not in students  # held until confirmed
    assert "Held, unconfirmed" in students
    assert "Samat Shym" not in page.text() and "student-sam" not in page.text()


def test_session_page_has_no_student_list_for_lecturers(app, open_session, make_user, enrol):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person("anna", full_name="Anna Izh"))

    page = parse(
        client_as(app, lecturer).get(f"/manage/sessions/{session.id}").get_data(as_text=True)
    )

    assert [e for e in page.iter() if e.attrs.get("id") == "academy-students"] == []
