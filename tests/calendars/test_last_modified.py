"""Last-Modified and ETag only move forward: whatever takes an event out of a feed (or
changes a download), a client revalidating with the validators it holds gets the new body.

Each feed kind (all, academy, academy by token, lecturer, personal, one session's
download) is checked with If-Modified-Since and with If-None-Match, for the removals that
can happen to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.fixtures.registration import enrol, open_session, person  # noqa: F401 - fixtures
from webinars.domain.calendars import events as feed_events
from webinars.domain.calendars import selection as feed_selection
from webinars.domain.calendars.selection import lecturer_slug
from webinars.domain.calendars.tokens import issue_token, new_personal_token, user_subject
from webinars.domain.calendars.versions import whole_seconds
from webinars.domain.calendars.window import feed_window
from webinars.domain.registration.register import cancel
from webinars.domain.sessions.scheduling import input_from_session, update_session
from webinars.extensions import db
from webinars.models import (
    FeedScope,
    Registration,
    Role,
    Session,
    SessionStatus,
    User,
    Visibility,
    utcnow,
)
from webinars.web import feed_http


@dataclass
class World:
    """Two sessions of one lecturer with one academy; `gone` is the one taken out."""

    urls: dict[str, str]
    keep: int
    gone: int
    lecturer_id: int
    academy_id: int
    other_academy_id: int
    other_lecturer_id: int
    registration_id: int


@pytest.fixture
def world(app, add_session, make_academy, make_user, enrol) -> World:  # noqa: F811
    academy = make_academy(slug="izhevsk")
    other_academy = make_academy(slug="shymkent")
    lecturer = make_user(name="Aziza Karimova")
    other = make_user(name="Olga Petrova")
    coordinator = make_user(Role.COORDINATOR, academy_id=academy.id)
    earlier = utcnow() - timedelta(hours=1)
    common = dict(
        academy_ids=[academy.id, other_academy.id],
        lecturer_ids=[lecturer.id, other.id],
        actor=lecturer,
    )
    keep = add_session(days=3, now=earlier, title="Stays", **common)
    gone = add_session(days=5, title="Leaves", join_url="https://meet.example.org/5", **common)
    with app.app_context():
        academy_token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(coordinator))
        personal_token = new_personal_token("student1@example.org", earlier)
        db.session.commit()
    enrol(keep, person(1), earlier, added_by=lecturer)
    registration = enrol(gone, person(1), added_by=lecturer)
    urls = {
        "all": "/calendars/all.ics",
        "academy": "/calendars/academies/izhevsk.ics",
        "academy_private": f"/calendars/academies/izhevsk/{academy_token}.ics",
        "lecturer": f"/calendars/lecturers/{lecturer_slug(lecturer)}.ics",
        "personal": f"/calendars/personal/{personal_token}.ics",
        "download": f"/sessions/{gone}/calendar.ics",
    }
    return World(
        urls, keep, gone, lecturer.id, academy.id, other_academy.id, other.id, registration.id
    )


def _edit(session: Session, now: datetime, **changes) -> None:
    data = input_from_session(session)
    for key, value in changes.items():
        setattr(data, key, value)
    update_session(session, data, None, now=now)


def _remove(app, world: World, removal: str, monkeypatch) -> None:
    """Take `world.gone` out of the feeds (or change the download) the way `removal` says."""
    now = utcnow() + timedelta(seconds=2)
    if removal == "window":  # 100 days on, the session is more than 90 days past
        later = utcnow().date() + timedelta(days=100)
        moved = lambda today=None: feed_window(later)  # noqa: E731
        monkeypatch.setattr(feed_selection, "feed_window", moved)
        monkeypatch.setattr(feed_events, "feed_window", moved)
        return
    with app.app_context():
        session = db.session.get(Session, world.gone)
        if removal == "deleted":  # with its registrations (PostgreSQL's cascade; SQLite's off)
            db.session.execute(db.delete(Registration).where(Registration.session_id == world.gone))
            db.session.delete(session)
        elif removal == "draft":
            _edit(session, now, status=SessionStatus.DRAFT)
        elif removal == "partners_only":
            _edit(session, now, visibility=Visibility.PARTNERS)
        elif removal == "academy_taken_off":
            _edit(session, now, academy_ids=[world.other_academy_id])
        elif removal == "lecturer_taken_off":
            _edit(session, now, lecturer_ids=[world.other_lecturer_id])
        elif removal == "registration_cancelled":
            cancel(db.session.get(Registration, world.registration_id), now)
        elif removal == "lecturer_renamed":  # the download changes, its session does not
            user = db.session.get(User, world.lecturer_id)
            user.name = "Aziza Karimova-Rashidova"
            user.updated_at = now
        else:
            raise AssertionError(removal)
        db.session.commit()


CASES = [
    ("all", "draft"),
    ("all", "partners_only"),
    ("all", "deleted"),
    ("all", "window"),
    ("academy", "academy_taken_off"),
    ("academy", "partners_only"),
    ("academy", "deleted"),
    ("academy_private", "academy_taken_off"),
    ("academy_private", "deleted"),
    ("lecturer", "lecturer_taken_off"),
    ("lecturer", "deleted"),
    ("personal", "registration_cancelled"),
    ("personal", "deleted"),
    ("personal", "window"),
    ("download", "lecturer_renamed"),
]


@pytest.mark.parametrize(("kind", "removal"), CASES)
def test_removal_moves_both_validators_forward(app, client, world, kind, removal, monkeypatch):
    url = world.urls[kind]
    clock = {"now": utcnow() + timedelta(hours=1)}
    monkeypatch.setattr(feed_http, "utcnow", lambda: clock["now"])
    first = client.get(url)
    assert first.status_code == 200
    assert f"session-{world.gone}@".encode() in first.data

    _remove(app, world, removal, monkeypatch)
    clock["now"] += timedelta(hours=1)
    by_date = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    by_etag = client.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert (by_date.status_code, by_etag.status_code) == (200, 200)
    assert by_date.data == by_etag.data != first.data
    if kind != "download":
        assert f"session-{world.gone}@".encode() not in by_date.data
    if kind != "download" and removal != "window":  # the window drops both
        assert f"session-{world.keep}@".encode() in by_date.data
    assert by_date.last_modified > first.last_modified
    assert by_date.headers["ETag"] != first.headers["ETag"]
    # The new validators hold until the next change.
    again = client.get(url, headers={"If-Modified-Since": by_date.headers["Last-Modified"]})
    assert again.status_code == 304


def test_personal_feed_last_modified_never_goes_back_when_a_seat_is_cancelled(
    app, client, world, monkeypatch
):
    """The reported case: the latest confirmed seat cancelled, the feed's data is older."""
    url = world.urls["personal"]
    monkeypatch.setattr(feed_http, "utcnow", lambda: utcnow() + timedelta(days=1))
    first = client.get(url)
    _remove(app, world, "registration_cancelled", monkeypatch)
    second = client.get(url)
    assert second.last_modified > first.last_modified
    stale = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert stale.status_code == 200
    assert f"session-{world.gone}@".encode() not in stale.data


def test_same_body_keeps_its_last_modified_in_a_fresh_process(app, client, world, monkeypatch):
    """Another worker (empty memory cache) answers the same body with the same validators."""
    monkeypatch.setattr(feed_http, "utcnow", lambda: utcnow() + timedelta(days=1))
    for url in world.urls.values():
        first = client.get(url)
        app.extensions["webinars.feed_cache"].clear()
        second = client.get(url)
        assert (second.headers["ETag"], second.headers["Last-Modified"]) == (
            first.headers["ETag"],
            first.headers["Last-Modified"],
        ), url


def test_whole_seconds_round_up():
    moment = datetime(2027, 1, 1, 10, 0, 0, 1, tzinfo=UTC)
    assert whole_seconds(moment) == datetime(2027, 1, 1, 10, 0, 1, tzinfo=UTC)
    assert whole_seconds(moment.replace(microsecond=0)) == moment.replace(microsecond=0)
