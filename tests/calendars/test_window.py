"""A feed is complete for the window it states: when it holds more sessions than
FEED_MAX_EVENTS (or than fit in its byte limit) the window shrinks by whole days, in SQL
before anything renders, and the feed and the subscribe page say which days it covers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event

from tests.calendars.ics_check import events_by_uid, unescape
from webinars.domain.calendars.events import MAX_FEED_BYTES, render_feed
from webinars.domain.calendars.window import feed_window
from webinars.extensions import db
from webinars.models import Session, SessionKind, SessionStatus, Visibility, utcnow

STATED = re.compile(r"Sessions from (\w+ \d+, \d{4}) to (\w+ \d+, \d{4}) \(UTC dates\)\.")


def _stated_window(description: str) -> tuple[datetime, datetime]:
    """The window a feed's English description states: [first day, day after the last)."""
    match = STATED.search(description)
    assert match, description
    first, last = (datetime.strptime(day, "%B %d, %Y").date() for day in match.groups())
    start = datetime.combine(first, time(0), tzinfo=UTC)
    return start, datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)


def _caldesc(tree) -> str:
    desc = unescape(tree.one("X-WR-CALDESC").value)
    assert unescape(tree.one("DESCRIPTION").value) == desc
    return desc


def _uids_in(app, start: datetime, end: datetime) -> set[str]:
    """Every published public session inside [start, end), as feed UIDs."""
    with app.app_context():
        ids = db.session.execute(
            db.select(Session.id).where(
                Session.visibility == Visibility.PUBLIC,
                Session.status != SessionStatus.DRAFT,
                Session.starts_at < end,
                Session.ends_at >= start,
            )
        ).scalars()
        return {f"session-{i}@localhost" for i in ids}


@pytest.fixture
def crowded(app, add_session):
    """6 past days and 14 upcoming days with one session each; feeds hold 10 events."""
    app.config["FEED_MAX_EVENTS"] = 10
    past = [add_session(days=-d) for d in range(1, 7)]
    ahead = [add_session(days=d) for d in range(1, 15)]
    return past, ahead


def test_feed_under_the_cap_states_the_full_window(app, add_session, fetch_feed):
    add_session(days=3)
    _response, tree = fetch_feed("/calendars/all.ics")
    description = _caldesc(tree)
    window = feed_window(utcnow().date())
    assert _stated_window(description) == (window.start, window.end)
    assert "narrower calendar" not in description


def test_feed_over_the_cap_shortens_its_window_and_stays_complete(app, crowded, fetch_feed):
    past, ahead = crowded
    _response, tree = fetch_feed("/calendars/all.ics")
    description = _caldesc(tree)
    start, end = _stated_window(description)
    today = datetime.combine(utcnow().date(), time(0), tzinfo=UTC)
    # Upcoming sessions get the larger share, past ones a fifth: days -2..8.
    assert (start, end) == (today - timedelta(days=2), today + timedelta(days=9))
    uids = set(events_by_uid(tree))
    assert uids == _uids_in(app, start, end)
    assert len(uids) == 10
    assert {f"session-{i}@localhost" for i in past[:2] + ahead[:8]} == uids
    assert "narrower calendar" in description
    assert "http://localhost/calendars/" in description


def test_narrowed_feed_is_said_in_russian_too(app, crowded, fetch_feed):
    _response, tree = fetch_feed("/calendars/all.ics?locale=ru")
    description = _caldesc(tree)
    assert "UTC" in description and "http://localhost/calendars/" in description
    assert "narrower" not in description


def test_filtered_feed_has_its_own_window(app, crowded, add_session, fetch_feed):
    master = add_session(days=30, kind=SessionKind.MASTER_CLASS, capacity=20)
    _response, tree = fetch_feed("/calendars/all.ics?kind=master_class")
    assert set(events_by_uid(tree)) == {f"session-{master}@localhost"}
    assert "narrower calendar" not in _caldesc(tree)
    _response, everything = fetch_feed("/calendars/all.ics")
    assert f"session-{master}@localhost" not in events_by_uid(everything)


def test_feed_reads_only_the_sessions_it_sends(app, add_session, client):
    """The same output costs the same: loaded sessions stay at the cap as the table grows."""
    app.config["FEED_MAX_EVENTS"] = 4
    loaded: list[int] = []

    def count(target, _context) -> None:
        loaded.append(target.id)

    for d in range(1, 7):
        add_session(days=d)
    counts = []
    for more in (range(7, 13), range(13, 40, 3)):
        for d in more:
            add_session(days=d)
        with app.app_context():
            from webinars.domain.calendars.cache import app_feed_cache

            app_feed_cache().clear()
        loaded.clear()
        event.listen(Session, "load", count)
        try:
            response = client.get("/calendars/all.ics")
        finally:
            event.remove(Session, "load", count)
        assert response.status_code == 200
        counts.append((len(loaded), response.data.count(b"BEGIN:VEVENT")))
    assert counts == [(4, 4), (4, 4)]


def test_subscribe_page_states_the_window(app, crowded, client):
    page = client.get("/calendars/").get_data(as_text=True)
    today = utcnow().date()
    first = (today - timedelta(days=2)).strftime("%B %-d, %Y")
    last = (today + timedelta(days=8)).strftime("%B %-d, %Y")
    assert f"from {first} to {last} (UTC dates)" in page
    assert "subscribe to a narrower calendar" in page


def test_subscribe_page_of_a_small_feed_is_not_narrowed(app, add_session, client, make_academy):
    add_session(days=3)
    page = client.get("/calendars/").get_data(as_text=True)
    assert "This calendar holds the sessions from" in page
    assert "subscribe to a narrower calendar" not in page


def _session(i: int, start: datetime, description: str) -> Session:
    from webinars.models import Conference, SessionKind

    return Session(
        id=i + 1,
        kind=SessionKind.WEBINAR,
        title=f"Session {i} on paediatric nephrology",
        description=description,
        language="ru",
        starts_at=start + timedelta(hours=5 * i),
        ends_at=start + timedelta(hours=5 * i + 1),
        time_zone="Asia/Samarkand",
        status=SessionStatus.SCHEDULED,
        visibility=Visibility.PUBLIC,
        conference=Conference.LINK,
        sequence=0,
        created_at=start - timedelta(days=30),
        updated_at=start - timedelta(days=30),
        lecturers=[],
        academies=[],
        guest_speakers=[],
    )


def test_byte_limit_shortens_the_window_by_whole_days(app):
    """Over a megabyte: the furthest days go, the feed says so and holds every session
    of the days it states (the past ones too)."""
    from tests.calendars.ics_check import check_feed

    today = date(2026, 12, 1)
    start = datetime(2026, 9, 15, 9, tzinfo=UTC)
    sessions = [_session(i, start, "Описание занятия. " * 40) for i in range(2500)]
    with app.app_context():
        body = render_feed(
            sessions, name="Big", private=False, locale="en", today=today, more_url="http://x/"
        )
    assert len(body) <= MAX_FEED_BYTES
    tree = check_feed(body)
    first, end = _stated_window(_caldesc(tree))
    assert first == feed_window(today).start
    assert datetime(2026, 12, 2, tzinfo=UTC) < end < feed_window(today).end
    expected = {
        f"session-{s.id}@localhost" for s in sessions if s.starts_at < end and s.ends_at >= first
    }
    assert set(events_by_uid(tree)) == expected
    assert 500 < len(expected) < 2500
