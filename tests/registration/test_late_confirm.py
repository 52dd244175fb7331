"""A click on "confirm my email address" after the hold ran out: a new registration with a
confirmed address (a free seat nobody waits for, else the end of the waiting list), or a
clear "no" when the session takes no registrations. Domain and pages, both databases."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fixtures.registration import all_at_once, detached, outbox, person
from webinars.domain.registration.confirmation import confirm
from webinars.domain.registration.manage_links import manage_token
from webinars.domain.registration.register import cancel
from webinars.domain.registration.seats import seats_taken
from webinars.domain.registration.waiting_list import waiting_list, waiting_position
from webinars.domain.sessions.scheduling import cancel_session
from webinars.extensions import db
from webinars.jobs.mail import deliver_now
from webinars.models import Registration, RegistrationStatus, Session, utcnow


def _ran_out(app, registration_id: int) -> datetime:
    """A moment just after this registration's hold ran out."""
    return detached(app, registration_id).hold_expires_at + timedelta(seconds=1)


def _confirm(app, registration_id: int, now: datetime) -> None:
    with app.app_context():
        confirm(db.session.get(Registration, registration_id), now)
        db.session.commit()


def _position(app, registration_id: int) -> int | None:
    with app.app_context():
        return waiting_position(db.session.get(Registration, registration_id))


def _kinds(app, registration_id: int) -> list[str]:
    return [m.kind for m in outbox(app, registration_id=registration_id)]


# --- domain ------------------------------------------------------------------------------


def test_late_click_with_a_free_seat_gives_a_confirmed_seat_and_an_invitation(
    app, open_session, enrol
):
    session = open_session(capacity=2)
    held = enrol(session.id, person(1), utcnow())
    late = _ran_out(app, held.id)

    _confirm(app, held.id, late)

    row = detached(app, held.id)
    assert row.status is RegistrationStatus.CONFIRMED
    assert (row.confirmed_at, row.seat_at, row.hold_expires_at) == (late, late, None)
    assert row.cancelled_at is None
    with app.app_context():
        assert db.session.query(Registration).count() == 1  # the expired row, reused
        assert seats_taken(session.id, late) == 1
    (mail,) = outbox(app, kind="confirmed")
    assert mail.to_address == "student1@example.org"
    assert mail.attachment_type.startswith("text/calendar; method=REQUEST")
    assert b"METHOD:REQUEST" in mail.attachment


def test_late_click_when_full_joins_the_end_of_the_list_then_gets_a_freed_seat(
    app, open_session, enrol
):
    session = open_session(capacity=1)
    t0 = utcnow()
    seated = enrol(session.id, person("seated"), t0)
    late_one = enrol(session.id, person("late"), t0 + timedelta(minutes=1))  # waiting
    patient = enrol(session.id, person("patient"), t0 + timedelta(minutes=2))  # waiting
    _confirm(app, seated.id, t0 + timedelta(minutes=3))
    _confirm(app, patient.id, t0 + timedelta(minutes=3))
    late = _ran_out(app, late_one.id)

    _confirm(app, late_one.id, late)

    row = detached(app, late_one.id)
    assert row.status is RegistrationStatus.WAITING
    assert (row.confirmed_at, row.waitlisted_at, row.hold_expires_at) == (late, late, None)
    with app.app_context():
        assert [r.id for r in waiting_list(session.id)] == [patient.id, late_one.id]
    assert _position(app, late_one.id) == 2
    (mail,) = outbox(app, kind="waiting_confirmed", registration_id=late_one.id)
    assert "You are number 2 on the waiting list." in mail.text_body
    assert mail.attachment is None

    # Seats free up: the patient one first, then the late one, seated with an invitation.
    for leaving, promoted in ((seated, patient), (patient, late_one)):
        with app.app_context():
            cancel(db.session.get(Registration, leaving.id), late + timedelta(minutes=1))
            db.session.commit()
        assert detached(app, promoted.id).status is RegistrationStatus.CONFIRMED
    (seat_mail,) = outbox(app, kind="seat_for_you", registration_id=late_one.id)
    assert b"METHOD:REQUEST" in seat_mail.attachment


def test_late_click_leaves_a_freed_seat_to_those_already_waiting(app, open_session, enrol):
    """The fair rule: the seat the late clicker's own hold freed goes to the first on the
    waiting list (as it would have anyway); the late clicker queues behind everyone."""
    session = open_session(capacity=1)
    t0 = utcnow()
    held = enrol(session.id, person("held"), t0)
    # Unconfirmed, but their own hold still has an hour to run at the click.
    first = enrol(session.id, person("first"), t0 + timedelta(hours=1))
    second = enrol(session.id, person("second"), t0 + timedelta(hours=2))
    _confirm(app, second.id, t0 + timedelta(hours=3))
    late = _ran_out(app, held.id)
    with app.app_context():
        assert seats_taken(session.id, late) == 0  # the seat is free at the moment of the click

    _confirm(app, held.id, late)

    assert detached(app, first.id).status is RegistrationStatus.HELD  # promoted, hold kept
    assert detached(app, held.id).status is RegistrationStatus.WAITING
    assert [_position(app, r.id) for r in (second, held)] == [1, 2]
    assert _kinds(app, first.id) == ["confirm_address", "seat_for_you"]
    assert _kinds(app, held.id) == ["confirm_address", "waiting_confirmed"]
    with app.app_context():
        assert seats_taken(session.id, late) == 1


def _cancelled(app, session: Session, moment: datetime) -> datetime:
    with app.app_context():
        cancel_session(db.session.get(Session, session.id), "Lecturer ill", None)
        db.session.commit()
    return moment


@pytest.mark.parametrize(
    "closing",
    [
        pytest.param(lambda app, session, moment: _cancelled(app, session, moment), id="cancelled"),
        pytest.param(lambda app, session, moment: session.starts_at, id="started"),
        pytest.param(
            lambda app, session, moment: session.registration_closes_at + timedelta(seconds=1),
            id="registration-closed",
        ),
    ],
)
def test_late_click_when_the_session_takes_no_registrations_gives_nothing(
    app, open_session, enrol, closing
):
    t0 = utcnow()
    local = t0.astimezone(ZoneInfo("Asia/Samarkand")).replace(tzinfo=None, microsecond=0)
    session = open_session(capacity=5, registration_closes_local=local + timedelta(days=2))
    held = enrol(session.id, person(1), t0)
    moment = closing(app, session, _ran_out(app, held.id))
    before = len(outbox(app))

    _confirm(app, held.id, moment)

    row = detached(app, held.id)
    assert row.status is RegistrationStatus.EXPIRED
    assert row.confirmed_at is None
    assert len(outbox(app)) == before
    with app.app_context():
        assert seats_taken(session.id, moment) == 0


@pytest.mark.parametrize("full", [False, True], ids=["seat", "waiting-list"])
def test_a_second_late_click_does_nothing_more(app, open_session, enrol, full):
    session = open_session(capacity=1)
    held = enrol(session.id, person(1), utcnow())
    late = _ran_out(app, held.id)
    if full:
        enrol(session.id, person("other"), late)  # takes the seat the run-out hold left
    _confirm(app, held.id, late)
    first = detached(app, held.id)

    _confirm(app, held.id, late + timedelta(minutes=5))

    again = detached(app, held.id)
    assert again.status is first.status
    assert again.status is (RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED)
    assert (again.confirmed_at, again.seat_at, again.waitlisted_at) == (
        first.confirmed_at,
        first.seat_at,
        first.waitlisted_at,
    )
    assert _kinds(app, held.id) == [
        "confirm_address",
        "waiting_confirmed" if full else "confirmed",
    ]


def test_late_clicks_never_exceed_capacity(app, open_session, enrol):
    session = open_session(capacity=2)
    t0 = utcnow()
    rows = [enrol(session.id, person(n), t0) for n in range(5)]  # 2 held, 3 waiting
    late = _ran_out(app, rows[-1].id)

    for second, row in enumerate(reversed(rows)):  # the last to register clicks first
        _confirm(app, row.id, late + timedelta(seconds=second))

    statuses = [detached(app, row.id).status for row in rows]
    assert statuses == [RegistrationStatus.WAITING] * 3 + [RegistrationStatus.CONFIRMED] * 2
    with app.app_context():
        assert seats_taken(session.id, late) == 2
        assert [r.id for r in waiting_list(session.id)] == [rows[2].id, rows[1].id, rows[0].id]


def test_late_clicks_at_once_never_exceed_capacity(
    app,
    threaded_app,
    open_session,
    enrol,
):
    session = open_session(capacity=3)
    t0 = utcnow()
    ids = [enrol(session.id, person(n), t0).id for n in range(12)]
    late = _ran_out(app, ids[-1])

    def click(registration_id: int) -> RegistrationStatus:
        return confirm(db.session.get(Registration, registration_id), late).status

    results = all_at_once(threaded_app, [(lambda r=r: click(r)) for r in ids])

    assert [r for r in results if isinstance(r, Exception)] == []
    assert results.count(RegistrationStatus.CONFIRMED) == 3
    assert results.count(RegistrationStatus.WAITING) == 9
    with app.app_context():
        assert seats_taken(session.id, late) == 3
        assert len(waiting_list(session.id)) == 9
    assert len(outbox(app, kind="confirmed")) == 3


# --- pages -------------------------------------------------------------------------------


def _late_link(app, enrol, session_id: int, n: int | str = 1) -> tuple[int, str]:
    """A registration whose hold ran out an hour ago (not yet marked), and its confirm path."""
    row = enrol(session_id, person(n), utcnow() - timedelta(hours=25))
    with app.app_context():
        token = manage_token(db.session.get(Registration, row.id))
    return row.id, f"/r/{token}/confirm"


def test_confirm_page_get_explains_a_late_click_and_changes_nothing(
    app, client, open_session, enrol
):
    session = open_session(capacity=1)
    registration_id, path = _late_link(app, enrol, session.id)
    mails = len(outbox(app))

    asked = client.get(path)
    manage = client.get(path.removesuffix("/confirm"))
    uzbek = client.get(path, headers={"Accept-Language": "uz"})

    assert (asked.status_code, manage.status_code) == (200, 200)
    for page in (asked, manage):
        assert "This hold ran out before it was confirmed, but you can still confirm" in (
            page.get_data(as_text=True)
        )
    assert '<form method="post">' in asked.get_data(as_text=True)
    assert f'action="{path}"' in manage.get_data(as_text=True)
    assert "ammo hali ham tasdiqlashingiz mumkin" in uzbek.get_data(as_text=True)
    row = detached(app, registration_id)
    assert (row.status, row.confirmed_at) == (RegistrationStatus.HELD, None)
    assert len(outbox(app)) == mails


def test_late_click_on_the_page_gives_the_seat_and_mails_the_invitation(
    mail_app, mailbox, open_session, enrol
):
    client = mail_app.test_client()
    session = open_session(capacity=1)
    registration_id, path = _late_link(mail_app, enrol, session.id)

    answer = client.post(path, follow_redirects=True)
    with mail_app.app_context():
        deliver_now()

    text = answer.get_data(as_text=True)
    assert "Your hold had run out, but a seat was still free" in text
    assert "Your seat is confirmed." in text
    assert detached(mail_app, registration_id).status is RegistrationStatus.CONFIRMED
    (message,) = [m for m in mailbox.to("student1@example.org") if "registered" in m["Subject"]]
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert b"METHOD:REQUEST" in part.get_payload(decode=True)


def test_late_click_on_the_page_when_full_says_the_place_on_the_list(
    app, client, open_session, enrol
):
    session = open_session(capacity=1)
    registration_id, path = _late_link(app, enrol, session.id)
    enrol(session.id, person("now"))  # takes the seat the run-out hold no longer holds

    answer = client.post(path, follow_redirects=True)
    second = client.post(path)

    text = answer.get_data(as_text=True)
    assert "you joined the end of the waiting list: you are number 1." in text
    assert "You are number 1 on the waiting list." in text
    row = detached(app, registration_id)
    assert row.status is RegistrationStatus.WAITING and row.confirmed_at is not None
    assert second.status_code == 302  # already confirmed: straight to the manage page
    assert _kinds(app, registration_id) == ["confirm_address", "waiting_confirmed"]


def test_late_click_on_a_cancelled_session_says_so_in_the_students_language(
    app, client, open_session, enrol
):
    session = open_session(capacity=5)
    registration_id, path = _late_link(app, enrol, session.id)
    _cancelled(app, session, utcnow())

    asked = client.get(path)
    answer = client.post(path, follow_redirects=True)
    russian = client.post(path, headers={"Accept-Language": "ru"}, follow_redirects=True)

    assert "This session is cancelled: it takes no registrations." in asked.get_data(as_text=True)
    assert '<form method="post">' not in asked.get_data(as_text=True)
    text = answer.get_data(as_text=True)
    assert (
        "Sorry, this hold ran out before it was confirmed. "
        "This session is cancelled: it takes no registrations."
    ) in text
    assert "Confirm my registration" not in text
    assert "К сожалению, бронь истекла до подтверждения." in russian.get_data(as_text=True)
    row = detached(app, registration_id)
    assert (row.status, row.confirmed_at) == (RegistrationStatus.EXPIRED, None)


def test_confirm_click_on_a_cancelled_registration_confirms_nothing(
    app, client, open_session, enrol
):
    session = open_session(capacity=5)
    registration_id, path = _late_link(app, enrol, session.id)
    client.post(path.removesuffix("/confirm") + "/cancel", data={"confirm": "yes"})

    answer = client.post(path, follow_redirects=True)

    text = answer.get_data(as_text=True)
    assert "Thank you" not in text
    assert 'role="alert">This registration is cancelled.</div>' in text
    row = detached(app, registration_id)
    assert (row.status, row.confirmed_at) == (RegistrationStatus.CANCELLED, None)
