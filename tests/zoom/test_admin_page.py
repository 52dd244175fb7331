"""The admin's integrations page: Zoom's setup in plain words, meetings not in step with a
retry button, the department's meeting defaults and lecturers' Zoom users."""

from __future__ import annotations

import pytest

from tests.web.markup import by_id, errors_beside, parse, value_of
from tests.zoom.conftest import marked, record_of
from tests.zoom.test_pages import client_as
from webinars.extensions import db
from webinars.jobs.zoom import sync_one
from webinars.models import MeetingState, Role, User, ZoomDefaults

PAGE = "/admin/integrations"


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def test_page_without_zoom_names_what_is_missing(app, admin):
    page = parse(client_as(app, admin).get(PAGE).get_data(True))

    status = by_id(page, "zoom-configured").text()
    assert "Zoom is not set up." in status
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_HOSTS"):
        assert name in status
    assert "ZOOM_WEBHOOK_SECRET_TOKEN is not set" in by_id(page, "zoom-webhooks").text()


def test_page_with_only_some_settings_names_the_rest(app, admin):
    app.config.update(ZOOM_ACCOUNT_ID="acc", ZOOM_CLIENT_ID="cid")

    status = parse(client_as(app, admin).get(PAGE).get_data(True))
    text = by_id(status, "zoom-configured").text()

    assert "ZOOM_CLIENT_SECRET" in text and "ZOOM_HOSTS" in text
    assert "ZOOM_ACCOUNT_ID" not in text


def test_page_with_zoom_shows_hosts_and_never_the_secret(zoom_app, admin, zoom_server):
    html = client_as(zoom_app, admin).get(PAGE).get_data(True)
    page = parse(html)

    assert "Zoom is set up" in by_id(page, "zoom-configured").text()
    hosts = by_id(page, "zoom-hosts").text()
    assert "host1@example.edu: 0 of 100 changes used today" in hosts
    assert zoom_server.client_secret not in html


def test_failed_meeting_is_listed_and_retry_now_mends_it(
    zoom_app, zoom_session, admin, zoom_server
):
    account = zoom_server.account
    for user in list(account.users.values()):  # the hosts are not (yet) Zoom users
        del account.users[user["id"]]
    session = zoom_session(title="Bronchiolitis in infants")
    sync_one(session.id)
    record = record_of(session.id)
    assert (record.state, record.error_kind) == (MeetingState.FAILED, "host_missing")
    client = client_as(zoom_app, admin)
    listed = by_id(parse(client.get(PAGE).get_data(True)), "zoom-behind").text()
    assert "Bronchiolitis in infants" in listed and "Retry now" in listed
    for n in (1, 2, 3):  # the admin adds the department's hosts to the Zoom account
        account.add_user(f"host{n}@example.edu", "Host", str(n))

    response = client.post(f"/admin/integrations/zoom/{session.id}/retry")

    assert response.status_code == 302
    assert record_of(session.id).state is MeetingState.READY
    assert len(marked(zoom_server, session.id)) == 1
    after = by_id(parse(client.get(PAGE).get_data(True)), "zoom-behind").text()
    assert "Every upcoming session's meeting is as its page says." in after


def test_defaults_are_saved_and_used_by_the_next_meeting(
    zoom_app, zoom_session, admin, zoom_server
):
    client = client_as(zoom_app, admin)

    response = client.post(
        "/admin/integrations/zoom-defaults",
        data={"passcode": "y", "mute_upon_entry": "y", "auto_recording": "cloud"},
    )
    session = zoom_session()
    sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    row = db.session.get(ZoomDefaults, 1)
    assert response.status_code == 302
    assert (row.passcode, row.waiting_room, row.mute_upon_entry) == (True, False, True)
    assert meeting["settings"]["auto_recording"] == "cloud"
    assert meeting["settings"]["waiting_room"] is False


def test_bad_zoom_email_is_explained_beside_the_field_and_kept(zoom_app, admin, make_user):
    lecturer = make_user(Role.LECTURER)

    response = client_as(zoom_app, admin).post(
        f"/admin/integrations/zoom-users/{lecturer.id}", data={"zoom_email": "dilnoza at zoom"}
    )

    page = parse(response.get_data(True))
    field = f"zoom-email-{lecturer.id}"
    assert response.status_code == 400
    assert errors_beside(page, field) == ["Enter an email address, such as name@example.org."]
    assert value_of(page, field) == "dilnoza at zoom"


def test_zoom_email_makes_the_lecturer_an_alternative_host(
    zoom_app, zctx, zoom_session, admin, make_user, zoom_server
):
    lecturer = make_user(Role.LECTURER)

    response = client_as(zoom_app, admin).post(
        f"/admin/integrations/zoom-users/{lecturer.id}",
        data={"zoom_email": "Lecturer@Example.edu"},
    )
    session = zoom_session(lecturer_ids=[lecturer.id])
    sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    assert response.status_code == 302
    assert db.session.get(User, lecturer.id).zoom_email == "lecturer@example.edu"
    assert meeting["settings"]["alternative_hosts"] == "lecturer@example.edu"
