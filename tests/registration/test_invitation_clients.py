"""Invitations as real clients read them: the organiser's address and name, an accepted
seat, names shown as typed, and where a "Decline" goes (through a real SMTP server)."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.calendars.ics_check import check_feed, events_by_uid
from tests.fixtures.registration import person
from webinars.domain.calendars.invitations import common_name
from webinars.domain.registration.register import cancel
from webinars.extensions import db
from webinars.models import Registration, Role

DECLINE_NOTE = (
    "Declining it in your calendar does not free your seat: replies to it are not read. "
    "To give up your seat, use the link to manage your registration."
)


def _parts(mailbox, address: str) -> list[tuple[object, bytes]]:
    """(message, calendar bytes) for every calendar part `address` received."""
    return [
        (message, part.get_payload(decode=True))
        for message in mailbox.to(address)
        for part in message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def _seat(open_session, make_user, enrol, **who):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    return session, enrol(session.id, person(1, **who), added_by=lecturer)


def test_organizer_is_the_senders_address_with_its_name(
    mail_app, mailbox, open_session, make_user, enrol
):
    session, _seat_row = _seat(open_session, make_user, enrol)
    ((_message, body),) = _parts(mailbox, "student1@example.org")

    event = events_by_uid(check_feed(body, feed=False))[f"session-{session.id}@localhost"]
    organizer = event.one("ORGANIZER")
    assert organizer.value == "mailto:webinars@example.org"
    assert organizer.params["CN"] == "Webinars"


def test_organizer_without_a_display_name_is_named_after_the_department(
    mail_app, mailbox, open_session, make_user, enrol
):
    mail_app.config.update(
        MAIL_DEFAULT_SENDER="webinars@sammi.uz", HOME_NAME="Children's Diseases Department"
    )
    _seat(open_session, make_user, enrol)
    ((_message, body),) = _parts(mailbox, "student1@example.org")

    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:webinars@sammi.uz"
    assert event["ORGANIZER"].params["CN"] == "Children's Diseases Department"


def test_confirmed_seat_is_accepted_and_asks_for_no_reply(
    mail_app, mailbox, open_session, make_user, enrol
):
    _seat(open_session, make_user, enrol)
    ((_message, body),) = _parts(mailbox, "student1@example.org")

    (event,) = Calendar.from_ical(body).walk("VEVENT")
    (attendee,) = [event["ATTENDEE"]]
    assert str(attendee) == "mailto:student1@example.org"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert attendee.params["RSVP"] == "FALSE"


def test_email_with_an_invitation_says_where_a_decline_goes(
    mail_app, mailbox, open_session, make_user, enrol
):
    _session, seat = _seat(open_session, make_user, enrol)
    with mail_app.app_context():
        cancel(db.session.get(Registration, seat.id))
        db.session.commit()
    request, cancellation = _parts(mailbox, "student1@example.org")

    text = request[0].get_body(preferencelist=("plain",)).get_content()
    html = request[0].get_body(preferencelist=("html",)).get_content()
    assert DECLINE_NOTE in " ".join(text.split())
    assert DECLINE_NOTE in " ".join(html.split())
    assert "/r/" in text  # the manage link it points to
    cancelled_text = cancellation[0].get_body(preferencelist=("plain",)).get_content()
    assert DECLINE_NOTE not in " ".join(cancelled_text.split())


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ('Ali "Bek" Karimov', "Ali \u201cBek\u201d Karimov"),
        ("Ali ^Bek", "Ali \u02c6Bek"),
        ("Ali\r\nBek", "Ali Bek"),
        ("O'Brien, Anna; x:y", "O'Brien, Anna; x:y"),
    ],
)
def test_names_are_written_as_every_client_shows_them(
    mail_app, mailbox, open_session, make_user, enrol, typed, shown
):
    _seat(open_session, make_user, enrol, full_name=typed)
    ((_message, body),) = _parts(mailbox, "student1@example.org")

    assert b"^'" not in body and b"^^" not in body and b"^n" not in body  # no RFC 6868 form
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert event["ATTENDEE"].params["CN"] == shown
    assert common_name(typed) == shown
