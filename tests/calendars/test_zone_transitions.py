"""Times around a change of offset: every output reads back as the stored instant.

A local time that happens twice (clocks going back) is written in UTC; a VTIMEZONE covers
every instant its events use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.calendars.ics_check import check_feed, events_by_uid, ical_instants, icalendar_instants
from webinars.domain.calendars.invitations import build_invitation
from webinars.domain.calendars.vtimezone import (
    _local_dates,
    build_vtimezone,
    is_ambiguous,
    written_zone,
)
from webinars.extensions import db
from webinars.models import Session

# (zone, local start, minutes): each ends (or starts) in an hour that happens twice.
AMBIGUOUS = [
    # Berlin's autumn night 2027: 01:00 CEST + 2 h 30 = 01:30Z, the second 02:30.
    ("Europe/Berlin", datetime(2027, 10, 31, 1, 0), 150),
    # The same night, ending at the first 02:30 (00:30Z).
    ("Europe/Berlin", datetime(2027, 10, 31, 1, 0), 90),
    # Almaty left +06 for +05 at 2024-03-01 00:00: 21:00 + 3 h 30 = 18:30Z, the second 23:30.
    ("Asia/Almaty", datetime(2024, 2, 29, 21, 0), 210),
    # ... and 21:00 + 2 h 30 = 17:30Z, the first 23:30.
    ("Asia/Almaty", datetime(2024, 2, 29, 21, 0), 150),
]


def _stored(app, session_id: int) -> tuple[str, tuple[datetime, datetime], Session]:
    with app.app_context():
        session = db.session.get(Session, session_id)
        db.session.expunge(session)
    return f"session-{session_id}@localhost", (session.starts_at, session.ends_at), session


def _invitation(app, session_id: int) -> bytes:
    with app.app_context():
        return build_invitation(
            db.session.get(Session, session_id),
            attendee_email="student@example.org",
            attendee_name="Madina Tursunova",
            method="REQUEST",
            join_url="https://meet.example.org/seat",
            locale="en",
            organizer_email="webinars@department.example.net",
            organizer_name="Children's Diseases Department",
        )


@pytest.mark.parametrize(("zone", "starts_local", "minutes"), AMBIGUOUS)
def test_time_that_happens_twice_is_written_in_utc_everywhere(
    app, client, add_session, zone, starts_local, minutes
):
    session_id = add_session(starts_local=starts_local, time_zone=zone, duration_minutes=minutes)
    uid, stored, _session = _stored(app, session_id)
    bodies = {
        "download": client.get(f"/sessions/{session_id}/calendar.ics").data,
        "invitation": _invitation(app, session_id),
    }
    if starts_local.year == 2027:  # inside the feeds' window
        bodies["feed"] = client.get("/calendars/all.ics").data
    for kind, body in bodies.items():
        tree = check_feed(body, feed=kind != "invitation")
        event = events_by_uid(tree)[uid]
        for name in ("DTSTART", "DTEND"):
            line = event.one(name)
            assert line.params == {} and line.value.endswith("Z"), (kind, name, line)
        assert icalendar_instants(body)[uid] == stored, kind
        assert ical_instants(body)[uid] == stored, kind
        assert tree.walk("VTIMEZONE") == [], kind  # no zone used, none sent


def test_time_near_an_offset_change_is_written_in_utc(app, client, add_session):
    # Berlin's spring night 2027: 01:30 CET + 1 h = 03:30 CEST (02:00-03:00 never happens).
    # Not ambiguous, but readers disagree on local times near a change: UTC for all.
    session_id = add_session(
        starts_local=datetime(2027, 3, 28, 1, 30), time_zone="Europe/Berlin", duration_minutes=60
    )
    uid, stored, _session = _stored(app, session_id)
    body = client.get(f"/sessions/{session_id}/calendar.ics").data
    tree = check_feed(body)
    event = events_by_uid(tree)[uid]
    assert event.one("DTEND").params == {}
    assert event.one("DTEND").value == "20270328T013000Z"
    assert icalendar_instants(body)[uid] == ical_instants(body)[uid] == stored
    assert tree.walk("VTIMEZONE") == []


def test_time_a_week_from_an_offset_change_keeps_its_zone(app, client, add_session):
    session_id = add_session(
        starts_local=datetime(2027, 4, 5, 10, 0), time_zone="Europe/Berlin", duration_minutes=60
    )
    uid, stored, _session = _stored(app, session_id)
    body = client.get(f"/sessions/{session_id}/calendar.ics").data
    event = events_by_uid(check_feed(body))[uid]
    assert event.one("DTSTART").params == {"TZID": "Europe/Berlin"}
    assert event.one("DTSTART").value == "20270405T100000"
    assert icalendar_instants(body)[uid] == ical_instants(body)[uid] == stored


def test_vtimezone_covers_an_end_after_the_offset_changed():
    # 2024-02-29 20:00+06 to 2024-03-01 00:30+05: both offsets must be described.
    start = datetime(2024, 2, 29, 14, 0, tzinfo=UTC)
    end = datetime(2024, 2, 29, 19, 30, tzinfo=UTC)
    # (Written in UTC, being so near the change; the zone's dates still cover it.)
    assert _local_dates(start, end, "Asia/Almaty") == (date(2024, 2, 29), date(2024, 3, 1))
    almaty = build_vtimezone("Asia/Almaty", *_local_dates(start, end, "Asia/Almaty"))
    lines = almaty.to_ical().decode().splitlines()
    offsets = sorted(line for line in lines if line.startswith("TZOFFSETTO:"))
    assert offsets == ["TZOFFSETTO:+0500", "TZOFFSETTO:+0600"]


def test_ambiguity_is_read_from_the_zone():
    assert is_ambiguous(datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "Europe/Berlin")
    assert is_ambiguous(datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "Europe/Berlin")
    assert not is_ambiguous(datetime(2027, 10, 31, 2, 0, tzinfo=UTC), "Europe/Berlin")
    assert not is_ambiguous(datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "Asia/Samarkand")
    new_year = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC))
    assert written_zone("UTC", *new_year) is None
    assert written_zone("Etc/UTC", *new_year) is None
    assert written_zone("Europe/Berlin", *new_year) == "Europe/Berlin"
