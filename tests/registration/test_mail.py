"""Mail through a real SMTP server on loopback: MIME, invitations, retries, no double send."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.fixtures.registration import link_in, outbox, person
from webinars.domain.mail.outbox import claim, deliver_due
from webinars.domain.registration import notices
from webinars.domain.registration.confirmation import confirm
from webinars.extensions import db
from webinars.jobs.mail import deliver_now
from webinars.mail import SmtpSender
from webinars.models import MailStatus, Registration, utcnow

# The test is the worker: a commit's delivery task waits in the queue, and each test sends
# the outbox itself when it means to.
pytestmark = pytest.mark.usefixtures("queue")


def _deliver(app, now=None):
    with app.app_context():
        with SmtpSender(app.config) as sender:
            return deliver_due(sender, now=now, prepare=notices.prepare)


def test_confirm_mail_arrives_as_text_and_html_in_the_students_language(
    mail_app, mailbox, open_session, enrol
):
    session = open_session()
    enrol(session.id, person(1, locale="ru"))

    with mail_app.app_context():
        report = deliver_now()

    assert report.sent == 1
    (message,) = mailbox.to("student1@example.org")
    assert message["From"] == "Webinars <webinars@example.org>"
    assert message["Message-ID"] == outbox(mail_app)[0].message_id
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert link_in(text).endswith("/confirm")
    assert link_in(text) in html
    assert 'lang="ru"' in html
    assert outbox(mail_app)[0].status is MailStatus.SENT


def test_confirmed_mail_carries_a_request_invitation_with_the_join_link(
    mail_app, mailbox, open_session, enrol
):
    session = open_session(join_url="https://meet.example.org/room-42")
    held = enrol(session.id, person(1))
    with mail_app.app_context():
        confirm(db.session.get(Registration, held.id))
        db.session.commit()
        deliver_now()

    (message,) = [m for m in mailbox.to("student1@example.org") if "registered" in m["Subject"]]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "https://meet.example.org/room-42" in text
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert "student1@example.org" in str(event["ATTENDEE"]).lower()
    assert event["DTSTART"].dt == session.starts_at
    assert "https://meet.example.org/room-42" in event.get("DESCRIPTION", "") + str(
        event.get("LOCATION", "")
    ) + str(event.get("URL", ""))


def test_smtp_down_keeps_mail_and_retries_with_backoff(mail_app, smtp_port, open_session, enrol):
    session = open_session()
    enrol(session.id, person(1))  # no mailbox: nothing listens on the port
    now = utcnow()

    first = _deliver(mail_app, now)
    second = _deliver(mail_app, now + timedelta(seconds=30))  # not due yet: untouched

    (row,) = outbox(mail_app)
    assert (first.retried, second.retried) == (1, 0)
    assert row.status is MailStatus.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    third = _deliver(mail_app, now + timedelta(minutes=1))
    (row,) = outbox(mail_app)
    assert third.retried == 1
    assert row.next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)


def test_mail_waits_while_smtp_is_down_then_goes_exactly_once(
    mail_app, smtp_port, open_session, enrol, request
):
    session = open_session()
    enrol(session.id, person(1))
    now = utcnow()
    _deliver(mail_app, now)
    mailbox = request.getfixturevalue("mailbox")  # the server comes up

    later = now + timedelta(minutes=5)
    sent = _deliver(mail_app, later)
    again = _deliver(mail_app, later + timedelta(hours=2))

    assert (sent.sent, again.sent) == (1, 0)
    assert len(mailbox.messages) == 1
    assert outbox(mail_app)[0].status is MailStatus.SENT


def test_a_claimed_message_is_not_claimed_twice(mail_app, open_session, enrol):
    session = open_session()
    enrol(session.id, person(1))
    (row,) = outbox(mail_app)
    now = utcnow()

    with mail_app.app_context():
        first = claim(row.id, now)
        second = claim(row.id, now)
        stale = claim(row.id, now + timedelta(minutes=16))  # the first worker died

    assert first is not None and second is None and stale is not None


def test_refused_address_fails_for_good(mail_app, mailbox, open_session, enrol):
    mailbox.refuse_with = "550 5.1.1 no such user"
    session = open_session()
    enrol(session.id, person(1))

    report = _deliver(mail_app)

    assert report.failed == 1
    assert outbox(mail_app)[0].status is MailStatus.FAILED
    assert _deliver(mail_app, utcnow() + timedelta(days=1)).failed == 0
