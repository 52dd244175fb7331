"""Coordinators hear of their academy's sessions: scheduled, moved, a new join link,
cancelled; each email in their language with a calendar invitation (REQUEST, then CANCEL)
with the feeds' UID; once per change; never after they turned it off."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from tests.fixtures.app import client_as
from tests.fixtures.registration import outbox
from webinars.domain.calendars.events import session_uid
from webinars.domain.sessions.scheduling import (
    cancel_session,
    input_from_session,
    reschedule_session,
    update_session,
)
from webinars.domain.sessions.timezones import utc_to_local
from webinars.extensions import db
from webinars.models import Role, Session, SessionStatus, User


def _news(app):
    return [
        (m.kind, m.to_address, m.subject, m.attachment_type, m.attachment)
        for m in outbox(app)
        if m.kind.startswith("academy_session_")
    ]


def _event(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = [c for c in calendar.walk("VEVENT")]
    return str(calendar["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])


def test_coordinators_get_each_change_once_with_an_invitation(
    app, make_session, make_user, make_academy
):
    academy, other = make_academy(), make_academy()
    make_user(Role.COORDINATOR, academy_id=academy.id, locale="ru", email="olga@x.example")
    make_user(Role.COORDINATOR, academy_id=academy.id, locale="en", email="ivan@x.example")
    quiet = make_user(Role.COORDINATOR, academy_id=academy.id, email="quiet@x.example")
    make_user(Role.COORDINATOR, academy_id=other.id, email="other@x.example")
    with app.app_context():
        db.session.get(User, quiet.id).academy_session_emails = False
        db.session.commit()
    lecturer = make_user(Role.LECTURER)
    session = make_session(
        actor=lecturer, academy_ids=[academy.id], status=SessionStatus.DRAFT, title="Sepsis"
    )
    assert _news(app) == []  # a draft is nobody's news
    with app.app_context():
        row = db.session.get(Session, session.id)
        data = input_from_session(row)
        data.status = SessionStatus.SCHEDULED
        update_session(row, data, db.session.get(User, lecturer.id))
        db.session.commit()
        uid = session_uid(row)
    news = _news(app)
    assert sorted((k, to) for k, to, *_ in news) == [
        ("academy_session_scheduled", "ivan@x.example"),
        ("academy_session_scheduled", "olga@x.example"),
    ]
    (olga_mail,) = [n for n in news if n[1] == "olga@x.example"]
    assert olga_mail[2] == "Запланировано: Sepsis"
    assert olga_mail[3] == "text/calendar; method=REQUEST; charset=utf-8"
    assert _event(olga_mail[4])[:2] == ("REQUEST", uid)

    with app.app_context():  # an edit that changes neither time, link nor state: silence
        row = db.session.get(Session, session.id)
        data = input_from_session(row)
        data.description = "New words"
        update_session(row, data, None)
        db.session.commit()
    assert len(_news(app)) == 2

    with app.app_context():
        row = db.session.get(Session, session.id)
        later = utc_to_local(row.starts_at + timedelta(days=1), row.time_zone).replace(tzinfo=None)
        reschedule_session(row, later, row.time_zone, 90, None)
        db.session.commit()
        moved_sequence = db.session.get(Session, session.id).sequence
    moved = [n for n in _news(app) if n[0] == "academy_session_moved"]
    assert sorted(n[1] for n in moved) == ["ivan@x.example", "olga@x.example"]
    method, moved_uid, sequence = _event(moved[0][4])
    assert (method, moved_uid, sequence) == ("REQUEST", uid, moved_sequence)

    with app.app_context():
        cancel_session(db.session.get(Session, session.id), "Ill", None)
        db.session.commit()
    cancelled = [n for n in _news(app) if n[0] == "academy_session_cancelled"]
    assert sorted(n[1] for n in cancelled) == ["ivan@x.example", "olga@x.example"]
    assert cancelled[0][3] == "text/calendar; method=CANCEL; charset=utf-8"
    assert _event(cancelled[0][4])[:2] == ("CANCEL", uid)
    assert all(n[1] not in ("quiet@x.example", "other@x.example") for n in _news(app))


def test_new_join_link_is_news(app, make_session, make_user, make_academy):
    academy = make_academy()
    make_user(Role.COORDINATOR, academy_id=academy.id, email="olga@x.example")
    session = make_session(academy_ids=[academy.id], join_url="https://meet.example/a")
    with app.app_context():
        row = db.session.get(Session, session.id)
        data = input_from_session(row)
        data.join_url = "https://meet.example/b"
        update_session(row, data, None)
        db.session.commit()
    kinds = [n[0] for n in _news(app)]
    assert kinds == ["academy_session_scheduled", "academy_session_link"]
    link_mail = [m for m in outbox(app) if m.kind == "academy_session_link"][0]
    assert "https://meet.example/b" in link_mail.text_body
    assert b"https://meet.example/b" in link_mail.attachment


def test_coordinator_turns_the_emails_off_in_their_account(app, make_user, make_academy):
    olga = make_user(Role.COORDINATOR, academy_id=make_academy().id)
    client = client_as(app, olga)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="academy_session_emails"' in page
    client.post(
        "/account",
        data={"name": olga.name, "time_zone": olga.time_zone, "locale": "en"},
    )
    with app.app_context():
        assert db.session.get(User, olga.id).academy_session_emails is False
    lecturer = make_user(Role.LECTURER)
    assert 'name="academy_session_emails"' not in client_as(app, lecturer).get("/account").get_data(
        as_text=True
    )


def test_coordinator_gets_a_cancel_when_their_academy_is_taken_off(
    app, make_session, make_user, make_academy
):
    academy, other = make_academy(), make_academy()
    make_user(Role.COORDINATOR, academy_id=academy.id, locale="ru", email="olga@x.example")
    make_user(Role.COORDINATOR, academy_id=other.id, email="other@x.example")
    session = make_session(academy_ids=[academy.id, other.id], title="Sepsis")
    with app.app_context():
        uid = session_uid(db.session.get(Session, session.id))
    (scheduled,) = [n for n in _news(app) if n[1] == "olga@x.example"]
    with app.app_context():
        row = db.session.get(Session, session.id)
        data = input_from_session(row)
        data.academy_ids = [other.id]
        update_session(row, data, None)
        db.session.commit()
    news = _news(app)
    olga_news = [n for n in news if n[1] == "olga@x.example"]
    assert [n[0] for n in olga_news] == ["academy_session_scheduled", "academy_session_cancelled"]
    kind, _to, subject, content_type, attachment = olga_news[1]
    assert subject == "Ваша академия больше не участвует: Sepsis"
    assert content_type == "text/calendar; method=CANCEL; charset=utf-8"
    method, cancel_uid, sequence = _event(attachment)
    assert (method, cancel_uid) == ("CANCEL", uid)
    assert sequence > _event(scheduled[4])[2]
    assert [n[0] for n in news if n[1] == "other@x.example"] == ["academy_session_scheduled"]
    with app.app_context():  # told once: the next edit says nothing more to her
        row = db.session.get(Session, session.id)
        data = input_from_session(row)
        data.description = "New words"
        update_session(row, data, None)
        db.session.commit()
    assert len(_news(app)) == len(news)
