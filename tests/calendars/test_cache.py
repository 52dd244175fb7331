"""Rendering is cached and follows every change, so an idle poll costs almost nothing."""

from __future__ import annotations

from datetime import timedelta

from webinars.domain.calendars.cache import FeedCache, app_feed_cache, rendered_feed
from webinars.domain.sessions.scheduling import reschedule_session
from webinars.extensions import db
from webinars.models import PartnerAcademy, Role, Session, User, utcnow


def _renders(app) -> int:
    with app.app_context():
        return app_feed_cache().renders


def test_second_poll_renders_nothing_and_costs_few_queries(app, client, add_session, count_queries):
    for days in range(1, 30):
        add_session(days=days)
    first = client.get("/calendars/all.ics")
    renders = _renders(app)
    with count_queries() as counter:
        again = client.get("/calendars/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert _renders(app) == renders
    assert counter.count == 0  # the fingerprint read a moment ago is trusted for a few seconds
    app.config["FEED_FINGERPRINT_SECONDS"] = 0
    with count_queries() as counter:
        again = client.get("/calendars/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert counter.count == 1  # the fingerprint only; no session is loaded


def test_change_to_a_session_renders_again(app, client, add_session):
    session_id = add_session(days=4)
    first = client.get("/calendars/all.ics")
    renders = _renders(app)
    with app.app_context():
        session = db.session.get(Session, session_id)
        moved = session.starts_at.replace(tzinfo=None) + timedelta(days=1)
        reschedule_session(session, moved, "Asia/Samarkand", 60, None)
        db.session.commit()
    second = client.get("/calendars/all.ics")
    assert _renders(app) == renders + 1
    assert second.data != first.data
    assert second.headers["ETag"] != first.headers["ETag"]


def test_renamed_lecturer_shows_without_a_session_change(app, client, add_session, make_user):
    lecturer = make_user(Role.LECTURER, name="Dilnoza Yusupova")
    add_session(lecturer_ids=[lecturer.id])
    assert b"Dilnoza Yusupova" in client.get("/calendars/all.ics").data
    with app.app_context():
        db.session.get(User, lecturer.id).name = "Dilnoza Rahimova"
        db.session.commit()
    assert b"Dilnoza Rahimova" in client.get("/calendars/all.ics").data


def test_renamed_academy_shows_in_its_feed_name(app, client, add_session, make_academy):
    # An English-speaking academy, so its feed is named in English (the default is Russian).
    academy = make_academy(slug="kz", name_en="South Kazakhstan Academy", language="en")
    add_session(academy_ids=[academy.id])
    assert (
        b"X-WR-CALNAME:Sessions with South Kazakhstan Academy"
        in client.get("/calendars/academies/kz.ics").data
    )
    with app.app_context():
        db.session.get(PartnerAcademy, academy.id).name_en = "South Kazakhstan Medical Academy"
        db.session.commit()
    assert (
        b"X-WR-CALNAME:Sessions with South Kazakhstan Medical Academy"
        in client.get("/calendars/academies/kz.ics").data
    )


def test_filters_and_languages_are_cached_apart(client, add_session):
    add_session()
    english = client.get("/calendars/all.ics")
    russian = client.get("/calendars/all.ics?locale=ru")
    webinars = client.get("/calendars/all.ics?kind=webinar")
    assert len({english.headers["ETag"], russian.headers["ETag"], webinars.headers["ETag"]}) == 3
    assert b"NAME:International lectures: all sessions (Webinar)" in webinars.data
    assert b"NAME:International lectures: all sessions\r\n" in english.data


def test_cache_keeps_one_version_per_feed_and_a_byte_bound():
    cache = FeedCache(max_bytes=100)
    now = utcnow()
    cache.put("a", 1, rendered_feed(b"x" * 40, now))
    cache.put("a", 2, rendered_feed(b"y" * 40, now))
    assert cache.get("a", 1) is None
    assert cache.get("a", 2).body == b"y" * 40
    cache.put("b", 1, rendered_feed(b"z" * 40, now))
    cache.put("c", 1, rendered_feed(b"w" * 40, now))  # over 100 bytes: "a" goes (oldest)
    assert cache.get("a", 2) is None
    assert cache.get("b", 1) is not None and cache.get("c", 1) is not None


def test_after_a_change_only_that_event_renders_again(app, client, add_session, monkeypatch):
    from webinars.domain.calendars import events as calendars

    ids = [add_session(days=d) for d in range(1, 8)]
    built: list[int] = []
    real_build = calendars.build_event

    def counting_build(session, **kwargs):
        built.append(session.id)
        return real_build(session, **kwargs)

    monkeypatch.setattr(calendars, "build_event", counting_build)
    first = client.get("/calendars/all.ics").data
    assert sorted(built) == ids
    built.clear()
    with app.app_context():
        session = db.session.get(Session, ids[3])
        moved = session.starts_at.replace(tzinfo=None) + timedelta(hours=2)
        reschedule_session(session, moved, "Asia/Samarkand", 60, None)
        db.session.commit()
    second = client.get("/calendars/all.ics").data
    assert built == [ids[3]]
    assert second != first
    with app.app_context():
        app_feed_cache().clear()  # from nothing, the same bytes
    assert client.get("/calendars/all.ics").data == second
