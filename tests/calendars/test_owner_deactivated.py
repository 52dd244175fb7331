"""A deactivated account's private feed addresses stop working, and stay stopped."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.fixtures.markup import parse
from webinars.domain.accounts.staff import change_user
from webinars.domain.calendars.tokens import academy_token_usable, issue_token, user_subject
from webinars.extensions import db
from webinars.models import FeedScope, FeedToken, Role, User

NOTICE = (
    "Deactivating an account signs it out and revokes every private calendar address it "
    "made: calendars that use them stop updating. Making the account active again does "
    "not bring them back."
)


@pytest.fixture
def izhevsk(make_academy):
    return make_academy(slug="izhevsk", name_en="Izhevsk State Medical Academy")


@pytest.fixture
def admin_client(client, login, make_user):
    login(make_user(Role.ADMIN))
    return client


def _address(app, owner: User, academy_id: int, slug: str) -> str:
    """A private feed URL of `owner` for an academy, as the owners' page makes it."""
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy_id, user_subject(owner))
        db.session.commit()
    return f"/calendars/academies/{slug}/{token}.ics"


def _edit(user: User, **changes: Any) -> dict[str, Any]:
    """The account form as the admin page posts it (no `active`: the box is unticked)."""
    data = {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "academy_id": str(user.academy_id or 0),
        "time_zone": user.time_zone,
        "password": "",
    }
    data.update(changes)
    return data


def _flashes(response) -> list[str]:
    page = parse(response.get_data(as_text=True))
    return [e.text() for e in page.iter() if "alert" in e.classes]


def test_deactivated_coordinator_academy_feed_answers_410(app, admin_client, make_user, izhevsk):
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id)
    colleague = make_user(Role.COORDINATOR, academy_id=izhevsk.id)
    url = _address(app, coordinator, izhevsk.id, "izhevsk")
    colleagues_url = _address(app, colleague, izhevsk.id, "izhevsk")
    assert admin_client.get(url).status_code == 200

    saved = admin_client.post(
        f"/admin/users/{coordinator.id}/edit", data=_edit(coordinator), follow_redirects=True
    )

    assert saved.status_code == 200
    assert _flashes(saved) == [
        "The account is saved.",
        "Its 1 private calendar address was revoked.",
    ]
    assert admin_client.get(url).status_code == 410
    assert admin_client.get(colleagues_url).status_code == 200  # only the account's own
    with app.app_context():
        revoked = db.session.execute(
            db.select(FeedToken.subject).where(FeedToken.revoked_at.is_not(None))
        ).scalars()
        assert list(revoked) == [user_subject(coordinator)]


def test_deactivated_admin_loses_the_addresses_it_made_for_any_academy(
    app, admin_client, make_user, make_academy, izhevsk
):
    make_academy(slug="shymkent", name_en="Shymkent Academy")
    other_admin = make_user(Role.ADMIN)
    urls = [
        _address(app, other_admin, izhevsk.id, "izhevsk"),
        _address(app, other_admin, izhevsk.id + 1, "shymkent"),
    ]
    assert [admin_client.get(url).status_code for url in urls] == [200, 200]

    saved = admin_client.post(
        f"/admin/users/{other_admin.id}/edit", data=_edit(other_admin), follow_redirects=True
    )

    assert _flashes(saved) == [
        "The account is saved.",
        "Its 2 private calendar addresses were revoked.",
    ]
    assert [admin_client.get(url).status_code for url in urls] == [410, 410]


def test_reactivated_coordinator_gets_no_address_back(app, admin_client, make_user, izhevsk):
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id)
    url = _address(app, coordinator, izhevsk.id, "izhevsk")
    edit = f"/admin/users/{coordinator.id}/edit"
    admin_client.post(edit, data=_edit(coordinator), follow_redirects=True)

    saved = admin_client.post(edit, data=_edit(coordinator, active="y"), follow_redirects=True)

    assert _flashes(saved) == ["The account is saved."]
    assert admin_client.get(url).status_code == 410
    fresh = _address(app, coordinator, izhevsk.id, "izhevsk")
    assert admin_client.get(fresh).status_code == 200


def test_saving_an_account_already_inactive_revokes_addresses_left_open(app, make_user, izhevsk):
    # An account deactivated before deactivation revoked anything still has open rows.
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id, is_active_account=False)
    _address(app, coordinator, izhevsk.id, "izhevsk")
    with app.app_context():
        user = db.session.get(User, coordinator.id)
        fields = dict(name=user.name, email=user.email, role=user.role, time_zone=user.time_zone)

        revoked = change_user(user, active=False, academy_id=izhevsk.id, **fields)
        again = change_user(user, active=False, academy_id=izhevsk.id, **fields)

        assert (revoked, again) == (1, 0)


def test_feed_of_an_inactive_owner_answers_410_though_never_revoked(
    app, client, make_user, izhevsk
):
    """The owner check alone, for addresses deactivation did not revoke (older accounts)."""
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id)
    url = _address(app, coordinator, izhevsk.id, "izhevsk")
    assert client.get(url).status_code == 200
    with app.app_context():
        db.session.get(User, coordinator.id).is_active_account = False  # no revocation
        db.session.commit()

    answer = client.get(url)

    assert answer.status_code == 410
    with app.app_context():
        token = db.session.execute(db.select(FeedToken)).scalar_one()
        assert (token.is_revoked, academy_token_usable(token)) == (False, False)


def test_account_page_says_deactivation_revokes_calendar_addresses(
    admin_client, make_user, izhevsk
):
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id)

    page = admin_client.get(f"/admin/users/{coordinator.id}/edit").get_data(as_text=True)

    hints = [
        " ".join(hint.split())
        for hint in re.findall(r'<small class="form-text[^"]*">([^<]*)</small>', page)
    ]
    # the account form has other hints (zone, password); the notice is one of them, once
    assert hints.count(NOTICE) == 1, hints
