"""Invitations after cancellations follow RFC 5546: no REQUEST for a cancelled session, and
each person's CANCEL above every REQUEST they were sent (through a real SMTP server)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.fixtures.registration import outbox, person
from webinars.domain.calendars.invitations import build_invitation
from webinars.domain.mail.outbox import deliver_due
from webinars.domain.registration import notices
from webinars.domain.registration.manage_links import manage_token
from webinars.domain.registration.register import cancel
from webinars.domain.sessions.scheduling import cancel_session
from webinars.extensions import db
from webinars.mail import SmtpSender
from webinars.models import MailStatus, Registration, Role, Session, utcnow


def _deliver(app, now=None):
    with app.app_context():
        with SmtpSender(app.config) as sender:
            return deliver_due(sender, now=now, prepare=notices.prepare)


def _invitations(mailbox, address: str) -> list[tuple[str, int, str]]:
    """(METHOD, SEQUENCE, STATUS) of every calendar part `address` received, in order."""
    found = []
    for message in mailbox.to(address):
        for part in message.iter_attachments():
            if part.get_content_type() != "text/calendar":
                continue
            calendar = Calendar.from_ical(part.get_payload(decode=True))
            (event,) = calendar.walk("VEVENT")
            assert part.get_param("method") == str(calendar["METHOD"])
            found.append((str(calendar["METHOD"]), int(event["SEQUENCE"]), str(event["STATUS"])))
    return found


def _cancel_session(app, session_id: int) -> None:
    with app.app_context():
        cancel_session(db.session.get(Session, session_id), "The lecturer is ill", None)
        db.session.commit()


def _cancel_seat(app, registration_id: int) -> None:
    with app.app_context():
        cancel(db.session.get(Registration, registration_id))
        db.session.commit()


def test_request_queued_before_a_cancellation_never_goes_out(
    mail_app, smtp_port, open_session, make_user, enrol, request
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1), added_by=lecturer)  # "confirmed" + REQUEST: SMTP is down
    _cancel_session(mail_app, session.id)  # "cancelled" + CANCEL, queued behind it
    mailbox = request.getfixturevalue("mailbox")  # the server comes up

    _deliver(mail_app, utcnow() + timedelta(hours=2))

    assert _invitations(mailbox, "student1@example.org") == [("CANCEL", 1, "CANCELLED")]
    (confirmed,) = outbox(mail_app, kind="confirmed")
    assert (confirmed.status, confirmed.last_error) == (MailStatus.DROPPED, "session cancelled")


def test_mail_switched_on_after_a_cancellation_sends_no_request(
    app, open_session, make_user, enrol, smtp_port, request
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1), added_by=lecturer)  # MAIL_SERVER unset: mail waits
    _cancel_session(app, session.id)
    mailbox = request.getfixturevalue("mailbox")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_USE_TLS=False)

    _deliver(app)

    assert [m for m, _s, _st in _invitations(mailbox, "student1@example.org")] == ["CANCEL"]


def test_a_cancelled_session_cannot_get_a_request(app, make_session):
    session_id = make_session().id
    _cancel_session(app, session_id)
    with app.app_context(), pytest.raises(ValueError, match="never a REQUEST"):
        build_invitation(
            db.session.get(Session, session_id),
            attendee_email="student@example.org",
            attendee_name=None,
            method="REQUEST",
            join_url=None,
            locale="en",
            organizer_email="webinars@department.example.net",
        )


def test_own_cancellation_goes_above_every_request_without_raising_the_session(
    mail_app, mailbox, open_session, make_user, enrol, client
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    seat = enrol(session.id, person(1), added_by=lecturer)
    _cancel_seat(mail_app, seat.id)
    enrol(session.id, person(1), added_by=lecturer)  # registers again: the same row
    _cancel_seat(mail_app, seat.id)
    _deliver(mail_app)

    assert _invitations(mailbox, "student1@example.org") == [
        ("REQUEST", 0, "CONFIRMED"),
        ("CANCEL", 1, "CANCELLED"),
        ("REQUEST", 2, "CONFIRMED"),
        ("CANCEL", 3, "CANCELLED"),
    ]
    with mail_app.app_context():
        assert db.session.get(Session, session.id).sequence == 0  # feeds keep theirs
    feed = client.get(f"/sessions/{session.id}/calendar.ics").data
    assert b"SEQUENCE:0\r\n" in feed


def test_a_retried_cancel_keeps_its_sequence(
    mail_app, smtp_port, open_session, make_user, enrol, request
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1), added_by=lecturer)
    _cancel_session(mail_app, session.id)  # SMTP down: tried (and rendered) at once
    for minutes in (5, 15, 45):  # rendered again at each try, still down
        _deliver(mail_app, utcnow() + timedelta(minutes=minutes))
    mailbox = request.getfixturevalue("mailbox")

    _deliver(mail_app, utcnow() + timedelta(hours=3))

    assert _invitations(mailbox, "student1@example.org") == [("CANCEL", 1, "CANCELLED")]


def test_queued_cancel_of_a_seat_taken_again_is_dropped(
    app, open_session, make_user, enrol, smtp_port, request
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    seat = enrol(session.id, person(1), added_by=lecturer)  # MAIL_SERVER unset: mail waits
    _cancel_seat(app, seat.id)
    enrol(session.id, person(1), added_by=lecturer)  # registered again before any went out
    mailbox = request.getfixturevalue("mailbox")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_USE_TLS=False)

    _deliver(app)

    methods = [method for method, _seq, _status in _invitations(mailbox, "student1@example.org")]
    assert "CANCEL" not in methods
    cancelled = outbox(app, kind="registration_cancelled")
    assert [(m.status, m.last_error) for m in cancelled] == [
        (MailStatus.DROPPED, "registered again")
    ]


def test_session_cancellation_carries_the_sessions_sequence(
    mail_app, mailbox, open_session, make_user, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1), added_by=lecturer)
    _deliver(mail_app)
    _cancel_session(mail_app, session.id)
    _deliver(mail_app)

    assert _invitations(mailbox, "student1@example.org") == [
        ("REQUEST", 0, "CONFIRMED"),
        ("CANCEL", 1, "CANCELLED"),
    ]


def test_downloaded_invitation_follows_the_persons_sequence(
    mail_app, mailbox, client, open_session, make_user, enrol
):
    app = mail_app
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    seat = enrol(session.id, person(1), added_by=lecturer)
    _cancel_seat(app, seat.id)
    enrol(session.id, person(1), added_by=lecturer)
    with app.app_context():
        token = manage_token(db.session.get(Registration, seat.id))
    body = client.get(f"/r/{token}/invitation.ics").data
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert _invitations(mailbox, "student1@example.org")[-1][:2] == ("REQUEST", 2)
    assert (str(calendar["METHOD"]), int(event["SEQUENCE"])) == ("REQUEST", 2)
