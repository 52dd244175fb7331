"""Invitations by email: METHOD, MIME type, ORGANIZER, one ATTENDEE, the feeds' UID."""

from __future__ import annotations

import pytest

from tests.calendars.ics_check import check_feed, unescape
from webinars.domain.calendars.events import session_uid
from webinars.domain.calendars.invitations import build_invitation, invitation_content_type
from webinars.domain.sessions.scheduling import cancel_session
from webinars.extensions import db
from webinars.models import Session, utcnow


def _invite(session: Session, method: str = "REQUEST", **kwargs) -> bytes:
    values = dict(
        attendee_email="student@example.org",
        attendee_name="Madina Tursunova",
        method=method,
        join_url="https://meet.example.org/seat",
        locale="en",
        organizer_email="webinars@example.org",
        organizer_name="Children's Diseases Department",
    )
    values.update(kwargs)
    return build_invitation(session, **values)


def test_request_invitation(app, add_session):
    session_id = add_session(title="Pediatric asthma")
    with app.app_context():
        session = db.session.get(Session, session_id)
        body = _invite(session)
        uid = session_uid(session)
    tree = check_feed(body)
    assert tree.one("METHOD").value == "REQUEST"
    (event,) = tree.walk("VEVENT")
    assert event.one("UID").value == uid == f"session-{session_id}@localhost"
    assert event.one("SEQUENCE").value == "0"
    organizer = event.one("ORGANIZER")
    assert organizer.value == "mailto:webinars@example.org"
    (attendee,) = event.all("ATTENDEE")
    assert attendee.value == "mailto:student@example.org"
    assert attendee.params["CN"].strip('"') == "Madina Tursunova"
    assert event.one("LOCATION").value == "https://meet.example.org/seat"
    assert unescape(event.one("DESCRIPTION").value).splitlines()[0] == (
        "https://meet.example.org/seat"
    )
    assert event.one("STATUS").value == "CONFIRMED"
    assert tree.walk("VALARM") == []


def test_cancel_invitation_after_the_session_is_cancelled(app, add_session):
    session_id = add_session(title="Pediatric asthma")
    with app.app_context():
        session = db.session.get(Session, session_id)
        cancel_session(session, "Public holiday", None)
        db.session.commit()
        body = _invite(session, "CANCEL")
    tree = check_feed(body)
    assert tree.one("METHOD").value == "CANCEL"
    (event,) = tree.walk("VEVENT")
    assert event.one("STATUS").value == "CANCELLED"
    assert event.one("SEQUENCE").value == "1"
    assert event.one("SUMMARY").value == "Cancelled: Pediatric asthma"
    assert b"meet.example.org" not in body  # no join link once cancelled
    assert len(event.all("ATTENDEE")) == 1


def test_cancel_of_one_place_has_a_later_stamp(app, add_session):
    session_id = add_session()
    later = utcnow().replace(microsecond=0)
    with app.app_context():
        session = db.session.get(Session, session_id)
        request = check_feed(_invite(session)).walk("VEVENT")[0]
        cancel = check_feed(_invite(session, "CANCEL", stamp=later), feed=False).walk("VEVENT")[0]
    assert cancel.one("STATUS").value == "CANCELLED"
    assert cancel.one("UID").value == request.one("UID").value
    assert cancel.one("DTSTAMP").value == later.strftime("%Y%m%dT%H%M%SZ")


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_mime_type_names_the_same_method(method):
    assert invitation_content_type(method) == f"text/calendar; method={method}; charset=utf-8"


def test_unknown_method_is_refused(app, add_session):
    session_id = add_session()
    with app.app_context(), pytest.raises(ValueError):
        _invite(db.session.get(Session, session_id), "PUBLISH")
    with pytest.raises(ValueError):
        invitation_content_type("REPLY")
