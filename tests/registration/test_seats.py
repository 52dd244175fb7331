"""Seats, holds, the waiting list, confirmation and cancellation (domain, both databases)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fixtures.registration import detached, outbox, person
from webinars.domain.registration.confirmation import confirm
from webinars.domain.registration.follow_up import settle_session
from webinars.domain.registration.manage_links import find_by_token, manage_token, new_manage_link
from webinars.domain.registration.register import Closed, RegistrationClosedError, cancel
from webinars.domain.registration.seats import hold_until, seats_taken
from webinars.domain.registration.waiting_list import waiting_position
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Session, utcnow


def test_register_holds_seats_then_fills_the_waiting_list_in_order(app, open_session, enrol):
    session = open_session(capacity=2)

    rows = [enrol(session.id, person(n)) for n in range(4)]

    assert [r.status for r in rows] == [
        RegistrationStatus.HELD,
        RegistrationStatus.HELD,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
    ]
    with app.app_context():
        assert seats_taken(session.id, utcnow()) == 2
        positions = [waiting_position(db.session.get(Registration, r.id)) for r in rows]
    assert positions == [None, None, 1, 2]
    assert [m.kind for m in outbox(app)] == ["confirm_address"] * 4


def test_register_same_email_twice_gives_no_second_place(app, open_session, enrol):
    session = open_session(capacity=2)
    first = enrol(session.id, person(1))

    again = enrol(session.id, person(1, email="  STUDENT1@Example.org ", full_name="Other"))

    assert again.id == first.id
    assert again.full_name == "Student 1"
    with app.app_context():
        assert db.session.query(Registration).count() == 1
    assert [m.kind for m in outbox(app)] == ["confirm_address", "link_again"]
    assert outbox(app)[1].to_address == "student1@example.org"


def test_confirm_turns_a_hold_into_a_confirmed_seat_with_an_invitation(app, open_session, enrol):
    session = open_session(capacity=2)
    held = enrol(session.id, person(1))

    with app.app_context():
        registration = confirm(db.session.get(Registration, held.id))
        db.session.commit()
        status, hold = registration.status, registration.hold_expires_at

    assert status is RegistrationStatus.CONFIRMED
    assert hold is None
    confirmed = outbox(app, kind="confirmed")
    assert len(confirmed) == 1
    assert confirmed[0].attachment_type.startswith("text/calendar; method=REQUEST")
    assert b"METHOD:REQUEST" in confirmed[0].attachment


def test_cancel_gives_the_seat_to_the_first_waiting(app, open_session, enrol):
    session = open_session(capacity=1)
    seated = enrol(session.id, person(1))
    first = enrol(session.id, person(2))
    second = enrol(session.id, person(3))
    with app.app_context():
        confirm(db.session.get(Registration, first.id))
        db.session.commit()

    with app.app_context():
        cancel(db.session.get(Registration, seated.id))
        db.session.commit()

    assert detached(app, first.id).status is RegistrationStatus.CONFIRMED  # confirmed address
    assert detached(app, second.id).status is RegistrationStatus.WAITING
    seat_mail = outbox(app, kind="seat_for_you")
    assert [m.to_address for m in seat_mail] == ["student2@example.org"]
    assert b"METHOD:REQUEST" in seat_mail[0].attachment


def test_unconfirmed_hold_expires_and_the_seat_moves_on(app, open_session, enrol):
    session = open_session(capacity=1)
    now = utcnow()
    held = enrol(session.id, person(1), now)
    waiting = enrol(session.id, person(2), now)
    with app.app_context():
        expires = db.session.get(Registration, held.id).hold_expires_at

    with app.app_context():
        settle_session(session.id, expires + timedelta(seconds=1))
        db.session.commit()

    assert detached(app, held.id).status is RegistrationStatus.EXPIRED
    # The waiting person never confirmed either: their own hold time ran out too.
    assert detached(app, waiting.id).status is RegistrationStatus.EXPIRED


def test_expired_hold_frees_a_seat_for_a_confirmed_waiting_person(app, open_session, enrol):
    session = open_session(capacity=1)
    now = utcnow()
    held = enrol(session.id, person(1), now)
    waiting = enrol(session.id, person(2), now + timedelta(minutes=5))
    with app.app_context():
        confirm(db.session.get(Registration, waiting.id), now + timedelta(minutes=6))
        db.session.commit()
        expires = db.session.get(Registration, held.id).hold_expires_at

    with app.app_context():
        assert seats_taken(session.id, expires + timedelta(seconds=1)) == 0  # checked on read
        settle_session(session.id, expires + timedelta(seconds=1))
        db.session.commit()

    assert detached(app, held.id).status is RegistrationStatus.EXPIRED
    assert detached(app, waiting.id).status is RegistrationStatus.CONFIRMED


def test_hold_is_shorter_close_to_the_start(app, open_session):
    session = open_session()
    with app.app_context():
        row = db.session.get(Session, session.id)
        now = utcnow()
        far = hold_until(row, now)
        near = hold_until(row, row.starts_at - timedelta(hours=3))
        last_minute = hold_until(row, row.starts_at - timedelta(minutes=4))

    assert far - now == timedelta(hours=24)
    assert near == row.starts_at - timedelta(hours=1, minutes=30)
    assert last_minute == row.starts_at - timedelta(minutes=4) + timedelta(minutes=10)


def test_registration_window_opens_and_closes_by_the_clock(app, open_session, enrol, make_user):
    lecturer = make_user()
    now = utcnow()
    local_now = now.astimezone(ZoneInfo("Asia/Samarkand")).replace(tzinfo=None, microsecond=0)
    session = open_session(
        actor=lecturer,
        registration_opens_local=local_now + timedelta(days=1),
        registration_closes_local=local_now + timedelta(days=3),
    )
    outcomes = {}
    for label, moment in {
        "before": now,
        "open": now + timedelta(days=2),
        "after": now + timedelta(days=4),
        "started": session.starts_at,
    }.items():
        try:
            enrol(session.id, person(label), moment)
            outcomes[label] = "registered"
        except RegistrationClosedError as exc:
            outcomes[label] = exc.reason

    assert outcomes == {
        "before": Closed.NOT_OPEN_YET,
        "open": "registered",
        "after": Closed.CLOSED,
        "started": Closed.STARTED,
    }
    # A lecturer may add someone outside the public window, but not once it has started.
    assert enrol(session.id, person("early"), now, added_by=lecturer).has_seat
    with pytest.raises(RegistrationClosedError):
        enrol(session.id, person("late"), session.starts_at, added_by=lecturer)


def test_cancelled_session_takes_no_registration(app, open_session, enrol):
    from webinars.domain.sessions.scheduling import cancel_session

    session = open_session()
    with app.app_context():
        cancel_session(db.session.get(Session, session.id), "Storm", None)
        db.session.commit()

    with pytest.raises(RegistrationClosedError) as caught:
        enrol(session.id, person(1))
    assert caught.value.reason is Closed.CANCELLED


def test_manage_token_is_long_hashed_and_revocable(app, open_session, enrol):
    session = open_session()
    held = enrol(session.id, person(1))
    with app.app_context():
        registration = db.session.get(Registration, held.id)
        token = manage_token(registration)

        assert len(token) >= 43  # 256 bits in URL-safe base64
        assert registration.token_hash != token and token not in (registration.token_nonce or "")
        assert find_by_token(token).id == held.id
        fresh = new_manage_link(registration)
        db.session.commit()
        assert find_by_token(token) is None
        assert find_by_token(fresh).id == held.id
        assert find_by_token("x" * 43) is None
