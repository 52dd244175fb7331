"""Coordinators invited by email: the link works once, expires, can be revoked, and the
invitee chooses their own password; several coordinators share one academy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fixtures.app import client_as
from tests.fixtures.markup import errors_beside, parse, value_of
from tests.fixtures.registration import link_in, outbox
from webinars.domain.accounts.staff import StaffRuleError
from webinars.domain.partners.invitations import (
    InvitationUnusableError,
    accept_invitation,
    find_invitation,
    invite_coordinator,
)
from webinars.extensions import db
from webinars.models import CoordinatorInvitation, Role, User, utcnow

NEW_PASSWORD = "a brand new secret"


def _invite(client, academy_id: int, email: str = "olga@izhevsk.example", **changes):
    data = dict(
        name="Olga Petrova",
        email=email,
        academy_id=str(academy_id),
        locale="ru",
        time_zone="Europe/Samara",
    )
    data.update(changes)
    return client.post("/admin/invitations", data=data)


def _link(app, email: str) -> str:
    (message,) = [m for m in outbox(app, kind="coordinator_invitation") if m.to_address == email]
    return link_in(message.text_body, "/invitation/")


def test_invitation_email_in_invitees_language_sets_password_and_signs_in(
    app, make_user, make_academy
):
    admin, academy = make_user(Role.ADMIN, name="Aziz Admin"), make_academy(name_ru="ИГМА")
    response = _invite(client_as(app, admin), academy.id)
    assert response.status_code == 302
    (message,) = outbox(app, kind="coordinator_invitation")
    assert message.subject == "Ваша учётная запись координатора: ИГМА"
    assert "Aziz Admin" in message.text_body
    url = link_in(message.text_body, "/invitation/")
    path = url.removeprefix(app.config["BASE_URL"])

    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    response = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert visitor.get("/manage/").status_code == 200  # signed in
    with app.app_context():
        user = db.session.execute(
            db.select(User).where(User.email == "olga@izhevsk.example")
        ).scalar_one()
        assert (user.role, user.academy_id, user.locale) == (Role.COORDINATOR, academy.id, "ru")
        assert user.time_zone == "Europe/Samara"
        assert user.check_password(NEW_PASSWORD)


def test_invitation_link_works_once(app, make_user, make_academy):
    admin, academy = make_user(Role.ADMIN), make_academy()
    _invite(client_as(app, admin), academy.id)
    path = _link(app, "olga@izhevsk.example").removeprefix(app.config["BASE_URL"])
    first = app.test_client().post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert first.status_code == 302
    again = app.test_client().post(
        path, data={"password": "another one!", "confirm": "another one!"}
    )
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    with app.app_context():
        user = db.session.execute(
            db.select(User).where(User.email == "olga@izhevsk.example")
        ).scalar_one()
        assert user.check_password(NEW_PASSWORD)  # the second click changed nothing


def test_invitation_link_expires(app, ctx, make_user, make_academy):
    academy = make_academy()
    then = utcnow() - timedelta(days=8)
    invitation = invite_coordinator(
        email="late@example.org",
        name="Late",
        academy_id=academy.id,
        locale="en",
        time_zone="Europe/Samara",
        invited_by=None,
        now=then,
    )
    db.session.commit()
    with pytest.raises(InvitationUnusableError) as raised:
        accept_invitation(invitation, NEW_PASSWORD)
    assert raised.value.state == "expired"
    db.session.rollback()
    assert (
        db.session.execute(db.select(User).where(User.email == "late@example.org")).first() is None
    )
    # Within the week it would have worked.
    assert invitation.state(then + timedelta(days=6)) == "open"


def test_expired_and_revoked_links_say_so(app, make_user, make_academy):
    admin, academy = make_user(Role.ADMIN), make_academy()
    client = client_as(app, admin)
    _invite(client, academy.id, email="first@example.org")
    path = _link(app, "first@example.org").removeprefix(app.config["BASE_URL"])
    with app.app_context():
        invitation = db.session.execute(db.select(CoordinatorInvitation)).scalar_one()
        invitation_id = invitation.id
    assert client.post(f"/admin/invitations/{invitation_id}/revoke").status_code == 302
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "withdrawn" in response.get_data(as_text=True)
    with app.app_context():
        db.session.get(CoordinatorInvitation, invitation_id).revoked_at = None
        db.session.get(CoordinatorInvitation, invitation_id).expires_at = utcnow()
        db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert app.test_client().get("/invitation/" + "x" * 43).status_code == 404


def test_a_new_invitation_revokes_the_earlier_link(app, ctx, make_academy):
    academy = make_academy()
    values = dict(
        email="twice@example.org",
        name="Twice",
        academy_id=academy.id,
        locale="uz",
        time_zone="Asia/Almaty",
        invited_by=None,
    )
    first = invite_coordinator(**values)
    second = invite_coordinator(**values)
    db.session.commit()
    assert (first.state(), second.state()) == ("revoked", "open")
    # Only the open one's email is still wanted: the worker renders it and drops the other.
    assert [m.subject is None for m in outbox(app, kind="coordinator_invitation")] == [True, False]


def test_invitation_refuses_an_address_with_an_account(app, ctx, make_user, make_academy):
    taken, academy = make_user(email="taken@example.org"), make_academy()
    with pytest.raises(StaffRuleError) as raised:
        invite_coordinator(
            email=taken.email.upper(),
            name="Someone",
            academy_id=academy.id,
            locale="en",
            time_zone="Asia/Samarkand",
            invited_by=None,
        )
    assert raised.value.field == "email"


def test_invitation_form_keeps_what_was_typed_on_error(app, make_user, make_academy):
    admin, academy = make_user(Role.ADMIN), make_academy()
    make_user(email="taken@example.org")
    response = _invite(client_as(app, admin), academy.id, email="taken@example.org", name="Keep Me")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "email") == ["An account with this email already exists."]
    assert (value_of(page, "name"), value_of(page, "email")) == ("Keep Me", "taken@example.org")


def test_password_must_be_repeated_and_long_enough(app, make_user, make_academy):
    admin, academy = make_user(Role.ADMIN), make_academy()
    _invite(client_as(app, admin), academy.id)
    path = _link(app, "olga@izhevsk.example").removeprefix(app.config["BASE_URL"])
    short = app.test_client().post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 200
    mismatch = app.test_client().post(
        path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}
    )
    assert "The passwords do not match." in mismatch.get_data(as_text=True)
    with app.app_context():
        assert find_invitation(path.rsplit("/", 1)[-1]).state() == "open"


def test_several_coordinators_of_one_academy_each_see_its_sessions(
    app, make_user, make_academy, make_session
):
    academy, other = make_academy(), make_academy()
    first = make_user(Role.COORDINATOR, academy_id=academy.id)
    second = make_user(Role.COORDINATOR, academy_id=academy.id)
    outsider = make_user(Role.COORDINATOR, academy_id=other.id)
    session = make_session(academy_ids=[academy.id], title="Shared lecture")
    for user in (first, second):
        assert client_as(app, user).get(f"/manage/sessions/{session.id}").status_code == 200
    assert client_as(app, outsider).get(f"/manage/sessions/{session.id}").status_code == 404
