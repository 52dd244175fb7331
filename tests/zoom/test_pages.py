"""The Zoom parts of staff pages: who sees the join link and the start link, the meeting's
state in words, attendance and recordings, and the session form's Zoom choice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from tests.conftest import PASSWORD
from tests.web.markup import alerts, by_id, checked, errors_beside, parse, value_of
from tests.zoom.conftest import marked, record_of, soon
from webinars.extensions import db
from webinars.jobs.zoom import sync_one
from webinars.models import (
    AutoRecording,
    MeetingState,
    Role,
    Session,
    ZoomAttendance,
    ZoomRecording,
)


def client_as(app: Flask, user):
    """A test client signed in as ``user`` (None: anonymous)."""
    client = app.test_client()
    if user is not None:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
    return client


@pytest.fixture
def people(make_user, make_academy) -> dict[str, Any]:
    home, elsewhere = make_academy(), make_academy(city="Shymkent", time_zone="Asia/Almaty")
    return {
        "home": home,
        "elsewhere": elsewhere,
        "lecturer": make_user(Role.LECTURER),
        "other_lecturer": make_user(Role.LECTURER),
        "coordinator": make_user(Role.COORDINATOR, academy_id=home.id),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def synced(zoom_session, people) -> Session:
    """A Zoom session taught by people["lecturer"] with people["home"], its meeting ready."""
    session = zoom_session(lecturer_ids=[people["lecturer"].id], academy_ids=[people["home"].id])
    sync_one(session.id)
    return session


@pytest.mark.parametrize(
    ("role", "sees"),
    [("lecturer", True), ("admin", True), ("coordinator", True), ("other_lecturer", False)],
)
def test_join_link_on_the_session_page_by_role(zoom_app, synced, people, role, sees):
    url = record_of(synced.id).join_url

    page = client_as(zoom_app, people[role]).get(f"/manage/sessions/{synced.id}")

    assert page.status_code == 200
    assert (url in page.get_data(as_text=True)) is sees


def test_join_link_never_on_the_public_page(zoom_app, synced):
    url = record_of(synced.id).join_url

    page = zoom_app.test_client().get(f"/sessions/{synced.id}")

    assert page.status_code == 200
    assert url not in page.get_data(as_text=True)


@pytest.mark.parametrize("role", ["lecturer", "admin"])
def test_start_link_is_fetched_fresh_for_lecturers_and_admins(
    zoom_app, synced, people, zoom_server, role
):
    client = client_as(zoom_app, people[role])
    zoom_server.requests.clear()

    first = client.get(f"/manage/sessions/{synced.id}/zoom/start")
    second = client.get(f"/manage/sessions/{synced.id}/zoom/start")

    meeting_id = record_of(synced.id).meeting_id
    assert first.status_code == 302
    assert first.headers["Location"].startswith(f"https://zoom.example/s/{meeting_id}?zak=")
    assert first.headers["Cache-Control"] == "no-store"
    assert first.headers["Location"] != second.headers["Location"]  # never reused
    assert [r.method for r in zoom_server.api_requests()] == ["GET", "GET"]


@pytest.mark.parametrize("role", ["coordinator", "other_lecturer"])
def test_start_link_refused_to_others(zoom_app, synced, people, role):
    response = client_as(zoom_app, people[role]).get(f"/manage/sessions/{synced.id}/zoom/start")

    assert response.status_code == 403


def test_start_link_is_not_on_the_page_or_in_the_database(zoom_app, synced, people):
    client = client_as(zoom_app, people["lecturer"])
    start = client.get(f"/manage/sessions/{synced.id}/zoom/start").headers["Location"]

    page = client.get(f"/manage/sessions/{synced.id}").get_data(as_text=True)

    record = record_of(synced.id)
    stored = " ".join(str(getattr(record, c.key)) for c in record.__table__.columns)
    assert "zak=" not in page and "zak=" not in stored
    assert by_id(parse(page), "zoom-start").attrs["href"].endswith("/zoom/start")
    assert start not in page


def test_start_link_before_the_meeting_exists_explains(zoom_app, zoom_session, people):
    session = zoom_session(lecturer_ids=[people["lecturer"].id])  # not synced yet
    client = client_as(zoom_app, people["lecturer"])

    response = client.get(f"/manage/sessions/{session.id}/zoom/start", follow_redirects=True)

    assert "The Zoom meeting is not ready yet; see its state below." in alerts(
        parse(response.get_data(as_text=True))
    )


def _state(app: Flask, user, session_id: int) -> tuple[str, str]:
    page = parse(client_as(app, user).get(f"/manage/sessions/{session_id}").get_data(True))
    box = by_id(page, "zoom-status")
    return box.attrs["data-state"], box.text()


def test_session_page_says_being_created_then_ready(zoom_app, zoom_session, people):
    session = zoom_session(lecturer_ids=[people["lecturer"].id])

    before = _state(zoom_app, people["lecturer"], session.id)
    sync_one(session.id)
    after = _state(zoom_app, people["lecturer"], session.id)

    assert before == ("creating", "The Zoom meeting is being created.")
    assert after == ("ready", "The Zoom meeting is ready.")


def test_session_page_says_why_and_when_for_a_retry(zoom_app, zoom_session, people, zoom_server):
    session = zoom_session(lecturer_ids=[people["lecturer"].id])
    zoom_server.fail_next(status=502)
    sync_one(session.id)

    state, text = _state(zoom_app, people["lecturer"], session.id)

    assert state == "retrying"
    assert "The Zoom meeting could not be created yet." in text
    assert "Zoom did not answer in time or had a fault." in text
    assert "Next attempt:" in text


@pytest.mark.parametrize(
    ("role", "sees"), [("lecturer", True), ("admin", True), ("coordinator", False)]
)
def test_attendance_and_recordings_for_lecturers_and_admins(zoom_app, synced, people, role, sees):
    record = record_of(synced.id)
    db.session.add(
        ZoomAttendance(
            session_id=synced.id,
            meeting_id=record.meeting_id,
            participant_key="participant_uuid:p-1",
            name="Aziza Karimova",
            email="aziza@example.org",
            joined_at=datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
            left_at=datetime(2026, 5, 4, 9, 45, tzinfo=UTC),
            minutes=45,
        )
    )
    db.session.add(
        ZoomRecording(
            session_id=synced.id,
            meeting_id=record.meeting_id,
            file_id="f-1",
            file_type="MP4",
            play_url="https://zoom.example/rec/play/f-1",
        )
    )
    db.session.commit()
    # One person per test: the tests' app context (and Flask-Login's cached user) is shared
    # by every request made inside it.

    html = client_as(zoom_app, people[role]).get(f"/manage/sessions/{synced.id}").get_data(True)

    assert ("Aziza Karimova" in html, "aziza@example.org" in html) == (sees, sees)
    assert ("https://zoom.example/rec/play/f-1" in html) is sees
    if sees:
        rows = by_id(parse(html), "zoom-attendance").text()
        assert "Aziza Karimova aziza@example.org" in rows and rows.endswith("45")


def form_data(lecturer_id: int, academy_id: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "webinar",
        "title": "Pediatric ECG",
        "description": "",
        "language": "en",
        "starts_local": soon(9, 11).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Asia/Samarkand",
        "duration_minutes": "60",
        "lecturer_ids": [str(lecturer_id)],
        "academy_ids": [str(academy_id)],
        "status": "scheduled",
        "visibility": "public",
        "conference": "zoom",
        "join_url": "",
        "zoom-passcode": "",
        "zoom-waiting_room": "off",
        "zoom-mute_upon_entry": "",
        "zoom-auto_recording": "cloud",
    }
    data.update(changes)
    return data


def test_new_session_form_offers_zoom_by_default(zoom_app, people):
    page = parse(client_as(zoom_app, people["lecturer"]).get("/manage/sessions/new").get_data(True))

    assert checked(page, "conference") == ["zoom"]


def test_new_session_form_without_zoom_says_so_and_disables_it(app, people):
    page = parse(client_as(app, people["lecturer"]).get("/manage/sessions/new").get_data(True))

    zoom_choice = next(
        e for e in page.iter() if e.tag == "input" and e.attrs.get("value") == "zoom"
    )
    assert "disabled" in zoom_choice.attrs
    assert checked(page, "conference") == ["link"]
    assert "Zoom is not set up for the department" in by_id(page, "zoom-not-configured").text()


def test_saving_a_zoom_session_makes_its_meeting_with_its_settings(
    zoom_app, zctx, people, zoom_server
):
    client = client_as(zoom_app, people["lecturer"])

    response = client.post(
        "/manage/sessions/new", data=form_data(people["lecturer"].id, people["home"].id)
    )

    assert response.status_code == 302
    session_id = int(response.headers["Location"].rsplit("/", 1)[1])
    (meeting,) = marked(zoom_server, session_id)
    record = record_of(session_id)
    assert record.state is MeetingState.READY
    assert (record.waiting_room, record.auto_recording) == (False, AutoRecording.CLOUD)
    assert meeting["settings"]["waiting_room"] is False
    assert meeting["settings"]["auto_recording"] == "cloud"


def test_zoom_session_form_refuses_a_time_with_no_free_host(
    zoom_app, zoom_session, people, zoom_server
):
    busy = [zoom_session(starts_local=soon(9, 11)) for _ in range(3)]
    for session in busy:
        sync_one(session.id)
    client = client_as(zoom_app, people["lecturer"])

    response = client.post(
        "/manage/sessions/new",
        data=form_data(people["lecturer"].id, people["home"].id, title="One too many"),
    )

    page = parse(response.get_data(True))
    assert response.status_code == 200
    (message,) = errors_beside(page, "conference-0")
    assert message.startswith("No Zoom host is free at this time")
    assert value_of(page, "title") == "One too many"
    assert db.session.execute(db.select(Session).filter_by(title="One too many")).first() is None


def test_moving_a_zoom_session_to_a_time_with_no_free_host_is_refused(
    zoom_app, zoom_session, people
):
    busy = [zoom_session(starts_local=soon(9, 11)) for _ in range(3)]
    mine = zoom_session(lecturer_ids=[people["lecturer"].id], starts_local=soon(9, 16))
    for session in (*busy, mine):
        sync_one(session.id)
    client = client_as(zoom_app, people["lecturer"])

    response = client.post(
        f"/manage/sessions/{mine.id}/reschedule",
        data={
            "starts_local": soon(9, 11, 30).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "Asia/Samarkand",
            "duration_minutes": "60",
        },
    )

    page = parse(response.get_data(True))
    assert response.status_code == 200
    (message,) = errors_beside(page, "starts_local")
    assert message.startswith("No Zoom host is free at the new time")
