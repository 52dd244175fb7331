"""HTTP behaviour of the feeds: validators, 304s, HEAD, caching headers, pollers, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webinars import create_app
from webinars.domain.calendars import selection as feed_selection
from webinars.domain.calendars.tokens import issue_token, revoke_token, user_subject
from webinars.domain.calendars.window import feed_window
from webinars.domain.sessions.scheduling import cancel_session, input_from_session, update_session
from webinars.extensions import db
from webinars.models import FeedScope, FeedToken, Role, Session, User, Visibility, utcnow
from webinars.web import feed_http

POLLERS = [
    "Google-Calendar-Importer",
    "Microsoft Exchange/15.20 (Windows NT 10.0; Win64; x64)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)",
    "iOS/17.5 (21F79) dataaccessd/1.0",
]


def test_strong_etag_last_modified_and_cache_control(client, add_session):
    add_session()
    response = client.get("/calendars/all.ics")
    etag, weak = response.get_etag()
    assert etag and not weak
    assert response.last_modified is not None
    assert response.last_modified <= response.date
    assert response.cache_control.public and response.cache_control.max_age == 900
    assert response.content_type == "text/calendar; charset=utf-8; method=PUBLISH"


def test_if_none_match_gives_304_without_body(client, add_session):
    add_session()
    first = client.get("/calendars/all.ics")
    again = client.get("/calendars/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_if_modified_since_gives_304(client, add_session, monkeypatch):
    add_session()
    # Polled a little after the change: in the change's own second Last-Modified is held
    # back to the response's Date, and the next response (a second later) shows more.
    later = utcnow() + timedelta(seconds=10)
    monkeypatch.setattr(feed_http, "utcnow", lambda: later)
    first = client.get("/calendars/all.ics")
    again = client.get(
        "/calendars/all.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert again.status_code == 304


def _edit(app, session_id: int, **changes) -> None:
    with app.app_context():
        session = db.session.get(Session, session_id)
        data = input_from_session(session)
        for key, value in changes.items():
            setattr(data, key, value)
        update_session(session, data, None, now=utcnow() + timedelta(seconds=2))
        db.session.commit()


@pytest.mark.parametrize("change", ["cancel", "partners_only", "retitle"])
def test_change_defeats_both_validators(app, client, add_session, change, monkeypatch):
    keep = add_session(days=3)
    session_id = add_session(days=5)
    first = client.get("/calendars/all.ics")
    if change == "cancel":
        with app.app_context():
            cancel_session(
                db.session.get(Session, session_id),
                "Ill",
                None,
                now=utcnow() + timedelta(seconds=2),
            )
            db.session.commit()
    elif change == "partners_only":  # the session leaves the public feed
        _edit(app, session_id, visibility=Visibility.PARTNERS)
    else:
        _edit(app, session_id, title="A new title")
    # The change is made 2 s from now (HTTP dates have whole seconds); poll after it.
    later = utcnow() + timedelta(seconds=5)
    monkeypatch.setattr(feed_http, "utcnow", lambda: later)
    by_etag = client.get("/calendars/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(
        "/calendars/all.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert (by_etag.status_code, by_date.status_code) == (200, 200)
    assert by_etag.data != first.data
    assert f"session-{keep}@".encode() in by_etag.data


def test_window_moving_defeats_if_modified_since(app, client, add_session, monkeypatch):
    add_session(days=5)
    old_id = add_session(days=-60)
    today = utcnow().date()
    first = client.get("/calendars/all.ics")
    assert f"session-{old_id}@".encode() in first.data
    # 31 days later the old session is more than 90 days past and leaves the feed.
    later = today + timedelta(days=31)
    monkeypatch.setattr(feed_selection, "feed_window", lambda today=None: feed_window(later))
    clock = datetime.combine(later, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
    monkeypatch.setattr(feed_http, "utcnow", lambda: clock)
    since = first.headers["Last-Modified"]
    response = client.get("/calendars/all.ics", headers={"If-Modified-Since": since})
    assert response.status_code == 200
    assert f"session-{old_id}@".encode() not in response.data


def test_head_gives_headers_only(client, add_session):
    add_session()
    get = client.get("/calendars/all.ics")
    head = client.head("/calendars/all.ics")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == str(len(get.data))


@pytest.mark.parametrize("agent", POLLERS)
def test_calendar_pollers_are_served(client, add_session, agent):
    add_session()
    # Google sends no Accept header; the test client sends none unless told.
    response = client.get("/calendars/all.ics", headers={"User-Agent": agent})
    assert response.status_code == 200
    assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_rate_limit_never_applies_to_polls(tmp_path, monkeypatch):
    from webinars.extensions import limiter

    # The limiter is a singleton: give the default limit back when the test ends.
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [])
    limited = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limited.sqlite3'}",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_DEFAULT": "2 per minute",
        }
    )
    with limited.app_context():
        db.create_all()
    client = limited.test_client()
    healthz = [client.get("/healthz").status_code for _ in range(4)]
    polls = [client.get("/calendars/all.ics").status_code for _ in range(6)]
    assert healthz[-1] == 429  # the limit is really on
    assert polls == [200] * 6


def test_unknown_academy_lecturer_and_bad_filters(client, make_user, make_academy):
    coordinator = make_user(Role.COORDINATOR, academy_id=make_academy().id)
    assert client.get("/calendars/academies/nowhere.ics").status_code == 404
    assert client.get("/calendars/lecturers/999999.ics").status_code == 404
    assert client.get("/calendars/lecturers/not-a-number.ics").status_code == 404
    assert client.get(f"/calendars/lecturers/{coordinator.id}.ics").status_code == 404
    bad_kind = client.get("/calendars/all.ics?kind=party")
    assert bad_kind.status_code == 400
    assert "Unknown kind: party" in bad_kind.get_data(as_text=True)
    assert client.get("/calendars/all.ics?lang=Russian!").status_code == 400
    assert client.get("/calendars/all.ics?locale=fr").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/calendars/all.ics?lang=xx",
        "/calendars/all.ics?lang=ru,xx",
        "/calendars/academies/izhevsk.ics?lang=xx",
        "/calendars/lecturers/{lecturer}.ics?lang=zz",
    ],
)
def test_unknown_language_filter_is_refused_not_an_empty_calendar(
    client, make_academy, make_user, url
):
    make_academy(slug="izhevsk")
    lecturer = make_user(Role.LECTURER)
    response = client.get(url.format(lecturer=lecturer.id))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert text.startswith("Unknown language: ")
    assert "Use one of: en, ru, uz, kk." in text
    assert "ru," not in text.split(".")[0]  # only the unknown code is named


def test_every_language_of_instruction_is_a_known_filter(client, add_session):
    add_session(language="kk", title="Kazakh lecture")
    for code in ("en", "ru", "uz", "kk"):
        assert client.get(f"/calendars/all.ics?lang={code}").status_code == 200
    assert b"Kazakh lecture" in client.get("/calendars/all.ics?lang=kk").data


def test_download_language_negotiated_varies_on_accept_language(client, add_session):
    session_id = add_session()
    url = f"/sessions/{session_id}/calendar.ics"
    russian = client.get(url, headers={"Accept-Language": "ru"})
    english = client.get(url, headers={"Accept-Language": "en"})
    assert "CATEGORIES:Вебинар".encode() in russian.data
    assert b"CATEGORIES:Webinar" in english.data
    # A shared cache must key on what the body depends on.
    for response in (russian, english):
        assert response.cache_control.public
        assert {"accept-language", "cookie"} <= {v.lower() for v in response.vary}
    revalidated = client.get(
        url, headers={"Accept-Language": "ru", "If-None-Match": russian.headers["ETag"]}
    )
    assert revalidated.status_code == 304
    assert "accept-language" in {v.lower() for v in revalidated.vary}


def test_download_language_in_the_url_is_the_same_for_everyone(client, add_session):
    session_id = add_session()
    url = f"/sessions/{session_id}/calendar.ics?locale=uz"
    a = client.get(url, headers={"Accept-Language": "ru"})
    b = client.get(url, headers={"Accept-Language": "en"})
    assert a.data == b.data
    assert b"CATEGORIES:Vebinar" in a.data
    assert "accept-language" not in {v.lower() for v in a.vary}


def test_session_pages_link_the_download_in_their_language(client, add_session):
    session_id = add_session()
    page = client.get(f"/sessions/{session_id}", headers={"Accept-Language": "ru"})
    assert f"/sessions/{session_id}/calendar.ics?locale=ru".encode() in page.data


@pytest.fixture
def private_feed(app, make_academy, make_user, add_session):
    """An academy, its coordinator, a session and a token: (url, token id, coordinator)."""
    academy = make_academy(slug="izhevsk")
    coordinator = make_user(Role.COORDINATOR, academy_id=academy.id)
    add_session(academy_ids=[academy.id], visibility=Visibility.PARTNERS)
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(coordinator))
        db.session.commit()
        token_id = db.session.execute(db.select(FeedToken.id)).scalar_one()
    return f"/calendars/academies/izhevsk/{token}.ics", token_id, coordinator


def test_private_feed_headers(client, private_feed):
    url, _token_id, _coordinator = private_feed
    response = client.get(url)
    assert response.status_code == 200
    assert response.cache_control.private and not response.cache_control.public
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_bad_token_is_404_never_a_login_redirect(client, private_feed, make_academy):
    url, _token_id, _coordinator = private_feed
    make_academy(slug="other")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get("/calendars/academies/izhevsk/" + "x" * 43 + ".ics").status_code == 404
    assert client.get("/calendars/academies/izhevsk/short.ics").status_code == 404
    # A real token used under another academy's address opens nothing.
    assert client.get(f"/calendars/academies/other/{token}.ics").status_code == 404


def test_revoked_token_is_410(app, client, private_feed):
    url, token_id, _coordinator = private_feed
    with app.app_context():
        revoke_token(db.session.get(FeedToken, token_id))
        db.session.commit()
    response = client.get(url)
    assert response.status_code == 410
    assert "Location" not in response.headers


def test_token_stops_when_coordinator_moves_on(app, client, private_feed, make_academy):
    url, _token_id, coordinator = private_feed
    assert client.get(url).status_code == 200
    elsewhere = make_academy()
    with app.app_context():
        db.session.get(User, coordinator.id).academy_id = elsewhere.id
        db.session.commit()
    assert client.get(url).status_code == 410


def test_token_use_is_noted_at_most_hourly(app, client, private_feed, count_queries):
    url, token_id, _coordinator = private_feed
    client.get(url)
    with app.app_context():
        first_use = db.session.get(FeedToken, token_id).last_used_at
    client.get(url)
    with app.app_context():
        assert db.session.get(FeedToken, token_id).last_used_at == first_use
    assert first_use is not None


def test_session_download(app, client, add_session, make_academy, make_user, login):
    academy = make_academy()
    public_id = add_session(academy_ids=[academy.id], join_url="https://meet.example.org/p")
    partners_id = add_session(
        academy_ids=[academy.id],
        visibility=Visibility.PARTNERS,
        join_url="https://meet.example.org/q",
    )
    download = client.get(f"/sessions/{public_id}/calendar.ics")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="session-{public_id}.ics"'
    )
    assert b"meet.example.org" not in download.data
    assert client.get(f"/sessions/{partners_id}/calendar.ics").status_code == 404
    assert client.get("/sessions/999999/calendar.ics").status_code == 404
    login(make_user(Role.COORDINATOR, academy_id=academy.id))
    staff = client.get(f"/sessions/{partners_id}/calendar.ics")
    assert staff.status_code == 200
    assert b"LOCATION:https://meet.example.org/q" in staff.data
    assert staff.cache_control.private


def test_lecturer_slug_survives_a_new_name(app, client, add_session, make_user):
    lecturer = make_user(Role.LECTURER, name="Old Name")
    session_id = add_session(lecturer_ids=[lecturer.id])
    other = add_session()
    with app.app_context():
        db.session.get(User, lecturer.id).name = "New Name"
        db.session.commit()
    response = client.get(f"/calendars/lecturers/{lecturer.id}-old-name.ics")
    assert response.status_code == 200
    assert f"session-{session_id}@".encode() in response.data
    assert f"session-{other}@".encode() not in response.data
    assert b"X-WR-CALNAME:Sessions of New Name" in response.data
