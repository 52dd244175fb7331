"""What is inside a feed: calendar properties, events, zones, cancellations, privacy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.calendars.conftest import load
from tests.calendars.ics_check import check_feed, events_by_uid, unescape
from webinars.domain.calendars.events import PRODID, session_page_url
from webinars.domain.calendars.tokens import issue_token, user_subject
from webinars.domain.sessions.scheduling import cancel_session, reschedule_session
from webinars.extensions import babel, db
from webinars.models import (
    Conference,
    FeedScope,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    Visibility,
)


def _utc(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def test_calendar_properties_all_feed(add_session, fetch_feed):
    add_session()
    _response, tree = fetch_feed("/calendars/all.ics")
    assert tree.one("VERSION").value == "2.0"
    assert tree.one("PRODID").value == PRODID
    assert tree.one("METHOD").value == "PUBLISH"
    assert tree.one("NAME").value == "International lectures: all sessions"
    assert tree.one("X-WR-CALNAME").value == tree.one("NAME").value
    assert tree.one("X-WR-TIMEZONE").value == "Asia/Samarkand"
    refresh = tree.one("REFRESH-INTERVAL")
    assert (refresh.params, refresh.value) == ({"VALUE": "DURATION"}, "PT1H")
    assert tree.one("X-PUBLISHED-TTL").value == "PT1H"


def test_calendar_name_academy_in_feed_language(add_session, make_academy, fetch_feed):
    academy = make_academy(slug="izhevsk", name_en="Izhevsk Academy", name_ru="ИГМА")
    add_session(academy_ids=[academy.id])
    _r, russian = fetch_feed("/calendars/academies/izhevsk.ics?locale=ru")
    _r, english = fetch_feed("/calendars/academies/izhevsk.ics?locale=en")
    assert "ИГМА" in russian.one("NAME").value
    assert russian.one("X-WR-CALNAME").value == russian.one("NAME").value
    assert "Izhevsk Academy" in english.one("NAME").value
    assert english.one("X-WR-TIMEZONE").value == "Europe/Samara"


def test_calendar_name_lecturer(add_session, make_user, fetch_feed):
    lecturer = make_user(Role.LECTURER, name="Aziza Karimova")
    add_session(lecturer_ids=[lecturer.id])
    _r, tree = fetch_feed(f"/calendars/lecturers/{lecturer.id}-aziza-karimova.ics")
    assert tree.one("NAME").value == "Sessions of Aziza Karimova"
    assert tree.one("X-WR-CALNAME").value == "Sessions of Aziza Karimova"


def test_uid_same_in_every_feed(app, client, add_session, make_academy, make_user, fetch_feed):
    academy = make_academy(slug="shymkent", time_zone="Asia/Almaty")
    lecturer = make_user(Role.LECTURER, name="Ivan Petrov")
    coordinator = make_user(Role.COORDINATOR, academy_id=academy.id)
    session_id = add_session(academy_ids=[academy.id], lecturer_ids=[lecturer.id])
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(coordinator))
        db.session.commit()
    urls = [
        "/calendars/all.ics",
        "/calendars/academies/shymkent.ics",
        f"/calendars/academies/shymkent/{token}.ics",
        f"/calendars/lecturers/{lecturer.id}.ics",
        f"/sessions/{session_id}/calendar.ics",
    ]
    uids = [list(events_by_uid(fetch_feed(url)[1])) for url in urls]
    assert uids == [[f"session-{session_id}@localhost"]] * len(urls)


def test_dtstamp_and_last_modified_are_the_last_change(app, add_session, fetch_feed):
    session_id = add_session(days=10)
    session = load(app, session_id)
    _r, tree = fetch_feed("/calendars/all.ics")
    event = events_by_uid(tree)[f"session-{session_id}@localhost"]
    assert _utc(event.one("DTSTAMP").value) == session.updated_at.replace(microsecond=0)
    assert event.one("LAST-MODIFIED").value == event.one("DTSTAMP").value
    assert event.one("SEQUENCE").value == "0"
    with app.app_context():
        stored = db.session.get(Session, session_id)
        later = stored.updated_at + timedelta(hours=5)
        reschedule_session(
            stored,
            stored.starts_at.replace(tzinfo=None) + timedelta(hours=1),
            "Asia/Samarkand",
            90,
            None,
            now=later,
        )
        db.session.commit()
    _r, tree = fetch_feed("/calendars/all.ics")
    event = events_by_uid(tree)[f"session-{session_id}@localhost"]
    assert _utc(event.one("DTSTAMP").value) == later.replace(microsecond=0)
    assert event.one("LAST-MODIFIED").value == event.one("DTSTAMP").value
    assert event.one("SEQUENCE").value == "1"


def test_dtstamp_does_not_follow_the_clock(add_session, client):
    add_session()
    first = client.get("/calendars/all.ics").data
    second = client.get("/calendars/all.ics", headers={"Cache-Control": "no-cache"}).data
    assert first == second


def test_times_carry_their_zone_and_utc_instant(app, add_session, fetch_feed):
    ids = {
        zone: add_session(time_zone=zone)
        for zone in ("Asia/Samarkand", "Europe/Samara", "Asia/Almaty", "Asia/Qyzylorda")
    }
    _r, tree = fetch_feed("/calendars/all.ics")
    events = events_by_uid(tree)
    for zone, session_id in ids.items():
        event = events[f"session-{session_id}@localhost"]
        assert event.one("DTSTART").params == {"TZID": zone}
        assert event.one("DTEND").params == {"TZID": zone}
        assert event.all("DURATION") == []
    # check_feed (in fetch_feed) compared every instant through icalendar and ical; and
    # the instant is the stored one:
    from tests.calendars.ics_check import ical_instants

    instants = ical_instants(_r.data)
    for session_id in ids.values():
        session = load(app, session_id)
        uid = f"session-{session_id}@localhost"
        assert instants[uid] == (session.starts_at, session.ends_at)


def test_one_vtimezone_per_zone_with_one_standard_block(add_session, fetch_feed):
    for zone in ("Asia/Samarkand", "Europe/Samara", "Asia/Almaty", "Asia/Almaty"):
        add_session(time_zone=zone, days=3)
    add_session(time_zone="Asia/Almaty", days=300)
    _r, tree = fetch_feed("/calendars/all.ics")
    zones = {tz.one("TZID").value: tz for tz in tree.walk("VTIMEZONE")}
    assert sorted(zones) == ["Asia/Almaty", "Asia/Samarkand", "Europe/Samara"]
    for zone in zones.values():
        assert [c.name for c in zone.children] == ["STANDARD"]
        assert zone.children[0].one("DTSTART").value >= "2026"  # not icalendar's 1970 default


def test_zone_with_daylight_saving_parses_everywhere(add_session, fetch_feed):
    add_session(time_zone="Europe/Berlin", days=20)
    add_session(time_zone="Europe/Berlin", days=200)
    _r, tree = fetch_feed("/calendars/all.ics")
    (berlin,) = tree.walk("VTIMEZONE")
    assert {c.name for c in berlin.children} == {"STANDARD", "DAYLIGHT"}


def test_cancelled_session_kept_marked_and_prefixed(app, add_session, fetch_feed):
    session_id = add_session(title="Neonatal sepsis")
    with app.app_context():
        cancel_session(db.session.get(Session, session_id), "The lecturer is ill", None)
        db.session.commit()
    _r, tree = fetch_feed("/calendars/all.ics")
    event = events_by_uid(tree)[f"session-{session_id}@localhost"]
    assert event.one("STATUS").value == "CANCELLED"
    assert event.one("SUMMARY").value == "Cancelled: Neonatal sepsis"
    assert event.one("SEQUENCE").value == "1"
    assert "The lecturer is ill" in unescape(event.one("DESCRIPTION").value)


def test_cancelled_prefix_is_translated(tmp_path, add_session, app):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from webinars import create_app
    from webinars.domain.calendars.events import render_feed

    catalog = Catalog(locale="ru")
    catalog.add("Cancelled: %(title)s", "Отменено: %(title)s", flags=["python-format"])
    target = tmp_path / "translations" / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    session_id = add_session(title="Неонатальный сепсис")
    with app.app_context():
        cancel_session(db.session.get(Session, session_id), "Болезнь", None)
        db.session.commit()
    russian_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations"),
        }
    )
    cache = babel.domain_instance.cache  # Flask-Babel keeps catalogs per locale, process-wide
    cache.clear()
    try:
        with russian_app.app_context():
            sessions = [db.session.get(Session, session_id)]
            russian = render_feed(sessions, name="x", private=False, locale="ru")
            english = render_feed(sessions, name="x", private=False, locale="en")
    finally:
        cache.clear()
    (russian_event,) = check_feed(russian).walk("VEVENT")
    (english_event,) = check_feed(english).walk("VEVENT")
    assert russian_event.one("SUMMARY").value == "Отменено: Неонатальный сепсис"
    assert english_event.one("SUMMARY").value == "Cancelled: Неонатальный сепсис"


def test_folding_keeps_utf8_characters_whole(add_session, fetch_feed):
    title = "Oʻzbekiston bolalar kardiologiyasi — Детская кардиология " * 3
    add_session(title=title[:200], description="Длинное описание. " * 40)
    response, tree = fetch_feed("/calendars/all.ics")  # lint: ≤75 octets, each line UTF-8
    lines = response.data.split(b"\r\n")
    assert any(line.startswith(b" ") for line in lines)
    assert max(len(line) for line in lines) <= 75
    (event,) = tree.walk("VEVENT")
    assert unescape(event.one("SUMMARY").value) == title[:200].strip()


def test_public_feed_has_no_join_link_attendee_alarm_or_private_class(add_session, fetch_feed):
    add_session(join_url="https://meet.example.org/secret-room")
    response, tree = fetch_feed("/calendars/all.ics")
    assert b"secret-room" not in response.data
    (event,) = tree.walk("VEVENT")
    for name in ("ATTENDEE", "LOCATION", "CONFERENCE", "CLASS"):
        assert event.all(name) == []
    assert tree.walk("VALARM") == []
    assert event.one("URL").value.startswith("http://localhost/sessions/")


def test_private_feed_puts_join_link_in_location_description_conference(
    app, add_session, make_academy, make_user, fetch_feed
):
    academy = make_academy(slug="samara")
    coordinator = make_user(Role.COORDINATOR, academy_id=academy.id)
    session_id = add_session(academy_ids=[academy.id], join_url="https://meet.example.org/r1")
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(coordinator))
        db.session.commit()
        page = session_page_url(db.session.get(Session, session_id))
    response, tree = fetch_feed(f"/calendars/academies/samara/{token}.ics")
    (event,) = tree.walk("VEVENT")
    assert event.one("LOCATION").value == "https://meet.example.org/r1"
    description = unescape(event.one("DESCRIPTION").value)
    assert description.splitlines()[0] == "https://meet.example.org/r1"
    conference = event.one("CONFERENCE")
    assert (conference.value, conference.params["VALUE"]) == ("https://meet.example.org/r1", "URI")
    # Only the join link and the page: a host's start link or any other address never.
    urls = set(re.findall(r"https?://[^\s\\,;\"]+", response.data.decode().replace("\r\n ", "")))
    assert urls == {"https://meet.example.org/r1", page}
    assert tree.walk("VALARM") == [] and event.all("ATTENDEE") == []


def test_partners_only_and_drafts(app, add_session, make_academy, make_user, fetch_feed):
    academy = make_academy(slug="almaty")
    coordinator = make_user(Role.COORDINATOR, academy_id=academy.id)
    public_id = add_session(academy_ids=[academy.id])
    partners_id = add_session(academy_ids=[academy.id], visibility=Visibility.PARTNERS)
    add_session(academy_ids=[academy.id], status=SessionStatus.DRAFT)
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(coordinator))
        db.session.commit()
    public = set(events_by_uid(fetch_feed("/calendars/academies/almaty.ics")[1]))
    everyone = set(events_by_uid(fetch_feed("/calendars/all.ics")[1]))
    private = set(events_by_uid(fetch_feed(f"/calendars/academies/almaty/{token}.ics")[1]))
    assert public == everyone == {f"session-{public_id}@localhost"}
    assert private == {f"session-{public_id}@localhost", f"session-{partners_id}@localhost"}


def test_window_and_cancelled_drop(app, add_session, fetch_feed):
    kept = {
        "past": add_session(days=-80),
        "ahead": add_session(days=390),
        "recently_cancelled": add_session(days=-3),
    }
    gone = {
        "long_past": add_session(days=-100),
        "far_ahead": add_session(days=410),
        "cancelled_long_ago": add_session(days=-10),
    }
    with app.app_context():
        for session_id in (kept["recently_cancelled"], gone["cancelled_long_ago"]):
            cancel_session(db.session.get(Session, session_id), "Moved online", None)
        db.session.commit()
    _r, tree = fetch_feed("/calendars/all.ics")
    assert set(events_by_uid(tree)) == {f"session-{i}@localhost" for i in kept.values()}


def test_kind_and_language_filters(add_session, fetch_feed):
    master_ru = add_session(kind=SessionKind.MASTER_CLASS, capacity=20, language="ru")
    add_session(kind=SessionKind.MASTER_CLASS, capacity=20, language="en")
    add_session(kind=SessionKind.WEBINAR, language="ru")
    _r, tree = fetch_feed("/calendars/all.ics?kind=master_class&lang=ru")
    assert set(events_by_uid(tree)) == {f"session-{master_ru}@localhost"}
    assert tree.one("NAME").value == "International lectures: all sessions (Master class, Russian)"


def test_in_person_session_has_no_location(add_session, app, make_academy, make_user, fetch_feed):
    academy = make_academy(slug="inperson")
    coordinator = make_user(Role.COORDINATOR, academy_id=academy.id)
    add_session(academy_ids=[academy.id], conference=Conference.NONE, join_url=None)
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(coordinator))
        db.session.commit()
    _r, tree = fetch_feed(f"/calendars/academies/inperson/{token}.ics")
    (event,) = tree.walk("VEVENT")
    assert event.all("LOCATION") == [] and event.all("CONFERENCE") == []


def test_utc_zone_is_written_as_utc_never_tzid_utc(app):
    from webinars.domain.calendars.events import render_feed
    from webinars.models import Conference

    start = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)
    session = Session(
        id=7,
        kind=SessionKind.WEBINAR,
        title="Zone-less",
        description="",
        language="en",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="Etc/UTC",
        status=SessionStatus.SCHEDULED,
        visibility=Visibility.PUBLIC,
        conference=Conference.LINK,
        sequence=2,
        created_at=start - timedelta(days=9),
        updated_at=start - timedelta(days=3),
        lecturers=[],
        academies=[],
        guest_speakers=[],
    )
    with app.app_context():
        body = render_feed([session], name="UTC", private=False, locale="en", today=start.date())
    tree = check_feed(body)
    (event,) = tree.walk("VEVENT")
    assert (event.one("DTSTART").params, event.one("DTSTART").value) == ({}, "20261210T093000Z")
    assert tree.walk("VTIMEZONE") == []
