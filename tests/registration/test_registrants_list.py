"""The registrants list of a popular session: pages of 50, search, filters, and a CSV
streamed as it is read."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.fixtures.markup import errors_beside, parse
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Role, utcnow


def _add(app, session_id: int, count: int, status: RegistrationStatus, start: int = 0, **fields):
    """`count` registrations in bulk, numbered from `start`, the earliest first."""
    now = utcnow()
    rows = [
        dict(
            session_id=session_id,
            email=f"student{n}@example.org",
            full_name=f"Student {n:04d}",
            locale="en",
            status=status,
            created_at=now - timedelta(hours=10_000 - n),
            confirmed_at=now - timedelta(hours=10_000 - n),
            waitlisted_at=(
                now - timedelta(hours=10_000 - n) if status is RegistrationStatus.WAITING else None
            ),
            token_hash=secrets.token_hex(32),
            token_nonce=secrets.token_hex(16),
            **fields,
        )
        for n in range(start, start + count)
    ]
    with app.app_context():
        db.session.execute(sa.insert(Registration), rows)
        db.session.commit()


def _rows(response) -> list[tuple[str, str]]:
    """(email, status badge) of each row of the registrants table."""
    page = parse(response.get_data(as_text=True))
    table = next(e for e in page.iter() if e.attrs.get("id") == "registrants")
    rows = []
    for tr in (e for e in table.iter() if e.tag == "tr" and "data-status" in e.attrs):
        cells = [c for c in tr.children if not isinstance(c, str) and c.tag == "td"]
        rows.append((cells[2].text().strip(), cells[0].text().strip()))
    return rows


@pytest.fixture
def popular(app, client, login, make_user, open_session):
    """A session with 60 seats taken, 40 waiting and 20 cancelled; its lecturer signed in."""
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=60, actor=lecturer)
    _add(app, session.id, 60, RegistrationStatus.CONFIRMED)
    _add(app, session.id, 40, RegistrationStatus.WAITING, start=60)
    _add(app, session.id, 20, RegistrationStatus.CANCELLED, start=100)
    login(lecturer)
    return session


def test_registrants_come_fifty_a_page_with_waiting_places_across_pages(client, popular):
    url = f"/manage/sessions/{popular.id}/registrants"

    pages = [_rows(client.get(url, query_string={"page": n})) for n in (1, 2, 3)]

    assert [len(p) for p in pages] == [50, 50, 20]
    assert pages[0][0] == ("student0@example.org", "Confirmed")
    assert pages[1][9] == ("student59@example.org", "Confirmed")
    assert pages[1][10] == ("student60@example.org", "Waiting #1")
    assert pages[1][49] == ("student99@example.org", "Waiting #40")
    assert {status for _email, status in pages[2]} == {"Cancelled"}
    text = client.get(url).get_data(as_text=True)
    assert "40 on the waiting list" in text and "120 registrations in all." in text
    assert "Page 1 of 3." in text


def test_registrants_search_by_name_or_email(app, client, popular):
    _add(app, popular.id, 1, RegistrationStatus.CONFIRMED, start=500)
    with app.app_context():
        db.session.execute(
            sa.update(Registration)
            .where(Registration.email == "student500@example.org")
            .values(full_name="Иван Петров", email="ivan.petrov@example.org")
        )
        db.session.commit()
    url = f"/manage/sessions/{popular.id}/registrants"

    by_name = _rows(client.get(url, query_string={"q": "Иван"}))
    by_email = _rows(client.get(url, query_string={"q": "PETROV@"}))
    by_number = _rows(client.get(url, query_string={"q": "student 0065"}))
    nobody = client.get(url, query_string={"q": "50%_"}).get_data(as_text=True)

    assert by_name == by_email == [("ivan.petrov@example.org", "Confirmed")]
    assert by_number == [("student65@example.org", "Waiting #6")]
    assert "Nobody matches; change the search or the filters." in nobody


def test_registrants_filter_by_status_and_academy(app, client, popular, make_academy):
    academy = make_academy(city="Shymkent", time_zone="Asia/Almaty")
    with app.app_context():
        db.session.execute(
            sa.update(Registration)
            .where(Registration.email.in_(["student61@example.org", "student3@example.org"]))
            .values(academy_id=academy.id)
        )
        db.session.commit()
    url = f"/manage/sessions/{popular.id}/registrants"

    waiting = _rows(client.get(url, query_string={"status": "waiting"}))
    both = client.get(url, query_string={"status": "waiting", "academy": academy.id})

    assert len(waiting) == 40 and waiting[0] == ("student60@example.org", "Waiting #1")
    assert _rows(both) == [("student61@example.org", "Waiting #2")]
    assert "1 registration matches." in both.get_data(as_text=True)


def test_registrants_bad_filter_is_said_beside_its_field(client, popular):
    response = client.get(
        f"/manage/sessions/{popular.id}/registrants", query_string={"status": "vip"}
    )

    assert response.status_code == 200
    assert errors_beside(parse(response.get_data(as_text=True)), "status") == [
        "Not a valid choice."
    ]
    assert len(_rows(response)) == 50


def test_registrants_blank_status_filter_narrows_nothing(client, popular):
    response = client.get(
        f"/manage/sessions/{popular.id}/registrants", query_string={"status": " "}
    )

    assert response.status_code == 200
    assert "120 registrations in all." in response.get_data(as_text=True)
    assert len(_rows(response)) == 50


def test_registrants_page_queries_do_not_grow_with_registrants(app, client, popular, count_queries):
    url = f"/manage/sessions/{popular.id}/registrants?page=2"
    client.get(url)
    with count_queries() as at_120:
        client.get(url)
    _add(app, popular.id, 900, RegistrationStatus.CANCELLED, start=1000)
    with count_queries() as at_1020:
        response = client.get(url)

    assert at_1020.count == at_120.count
    assert len(_rows(response)) == 50


def test_csv_is_streamed_in_batches_with_everyone_in_order(app, client, popular):
    _add(app, popular.id, 1100, RegistrationStatus.CANCELLED, start=2000)

    response = client.get(f"/manage/sessions/{popular.id}/registrants.csv")

    assert response.is_streamed
    chunks = [chunk for chunk in response.response if chunk]
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len(chunks) >= 3  # 1,220 rows, 500 at a time
    assert len(rows) == 1220
    assert rows[0]["Email"] == "student0@example.org"
    assert (rows[60]["Status"], rows[60]["Place on the waiting list"]) == ("Waiting", "1")
    assert rows[99]["Place on the waiting list"] == "40"
    assert {r["Status"] for r in rows[100:]} == {"Cancelled"}


def test_registrants_search_words_are_masked_in_access_logs(app):
    import logging

    from webinars.web.registrants import SearchTermsFilter

    line = "GET /manage/sessions/5/registrants?status=&q=ivan.petrov%40example.org&page=2"
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '"%s" %s', (f"{line} HTTP/1.1", 200), None
    )

    SearchTermsFilter().filter(record)

    assert record.getMessage() == (
        '"GET /manage/sessions/5/registrants?status=&q=…&page=2 HTTP/1.1" 200'
    )
    for name in ("werkzeug", "gunicorn.access"):
        assert any(isinstance(f, SearchTermsFilter) for f in logging.getLogger(name).filters)
