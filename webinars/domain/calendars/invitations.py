"""Invitations by email (iMIP): one person's copy of a session as an iTIP message.

METHOD:REQUEST invites or updates, METHOD:CANCEL takes the event out of the person's
calendar. The MIME part must say the same method, or Outlook ignores it. The event has
the feeds' UID and the session's current SEQUENCE, so a client that already shows the
session from a feed, a download or an earlier email updates that one event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any, Literal

from flask_babel import force_locale
from icalendar import Calendar, vCalAddress, vText

from webinars.domain.calendars.events import PRODID, build_event
from webinars.domain.calendars.vtimezone import vtimezones
from webinars.models import Registration, Session

Method = Literal["REQUEST", "CANCEL"]
METHODS: tuple[Method, ...] = ("REQUEST", "CANCEL")


def invitation_content_type(method: Method) -> str:
    """The MIME type of the text/calendar part, naming the same method as the body."""
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    return f"text/calendar; method={method}; charset=utf-8"


def person_sequence(registration: Registration, method: Method) -> int:
    """The SEQUENCE of the next `method` invitation to this person for their session.

    A REQUEST: the session's, but above the person's last CANCEL. A CANCEL: the
    session's, but above every REQUEST the person was sent. The same answer until the
    person is sent something else, so a retried message keeps its number.
    """
    if method == "REQUEST":
        same, other = registration.request_sequence, registration.cancel_sequence
    else:
        same, other = registration.cancel_sequence, registration.request_sequence
    above_other = 0 if other is None else other + 1
    return max(registration.session.sequence, same or 0, above_other)


def note_sent(registration: Registration, method: Method, sequence: int) -> None:
    """Remember that this person was sent `method` with `sequence` (the caller commits)."""
    if method == "REQUEST":
        registration.request_sequence = max(registration.request_sequence or 0, sequence)
    else:
        registration.cancel_sequence = max(registration.cancel_sequence or 0, sequence)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def common_name(name: str) -> str:
    """A CN every client shows as typed.

    A `"` or `^` would be written in RFC 6868 form (^' and ^^), which Outlook shows
    literally: `"` becomes typographic quotes (opening, then closing), `^` the modifier
    letter circumflex (U+02C6, which looks the same); line breaks become spaces.
    """
    text = _CONTROL.sub(" ", name).strip()
    parts = text.split('"')
    quoted = parts[0]
    for index, part in enumerate(parts[1:]):
        quoted += ("\u201c" if index % 2 == 0 else "\u201d") + part
    return quoted.replace("^", "\u02c6")


def organizer(config: Mapping[str, Any]) -> tuple[str, str]:
    """ORGANIZER's address and name: MAIL_DEFAULT_SENDER's address, and its display name
    or else the department's (HOME_NAME). Production refuses a sender on localhost or an
    example domain (webinars.selfcheck), so clients never see webinars@localhost."""
    name, address = parseaddr(str(config["MAIL_DEFAULT_SENDER"]))
    return address, name or str(config["HOME_NAME"])


def _address(email: str, name: str | None, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(common_name(name))
    for key, value in params.items():
        address.params[key] = value
    return address


def build_invitation(
    session: Session,
    *,
    attendee_email: str,
    attendee_name: str | None,
    method: Method,
    join_url: str | None,
    locale: str,
    organizer_email: str,
    organizer_name: str | None = None,
    stamp: datetime | None = None,
    base_url: str | None = None,
    sequence: int | None = None,
) -> bytes:
    """The iCalendar body of one person's invitation to (or cancellation of) a session.

    - `method`: "REQUEST" to invite or update, "CANCEL" when the session is cancelled
      or the person's place is (the event then carries STATUS:CANCELLED).
    - `join_url`: the link this person may use (from `conferencing.join_link`, only
      for a confirmed seat), or None; never a host's start link. Ignored for CANCEL.
    - `locale`: the person's language, for the labels and the "Cancelled:" prefix.
    - `organizer_email` / `organizer_name`: ORGANIZER (the department's address).
    - `stamp`: DTSTAMP, when this message's news happened (default: the session's last
      change; pass e.g. the time a registration was cancelled, so clients see it as new).
    - `sequence`: this person's SEQUENCE (`person_sequence`); default: the session's.
    Send it with `invitation_content_type(method)` as the MIME type. A REQUEST for a
    cancelled session is refused (ValueError): it could only ever be a stale one.
    """
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    if method == "REQUEST" and session.is_cancelled:
        raise ValueError("a cancelled session gets a CANCEL, never a REQUEST (RFC 5546)")
    link = join_url if method == "REQUEST" and not session.is_cancelled else None
    with force_locale(locale):
        event = build_event(session, link=link, locale=locale, base_url=base_url)
        calendar = Calendar()
        calendar.add("version", "2.0")
        calendar.add("prodid", PRODID)
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", method)
    if stamp is not None:
        event.pop("DTSTAMP")
        event.add("dtstamp", stamp.astimezone(UTC))
    if method == "CANCEL":
        event.pop("STATUS")
        event.add("status", "CANCELLED")
    if sequence is not None:
        event.pop("SEQUENCE")
        event.add("sequence", sequence)
    event.add("organizer", _address(organizer_email, organizer_name))
    # Only confirmed seats are invited: the seat is taken, so the answer is already yes;
    # RSVP=FALSE asks clients not to send a reply (nobody reads it: see README).
    event.add(
        "attendee",
        _address(
            attendee_email,
            attendee_name,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="ACCEPTED",
            RSVP="FALSE",
        ),
    )
    for zone in vtimezones([(session.time_zone, session.starts_at, session.ends_at)]):
        calendar.add_component(zone)
    calendar.add_component(event)
    return calendar.to_ical()
