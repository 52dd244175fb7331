"""The students' pages: catalogue, form (bad input, closed, honeypot, limits), manage link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.fixtures.markup import by_id, parse
from tests.fixtures.registration import (
    first_academy,
    link_in,
    outbox,
    person,
    registration_form,
)
from webinars import create_app
from webinars.domain.registration.manage_links import manage_token
from webinars.domain.sessions.scheduling import cancel_session
from webinars.extensions import db
from webinars.models import (
    PartnerAcademy,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionStatus,
    Visibility,
    utcnow,
)


def _token(app, registration_id: int) -> str:
    with app.app_context():
        return manage_token(db.session.get(Registration, registration_id))


def test_catalogue_lists_open_public_sessions_with_seats_left(
    client, open_session, make_session, enrol
):
    master = open_session(capacity=1, title="Open master class")
    make_session(title="Partners only", visibility=Visibility.PARTNERS, capacity=5)
    make_session(title="A draft", status=SessionStatus.DRAFT, capacity=5)
    webinar = make_session(title="Open webinar", kind=SessionKind.WEBINAR)

    page = client.get("/catalog/").get_data(as_text=True)
    enrol(master.id, person(1))
    full = client.get("/catalog/").get_data(as_text=True)
    only_webinars = client.get("/catalog/?kind=webinar").get_data(as_text=True)

    assert "Open master class" in page and "1 seat left" in page
    assert "Partners only" not in page and "A draft" not in page
    assert "Full: join the waiting list" in full
    assert "Open webinar" in only_webinars and "Open master class" not in only_webinars
    assert webinar.id != master.id


def test_catalogue_finds_a_session_by_words_in_its_title(client, open_session):
    # At university scale the catalogue holds hundreds of pages; a student told "the
    # Kawasaki master class" could only page through them.
    open_session(title="Kawasaki disease in practice")
    open_session(title="Детская нефрология: случаи")
    open_session(title="Rickets and vitamin D today")

    kawasaki = client.get("/catalog/?q=kawasaki")
    nephrology = client.get("/catalog/?q=%D0%BD%D0%B5%D1%84%D1%80%D0%BE")  # "нефро"

    page = parse(kawasaki.get_data(as_text=True))
    titles = [e.text() for e in page.iter() if e.tag == "h2"]
    assert titles == ["Kawasaki disease in practice"]
    assert by_id(page, "q").attrs["value"] == "kawasaki"  # kept in the box
    listed = nephrology.get_data(as_text=True)
    assert "Детская нефрология" in listed and "Kawasaki" not in listed


def test_catalogue_bad_date_filter_is_explained_not_a_500(client, open_session):
    open_session()
    response = client.get("/catalog/?date_from=31-31-2026")
    assert response.status_code == 200
    assert "Enter a date" in response.get_data(as_text=True)


def test_register_then_check_email_page_and_mail(app, client, open_session):
    session = open_session()
    academy_id = first_academy(app, session)

    response = client.post(f"/catalog/{session.id}/register", data=registration_form(academy_id))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/catalog/{session.id}/registered"
    (message,) = outbox(app)
    assert message.to_address == "dilnoza@example.org"
    assert message.kind == "confirm_address"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "does not look like an email address"),
        ({"full_name": "x" * 10_000}, "Use at most 200 characters."),
        ({"consent": ""}, "Registration needs your consent."),
        ({"academy_id": "0"}, "Choose your academy"),
        ({"academy_id": "-1", "academy_other": ""}, "Enter the name of your institution."),
        ({"full_name": ""}, "Enter your full name."),
    ],
)
def test_bad_input_is_explained_and_kept(app, client, open_session, fields, message):
    session = open_session()
    data = registration_form(first_academy(app, session), **fields)

    response = client.post(f"/catalog/{session.id}/register", data=data)

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    for name in ("full_name", "email"):
        if data[name]:
            assert f'value="{data[name]}"' in body
    assert outbox(app) == []


def test_closed_session_says_so_and_keeps_what_was_typed(app, client, open_session):
    session = open_session()
    with app.app_context():
        cancel_session(db.session.get(Session, session.id), "Flooding", None)
        db.session.commit()

    response = client.post(
        f"/catalog/{session.id}/register", data=registration_form(first_academy(app, session))
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This session is cancelled." in body and "Flooding" in body
    assert 'value="dilnoza@example.org"' in body


def test_unknown_or_private_session_is_a_clear_404(client, make_session):
    private = make_session(visibility=Visibility.PARTNERS, capacity=3)
    for session_id in (private.id, 987654):
        response = client.get(f"/catalog/{session_id}/register")
        assert response.status_code == 404
        assert "does not exist or is not open to the public" in response.get_data(as_text=True)


def test_posting_to_a_private_session_registers_nobody(app, client, make_session, open_session):
    academy = first_academy(app, open_session())
    private = make_session(visibility=Visibility.PARTNERS, capacity=3)

    response = client.post(f"/catalog/{private.id}/register", data=registration_form(academy))

    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0
    assert outbox(app) == []


@pytest.mark.parametrize("which", ["unknown", "archived", "not a number"])
def test_an_academy_not_in_the_list_is_refused_and_the_form_kept(app, client, open_session, which):
    """The academy is checked in the locked read, not against the form's list: an id that
    is unknown or archived since the form was loaded still gets a clear message."""
    session = open_session()
    academy_id = first_academy(app, session)
    if which == "archived":
        with app.app_context():
            db.session.get(PartnerAcademy, academy_id).archived_at = utcnow()
            db.session.commit()
    chosen = {"unknown": "987654", "archived": str(academy_id), "not a number": "abc"}[which]

    response = client.post(
        f"/catalog/{session.id}/register", data=registration_form(0, academy_id=chosen)
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose one of the academies in the list." in body
    assert 'value="dilnoza@example.org"' in body
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0
    assert outbox(app) == []


def test_honeypot_looks_like_success_but_registers_nobody(app, client, open_session):
    session = open_session()
    data = registration_form(first_academy(app, session), website="http://spam.example")

    response = client.post(f"/catalog/{session.id}/register", data=data)

    assert response.headers["Location"] == f"/catalog/{session.id}/registered"
    with app.app_context():
        assert db.session.query(Registration).count() == 0


def test_repeat_answer_is_the_same_as_a_first_one(app, client, open_session):
    session = open_session()
    data = registration_form(first_academy(app, session))

    first = client.post(f"/catalog/{session.id}/register", data=data)
    second = client.post(f"/catalog/{session.id}/register", data=data)

    assert (first.status_code, first.headers["Location"]) == (
        second.status_code,
        second.headers["Location"],
    )
    assert [m.kind for m in outbox(app)] == ["confirm_address", "link_again"]


def test_rate_limit_per_email_answers_429_with_a_message(tmp_path, open_session, app):
    session = open_session()
    limited = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "HUEY_SQLITE_PATH": str(tmp_path / "huey-limited.sqlite3"),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "REGISTRATION_EMAIL_RATE_LIMIT": "2 per hour",
        }
    )
    client = limited.test_client()
    data = registration_form(first_academy(app, session))

    codes = [client.post(f"/catalog/{session.id}/register", data=data).status_code for _ in "abc"]
    other = client.post(
        f"/catalog/{session.id}/register", data={**data, "email": "someone@example.org"}
    )
    last = client.post(f"/catalog/{session.id}/register", data=data)

    assert codes == [302, 302, 429]
    assert other.status_code == 302
    assert "Too many registrations" in last.get_data(as_text=True)


def test_confirm_link_then_cancel_from_the_manage_page(app, client, open_session, enrol):
    session = open_session(capacity=1)
    held = enrol(session.id, person(1))
    waiting = enrol(session.id, person(2))
    confirm_url = link_in(outbox(app)[0].text_body)
    path = confirm_url.removeprefix("http://localhost")

    asked = client.get(path)
    confirmed = client.post(path, follow_redirects=True)
    cancelled = client.post(
        path.removesuffix("/confirm") + "/cancel", data={"confirm": "yes"}, follow_redirects=True
    )

    assert asked.status_code == 200 and "Confirm my registration" in asked.get_data(as_text=True)
    assert "Your seat is confirmed." in confirmed.get_data(as_text=True)
    assert "This registration is cancelled." in cancelled.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Registration, held.id).status is RegistrationStatus.CANCELLED
        assert db.session.get(Registration, waiting.id).status is RegistrationStatus.HELD
    assert cancelled.headers["Cache-Control"] == "no-store"


def test_unknown_manage_link_is_a_clear_404(client):
    response = client.get("/r/" + "A" * 43)
    assert response.status_code == 404
    assert "does not open any registration" in response.get_data(as_text=True)


def test_invitation_download_only_for_a_confirmed_seat(app, client, open_session, enrol, make_user):
    lecturer = make_user()
    session = open_session(actor=lecturer)
    held = enrol(session.id, person(1))
    seated = enrol(session.id, person(2), added_by=lecturer)

    refused = client.get(f"/r/{_token(app, held.id)}/invitation.ics")
    given = client.get(f"/r/{_token(app, seated.id)}/invitation.ics")

    assert refused.status_code == 404
    assert given.status_code == 200
    assert given.headers["Content-Type"].startswith("text/calendar; method=REQUEST")
    assert b"student2@example.org" in given.data


def test_personal_feed_shows_confirmed_sessions_and_old_address_goes(
    app, client, open_session, enrol, make_user
):
    lecturer = make_user()
    one = open_session(actor=lecturer, title="First class", join_url="https://meet.example.org/1")
    two = open_session(actor=lecturer, title="Second class")
    seated = enrol(one.id, person(1), added_by=lecturer)
    enrol(two.id, person(1))  # held, not confirmed: not in the feed
    token = _token(app, seated.id)

    page = client.post(f"/r/{token}/feed").get_data(as_text=True)
    feed_url = re.search(r'value="(http://localhost/calendars/personal/[^"]+)"', page).group(1)
    feed = client.get(feed_url.removeprefix("http://localhost"))
    client.post(f"/r/{token}/feed")
    gone = client.get(feed_url.removeprefix("http://localhost"))

    assert feed.status_code == 200
    body = feed.get_data(as_text=True)
    assert "First class" in body and "Second class" not in body
    assert "https://meet.example.org/1" in body
    assert gone.status_code == 410
    assert client.get("/calendars/personal/" + "B" * 43 + ".ics").status_code == 404


def test_hold_shortens_when_registering_close_to_the_start(app, open_session, enrol):
    session = open_session()
    registration = enrol(session.id, person(1), session.starts_at - timedelta(hours=2))
    assert registration.hold_expires_at == session.starts_at - timedelta(hours=1)


def test_registration_without_csrf_token_is_refused(tmp_path, app, open_session):
    session = open_session()
    guarded = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "HUEY_SQLITE_PATH": str(tmp_path / "huey-csrf.sqlite3"),
            "WTF_CSRF_ENABLED": True,
        }
    )

    response = guarded.test_client().post(
        f"/catalog/{session.id}/register", data=registration_form(first_academy(app, session))
    )

    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Registration).count() == 0


def test_outbox_page_shows_mail_to_admins_only(app, client, login, make_user, open_session, enrol):
    from webinars.models import Role

    session = open_session()
    enrol(session.id, person(1))
    (message,) = outbox(app)
    login(make_user(Role.LECTURER))
    refused = client.get("/admin/outbox/")
    client.post("/logout")
    login(make_user(Role.ADMIN))

    listing = client.get("/admin/outbox/").get_data(as_text=True)
    shown = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)

    assert refused.status_code == 403
    assert "MAIL_SERVER is not set" in listing and "student1@example.org" in listing
    assert "/confirm" in shown and "Dear Student 1," in shown
    assert f'<a href="/admin/outbox/{message.id}">{message.subject}</a>' in listing
    assert message.subject and message.kind not in message.subject  # a subject, not a key


def test_outbox_lists_waiting_mail_by_its_subject_in_its_language(
    app, client, login, make_user, open_session, enrol
):
    from webinars.models import OutboxMessage, Role

    session = open_session(title="Рахит")
    enrol(session.id, person(1, locale="ru"))
    login(make_user(Role.ADMIN))

    listing = parse(client.get("/admin/outbox/").get_data(as_text=True))

    subjects = [e.text() for e in by_id(listing, "outbox").iter() if e.tag == "a"]
    assert len(subjects) == 1 and "Рахит" in subjects[0] and "confirm" not in subjects[0]
    with app.app_context():  # only a look: nothing rendered is saved
        row = db.session.execute(db.select(OutboxMessage)).scalar_one()
        assert row.subject is None


def test_outbox_list_costs_the_same_with_3_or_30_waiting_messages(
    app, client, login, make_user, open_session, enrol, count_queries
):
    from webinars.models import Role

    session = open_session(title="Рахит", capacity=40)
    for n in range(3):
        enrol(session.id, person(n, locale="ru"))
    login(make_user(Role.ADMIN))
    client.get("/admin/outbox/")
    with count_queries() as few:
        client.get("/admin/outbox/")
    for n in range(3, 30):
        enrol(session.id, person(n, locale="uz"))

    with count_queries() as many:
        listing = parse(client.get("/admin/outbox/").get_data(as_text=True))

    subjects = [e.text() for e in by_id(listing, "outbox").iter() if e.tag == "a"]
    assert len(subjects) == 30 and all("Рахит" in subject for subject in subjects)
    assert many.count == few.count


def test_manage_tokens_are_masked_in_access_logs(app):
    import logging

    from webinars.web.my_registration import ManageLinkFilter

    token = "AbCdEf" + "x" * 37
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '"%s" %s', (f"GET /r/{token}/confirm", 200), None
    )

    ManageLinkFilter().filter(record)

    assert record.getMessage() == '"GET /r/AbCdEf…/confirm" 200'
    assert any(isinstance(f, ManageLinkFilter) for f in logging.getLogger("werkzeug").filters)


def test_a_passed_on_manage_link_can_be_switched_off(app, client, open_session, enrol):
    session = open_session()
    held = enrol(session.id, person(1))
    old = _token(app, held.id)

    response = client.post(f"/r/{old}/new-link")

    assert response.status_code == 200
    assert "A new link is on its way" in response.get_data(as_text=True)
    assert client.get(f"/r/{old}").status_code == 404
    (mail,) = outbox(app, kind="link_again")
    fresh = link_in(mail.text_body).removeprefix("http://localhost")
    assert fresh != f"/r/{old}"
    assert client.get(fresh).status_code == 200


def test_cancel_asks_first_and_says_what_follows(app, client, open_session, enrol):
    session = open_session(capacity=1)
    held = enrol(session.id, person(1))
    enrol(session.id, person(2))
    path = link_in(outbox(app)[0].text_body).removeprefix("http://localhost")
    client.post(path)  # confirm the seat
    cancel_path = path.removesuffix("/confirm") + "/cancel"

    asked = client.get(cancel_path)
    tapped = client.post(cancel_path)  # the old one-tap form, without the confirmation

    assert asked.status_code == 200 and tapped.status_code == 200
    text = asked.get_data(as_text=True)
    assert "Your seat goes to the next person on the waiting list." in text
    assert "Yes, cancel my registration" in text
    with app.app_context():
        assert db.session.get(Registration, held.id).status is RegistrationStatus.CONFIRMED


def test_cancelled_session_page_shows_the_cancellation_not_a_form(app, client, open_session):
    session = open_session()
    with app.app_context():
        cancel_session(db.session.get(Session, session.id), "The lecturer is ill.", None)
        db.session.commit()

    page = parse(client.get(f"/catalog/{session.id}/register").get_data(as_text=True))

    assert by_id(page, "closed-message").text() == (
        "This session is cancelled. The lecturer is ill. "
        "It takes no registrations. Registered people were told by email."
    )
    assert not any(e.attrs.get("id") == "registration-form" for e in page.iter())


def test_email_in_russian_reads_times_in_the_students_place_and_names_in_russian(
    app, make_academy, open_session, enrol
):
    app.config["HOME_NAME_RU"] = "Кафедра детских болезней, Самарканд"
    izhevsk = make_academy(city="Izhevsk", city_ru="Ижевск", time_zone="Europe/Samara")
    session = open_session(academy_ids=[izhevsk.id])  # 14:00 Samarkand
    enrol(session.id, person(1, locale="ru", academy_id=izhevsk.id))

    (message,) = outbox(app)

    when = next(line for line in message.text_body.splitlines() if line.startswith("Когда:"))
    assert "13:00 Ижевск (UTC+04:00)" in when
    assert "Кафедра детских болезней, Самарканд" in message.text_body
    assert "Europe/Samara" not in message.text_body and "Asia/Samarkand" not in message.text_body


@pytest.mark.parametrize(
    ("language", "unwanted", "moved"),
    [
        ("ru", "регистрация больше не действует", "занятие перенесено"),
        ("uz", "roʻyxatdan oʻtish endi amalda emas", "mashgʻulot koʻchirilgan"),
    ],
)
def test_outbox_says_why_mail_will_not_be_sent_in_the_readers_language(
    app, client, login, make_user, open_session, enrol, language, unwanted, moved
):
    from webinars.models import MailStatus, OutboxMessage, RegistrationStatus, Role

    session = open_session()
    registration = enrol(session.id, person(1))
    enrol(session.id, person(2))
    with app.app_context():
        db.session.get(Registration, registration.id).status = RegistrationStatus.CANCELLED
        waiting, other = db.session.execute(
            db.select(OutboxMessage).order_by(OutboxMessage.id)
        ).scalars()
        other.status, other.last_error = MailStatus.DROPPED, "session moved"
        db.session.commit()
        waiting_id, dropped_id = waiting.id, other.id
    login(make_user(Role.ADMIN))
    headers = {"Accept-Language": language}

    shown = parse(client.get(f"/admin/outbox/{waiting_id}", headers=headers).get_data(as_text=True))
    dropped = client.get(f"/admin/outbox/{dropped_id}", headers=headers).get_data(as_text=True)
    listing = client.get("/admin/outbox/", headers=headers).get_data(as_text=True)

    assert unwanted in by_id(shown, "message-text").text()
    assert "no longer active" not in by_id(shown, "message-text").text()
    assert moved in dropped and "session moved" not in dropped
    assert moved in listing and "session moved" not in listing


def test_every_reason_not_to_send_mail_has_words_in_every_language():
    from pathlib import Path

    from webinars.web.drop_reasons import DROP_REASONS

    domain = Path(__file__).parents[2] / "webinars" / "domain"
    sources = [
        domain / "registration" / "notices.py",
        domain / "certificates" / "mail.py",
        domain / "partners" / "mail.py",
    ]
    stated = set()
    for source in sources:
        text = source.read_text()
        stated |= set(re.findall(r'return "([^"]+)"', text))
        stated |= set(re.findall(r'_drop\(message, "([^"]+)"', text))
        for pair in re.findall(r'"([^"]+)" if session\.is_cancelled else "([^"]+)"', text):
            stated |= set(pair)
    stated |= {f"invitation {state}" for state in ("accepted", "revoked", "expired")}

    assert stated - set(DROP_REASONS) == set()
