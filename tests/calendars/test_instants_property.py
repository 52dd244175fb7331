"""Property: whatever the zone and time, every reader gets the stored instants back.

Sessions at random times in every zone the app offers, with extra weight on the hours
around offset changes (Berlin's autumn and spring nights, Almaty's move from +06 to +05
on 2024-02-29/03-01), go through every kind of output: a feed with several sessions, one
session's download and an emailed invitation. The UTC instants of DTSTART and DTEND read
by `icalendar`, by the strict `ical` package and by Mozilla's ical.js (Node.js; CI has
it, elsewhere the test skips and says why) equal the stored ones; the byte-level lint
holds too. A second test takes the same critical times through the app's URLs and mail.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.calendars.icaljs import icaljs_instants, icaljs_missing
from tests.calendars.ics_check import check_feed, ical_instants, icalendar_instants
from tests.environment import require
from tests.fixtures.registration import outbox, person
from webinars.domain.calendars.events import render_feed
from webinars.domain.calendars.invitations import build_invitation
from webinars.domain.registration.register import register
from webinars.domain.sessions.timezones import all_zones
from webinars.extensions import db
from webinars.models import (
    Session,
    SessionKind,
    SessionStatus,
    User,
    Visibility,
)

BASE_URL = "https://webinars.example.net"
HOME_ZONES = ["Asia/Samarkand", "Europe/Samara", "Asia/Almaty", "Asia/Qyzylorda"]
TRANSITION_ZONES = ["Europe/Berlin", "Asia/Almaty"]
# Offset changes, in UTC: Berlin's autumn and spring nights, Almaty's last change.
TRANSITIONS = [
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2027, 3, 28, 1, 0, tzinfo=UTC),
    datetime(2027, 10, 31, 1, 0, tzinfo=UTC),
    datetime(2028, 3, 26, 1, 0, tzinfo=UTC),
    datetime(2024, 2, 29, 18, 0, tzinfo=UTC),
]


@st.composite
def sessions_at_random(draw) -> tuple[str, datetime, datetime]:
    """(zone, start, end): often within five hours of an offset change."""
    zone = draw(
        st.one_of(
            st.sampled_from(TRANSITION_ZONES),
            st.sampled_from(HOME_ZONES),
            st.sampled_from(all_zones()),
        )
    )
    anchor = draw(
        st.one_of(
            st.sampled_from(TRANSITIONS),
            st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2036, 12, 31)).map(
                lambda moment: moment.replace(tzinfo=UTC)
            ),
        )
    )
    shift = draw(st.integers(min_value=-300, max_value=300))
    start = (anchor + timedelta(minutes=shift)).replace(second=0, microsecond=0)
    minutes = draw(st.integers(min_value=1, max_value=24 * 60))
    return zone, start, start + timedelta(minutes=minutes)


def _session(number: int, zone: str, start: datetime, end: datetime) -> Session:
    """A session as stored (not saved: the outputs read only its fields)."""
    return Session(
        id=number,
        kind=SessionKind.WEBINAR,
        title=f"Session {number}",
        description="",
        language="en",
        starts_at=start,
        ends_at=end,
        time_zone=zone,
        status=SessionStatus.SCHEDULED,
        visibility=Visibility.PUBLIC,
        join_url="https://meet.example.org/abc",
        sequence=0,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _invitation(session: Session) -> bytes:
    return build_invitation(
        session,
        attendee_email="student@example.org",
        attendee_name="Madina Tursunova",
        method="REQUEST",
        join_url="https://meet.example.org/seat",
        locale="en",
        organizer_email="webinars@department.example.net",
        organizer_name="Children's Diseases Department",
        base_url=BASE_URL,
    )


def _assert_every_reader_agrees(bodies: dict[str, bytes], stored: dict[str, tuple]) -> None:
    through_js = dict(zip(bodies, icaljs_instants(*bodies.values()), strict=True))
    for kind, body in bodies.items():
        check_feed(body, feed=not kind.startswith("invitation"))
        expected = {uid: stored[uid] for uid in icalendar_instants(body)}
        assert icalendar_instants(body) == expected, kind
        assert ical_instants(body) == expected, kind
        assert through_js[kind] == expected, kind
        assert set(expected) <= set(stored) and expected, kind


@pytest.fixture
def icaljs() -> None:
    require(icaljs_missing())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(sessions_at_random(), min_size=1, max_size=4))
def test_every_output_reads_back_as_the_stored_instants(app, icaljs, drawn):
    sessions = [_session(n, *values) for n, values in enumerate(drawn, start=1)]
    stored = {f"session-{s.id}@webinars.example.net": (s.starts_at, s.ends_at) for s in sessions}
    with app.app_context():
        bodies = {
            "feed": render_feed(
                sessions,
                name="All",
                private=False,
                locale="en",
                base_url=BASE_URL,
                windowed=False,
            )
        }
        for session in sessions:
            bodies[f"download {session.id}"] = render_feed(
                [session],
                name=session.title,
                private=False,
                locale="en",
                base_url=BASE_URL,
                windowed=False,
            )
            bodies[f"invitation {session.id}"] = _invitation(session)
    _assert_every_reader_agrees(bodies, stored)


# (zone, local start, minutes): each starts or ends within an hour of an offset change.
CRITICAL = [
    ("Europe/Berlin", datetime(2027, 10, 31, 1, 0), 150),  # ends at the second 02:30
    ("Europe/Berlin", datetime(2027, 10, 31, 1, 0), 90),  # ends at the first 02:30
    ("Europe/Berlin", datetime(2027, 10, 30, 22, 0), 300),  # spans the change
    ("Europe/Berlin", datetime(2027, 3, 28, 1, 30), 60),  # ends after the skipped hour
    ("Asia/Almaty", datetime(2024, 2, 29, 21, 0), 210),  # ends at the second 23:30
    ("Asia/Almaty", datetime(2024, 2, 29, 21, 0), 150),  # ends at the first 23:30
    ("Asia/Samarkand", datetime(2027, 10, 31, 4, 0), 90),
    ("Europe/Samara", datetime(2027, 10, 31, 3, 0), 90),
    ("Asia/Qyzylorda", datetime(2027, 3, 28, 5, 0), 90),
]


def test_app_outputs_at_critical_times_read_back_as_stored(
    app, client, icaljs, add_session, make_user
):
    lecturer = make_user(name="Aziza Karimova")
    ids = [
        add_session(
            starts_local=local,
            time_zone=zone,
            duration_minutes=minutes,
            kind=SessionKind.MASTER_CLASS,
            capacity=5,
            lecturer_ids=[lecturer.id],
        )
        for zone, local, minutes in CRITICAL
    ]
    stored = {}
    with app.app_context():
        actor = db.session.get(User, lecturer.id)
        for n, session_id in enumerate(ids):
            session = db.session.get(Session, session_id)
            stored[f"session-{session_id}@localhost"] = (session.starts_at, session.ends_at)
            if session.starts_at > datetime.now(UTC):
                register(session_id, person(n), added_by=actor)  # confirmed: an invitation
        db.session.commit()
    bodies = {"all feed": client.get("/calendars/all.ics").data}
    for session_id in ids:
        bodies[f"download {session_id}"] = client.get(f"/sessions/{session_id}/calendar.ics").data
    for message in outbox(app, kind="confirmed"):
        bodies[f"invitation {message.to_address}"] = message.attachment
    assert len(bodies) == 1 + len(ids) + sum(1 for zone, local, _m in CRITICAL if local.year > 2026)

    _assert_every_reader_agrees(bodies, stored)
