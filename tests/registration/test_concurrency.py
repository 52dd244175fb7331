"""Many people at once: capacity is never exceeded and the waiting list keeps its order.

Each thread has its own app context and so its own database connection (NullPool: no
connection is shared or reused), and they all start together at a barrier. Runs on SQLite
and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from tests.fixtures.registration import all_at_once, person
from webinars.domain.registration.register import cancel, register
from webinars.domain.registration.seats import lock_session, seats_taken
from webinars.domain.registration.waiting_list import waiting_list
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Role, utcnow

THREADS = 50
SEATS = 5


def test_fifty_at_once_never_exceed_five_seats(app, threaded_app, open_session):
    session = open_session(capacity=SEATS)
    jobs = [
        (lambda n=n: register(session.id, person(n)).registration.status) for n in range(THREADS)
    ]

    results = all_at_once(threaded_app, jobs)

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert results.count(RegistrationStatus.HELD) == SEATS
    assert results.count(RegistrationStatus.WAITING) == THREADS - SEATS
    with app.app_context():
        assert seats_taken(session.id, utcnow()) == SEATS
        waiting = waiting_list(session.id)
        assert len(waiting) == THREADS - SEATS
        stamps = [(r.waitlisted_at, r.id) for r in waiting]
        assert stamps == sorted(stamps)


def test_promotions_under_concurrent_cancellations_keep_order_and_count(
    app, threaded_app, open_session, make_user, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=SEATS, actor=lecturer)
    seated = [enrol(session.id, person(f"s{n}"), added_by=lecturer).id for n in range(SEATS)]
    waiting = [enrol(session.id, person(f"w{n}"), added_by=lecturer).id for n in range(1, 11)]
    leaving = seated + [waiting[1], waiting[3]]  # W2 and W4 leave too, seat or no seat

    def leave(registration_id: int) -> RegistrationStatus:
        return cancel(db.session.get(Registration, registration_id)).status

    results = all_at_once(threaded_app, [(lambda r=r: leave(r)) for r in leaving])

    assert [r for r in results if isinstance(r, Exception)] == []
    with app.app_context():
        rows = {r.id: r for r in db.session.execute(db.select(Registration)).scalars()}
        now_seated = sorted(
            (r.seat_at, r.id) for r in rows.values() if r.status is RegistrationStatus.CONFIRMED
        )
        assert seats_taken(session.id, utcnow()) == SEATS
        assert {rid for _, rid in now_seated} == {
            waiting[0],
            waiting[2],
            waiting[4],
            waiting[5],
            waiting[6],
        }
        assert [r.id for r in waiting_list(session.id)] == waiting[7:]
        assert all(rows[r].status is RegistrationStatus.CANCELLED for r in leaving)


def test_sqlite_lock_really_begins_immediate(app, open_session, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's BEGIN IMMEDIATE only")
    session = open_session()
    path = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with app.app_context():
        lock_session(session.id)
        other = sqlite3.connect(path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
        db.session.rollback()
        other = sqlite3.connect(path, timeout=0)
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ended
        other.rollback()
        other.close()
