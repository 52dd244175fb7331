"""Anonymous public pages are kept and served alike to everyone: per language and time
zone, dropped on any change to what they show, never carrying another visitor's CSRF
token, and never for signed-in staff."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.fixtures.registration import person
from webinars.domain.registration.register import register
from webinars.domain.sessions.scheduling import input_from_session, update_session
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Role, Session, SessionKind
from webinars.web import page_cache

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGES = ["/", "/catalog/", "/sessions/{id}"]


@pytest.fixture
def public(make_session):
    return make_session(title="Neonatal sepsis", kind=SessionKind.MASTER_CLASS, capacity=30)


def _rename(app, session_id: int, title: str) -> None:
    with app.app_context():
        session = db.session.get(Session, session_id)
        data = input_from_session(session)
        data.title = title
        update_session(session, data, None)
        db.session.commit()


@pytest.mark.parametrize("path", PAGES)
def test_kept_page_is_served_without_touching_the_database(
    app, client, public, path, count_queries
):
    url = path.format(id=public.id)
    first = client.get(url)
    with count_queries() as again:
        second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert again.count == 0
    assert TOKEN.sub("", first.get_data(as_text=True)) == TOKEN.sub(
        "", second.get_data(as_text=True)
    )
    assert "Neonatal sepsis" in second.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_a_change_shows_on_the_next_request(app, client, public, path):
    url = path.format(id=public.id)
    client.get(url)

    _rename(app, public.id, "Neonatal sepsis: new guidance")

    assert "Neonatal sepsis: new guidance" in client.get(url).get_data(as_text=True)


def test_a_change_made_by_another_process_shows_once_the_fingerprint_is_read(app, client, public):
    app.config["FEED_FINGERPRINT_SECONDS"] = 0  # read on every request
    client.get("/")
    with app.app_context():  # straight SQL, as another worker's commit looks from here
        db.session.execute(
            sa.update(Session)
            .where(Session.id == public.id)
            .values(title="Changed elsewhere", updated_at=sa.func.now())
        )
        db.session.commit()

    assert "Changed elsewhere" in client.get("/").get_data(as_text=True)


def test_pages_are_kept_per_language_and_time_zone(app, client, public):
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    russian = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    client.set_cookie("tz", "Europe/Berlin")
    berlin = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert 'lang="en"' in english and 'lang="ru"' in russian
    assert "Europe/Berlin" not in english and "Berlin" in berlin


def test_a_registration_here_shows_in_seats_left_at_once(app, client, public):
    before = client.get("/catalog/").get_data(as_text=True)
    with app.app_context():
        register(public.id, person(1), None, public=True)
        db.session.commit()

    after = client.get("/catalog/").get_data(as_text=True)

    assert "30 seats left" in before and "29 seats left" in after


def test_seats_taken_elsewhere_show_within_the_cache_lifetime(app, client, public, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock["now"])
    before = client.get("/catalog/").get_data(as_text=True)
    with app.app_context():  # another worker's registration: straight SQL, seen from here
        db.session.execute(
            sa.insert(Registration).values(
                session_id=public.id,
                email="elsewhere@example.org",
                full_name="Elsewhere",
                locale="en",
                status=RegistrationStatus.CONFIRMED,
                token_hash="0" * 64,
                token_nonce="0" * 32,
            )
        )
        db.session.connection().commit()
    still = client.get("/catalog/").get_data(as_text=True)
    clock["now"] += app.config["PUBLIC_PAGE_CACHE_SECONDS"] + 0.1
    after = client.get("/catalog/").get_data(as_text=True)

    assert "30 seats left" in before and "30 seats left" in still
    assert "29 seats left" in after


def test_every_visitor_gets_their_own_csrf_token(tmp_path, database, pg_url):
    from tests.fixtures.app import app_on

    with app_on(database, tmp_path, pg_url, WTF_CSRF_ENABLED=True) as app:
        first, second = app.test_client(), app.test_client()
        one = TOKEN.search(first.get("/").get_data(as_text=True)).group(1)
        other_page = second.get("/").get_data(as_text=True)
        other = TOKEN.search(other_page).group(1)
        switched = second.post("/language", data={"csrf_token": other, "lang": "ru", "next": "/"})

        assert page_cache.TOKEN_PLACEHOLDER not in other_page
        assert one != other
        assert switched.status_code == 302
        assert 'lang="ru"' in second.get("/").get_data(as_text=True)


def test_signed_in_staff_and_flashed_messages_bypass_the_cache(
    app, client, public, login, make_user
):
    client.get("/")
    with client.session_transaction() as browser:
        browser["_flashes"] = [("success", "Your registration is cancelled.")]
    flashed = client.get("/").get_data(as_text=True)
    login(make_user(Role.ADMIN, name="Staff Member"))
    staff = client.get("/").get_data(as_text=True)

    assert "Your registration is cancelled." in flashed
    assert "Your registration is cancelled." not in app.test_client().get("/").get_data(
        as_text=True
    )
    assert "Staff Member" in staff
