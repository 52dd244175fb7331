"""Back to draft: refused while people are registered (the form says to move or cancel the
session), silent otherwise; pages, feeds and mail then agree."""

from __future__ import annotations

import pytest

from tests.fixtures.markup import errors_beside, parse
from tests.fixtures.registration import outbox
from tests.fixtures.session_form import form_data
from tests.web.test_session_form import existing_day
from webinars.domain.registration.register import RegistrationInput, cancel, register
from webinars.extensions import db
from webinars.models import Registration, Role, Session, SessionKind, SessionStatus, User

REFUSAL = (
    "People are registered for this session, so it cannot go back to draft. "
    "Move it to another time or cancel it instead."
)


@pytest.fixture
def lecturer(make_user):
    return make_user(Role.LECTURER, name="Dilnoza Rashidova")


@pytest.fixture
def academy(make_academy):
    return make_academy(name_en="Izhevsk State Medical Academy")


@pytest.fixture
def master_class(make_session, lecturer, academy):
    return make_session(
        actor=lecturer, academy_ids=[academy.id], kind=SessionKind.MASTER_CLASS, capacity=1
    )


def _register(app, session_id: int, lecturer: User, n: int, confirmed: bool = True) -> int:
    with app.app_context():
        outcome = register(
            session_id,
            RegistrationInput(f"Student {n}", f"s{n}@example.org", "ru"),
            added_by=db.session.get(User, lecturer.id) if confirmed else None,
        )
        db.session.commit()
        return outcome.registration.id


def _to_draft(client, session: Session, lecturer, academy):
    data = form_data(
        lecturer.id,
        academy.id,
        kind="master_class",
        capacity="1",
        starts_local=f"{existing_day(session)}T14:00",
        status="draft",
    )
    return client.post(f"/manage/sessions/{session.id}/edit", data=data)


def _state(app, session_id: int) -> tuple[SessionStatus, int]:
    with app.app_context():
        session = db.session.get(Session, session_id)
        return session.status, session.sequence


@pytest.mark.parametrize("who", ["confirmed", "waiting"])
def test_session_with_registrants_cannot_go_back_to_draft(
    app, client, login, lecturer, academy, master_class, who
):
    _register(app, master_class.id, lecturer, 1)
    if who == "waiting":  # only someone waiting is left: still a registrant
        _register(app, master_class.id, lecturer, 2, confirmed=False)
        with app.app_context():
            first = db.session.execute(
                db.select(Registration).where(Registration.email == "s1@example.org")
            ).scalar_one()
            cancel(first)
            db.session.commit()
    before = _state(app, master_class.id)
    mails = len(outbox(app))
    login(lecturer)

    response = _to_draft(client, master_class, lecturer, academy)

    assert response.status_code == 200
    assert errors_beside(parse(response.get_data(as_text=True)), "status-0") == [REFUSAL]
    assert _state(app, master_class.id) == before
    assert len(outbox(app)) == mails  # no "changed" REQUEST to anyone
    assert client.get(f"/sessions/{master_class.id}/calendar.ics").status_code == 200
    assert f"session-{master_class.id}@".encode() in client.get("/calendars/all.ics").data


def test_session_without_registrants_goes_back_to_draft_silently(
    app, client, login, lecturer, academy, master_class
):
    seat = _register(app, master_class.id, lecturer, 1)
    with app.app_context():
        cancel(db.session.get(Registration, seat))  # a registration given up counts no more
        db.session.commit()
    status, sequence = _state(app, master_class.id)
    mails = len(outbox(app))
    assert f"session-{master_class.id}@".encode() in client.get("/calendars/all.ics").data
    login(lecturer)

    response = _to_draft(client, master_class, lecturer, academy)

    assert response.status_code == 302
    assert _state(app, master_class.id) == (SessionStatus.DRAFT, sequence)
    assert len(outbox(app)) == mails
    client.get("/logout")
    assert f"session-{master_class.id}@".encode() not in client.get("/calendars/all.ics").data
    assert client.get(f"/sessions/{master_class.id}/calendar.ics").status_code == 404
    assert client.get(f"/sessions/{master_class.id}").status_code == 404
