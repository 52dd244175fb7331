"""Time zones Zoom does not know: the meeting is made all the same, with the zone's
equivalent or with none, the refusal is remembered, and the lecturer is told in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.web.markup import by_id, parse
from tests.zoom.conftest import marked, record_of, soon
from tests.zoom.test_pages import client_as
from webinars.domain.sessions.scheduling import reschedule_session
from webinars.domain.zoom.hosts import usage_today
from webinars.domain.zoom.sweep import due_session_ids
from webinars.domain.zoom.zones import (
    REMEMBER_REFUSAL,
    ZONE_EQUIVALENTS,
    refused_zones,
    refuses_only_zone,
    remember_refused,
    zone_for_zoom,
)
from webinars.extensions import db
from webinars.jobs.zoom import current_setup, sync_one
from webinars.models import MeetingState, Role, Session
from webinars.zoom import ZoomValidationError

CREATE, MEETING = "/v2/users/{userId}/meetings", "/v2/meetings/{meetingId}"
HOME, EQUIVALENT = "Asia/Samarkand", "Asia/Tashkent"


def calls(server) -> list[str]:
    return [f"{r.method} {r.route}" for r in server.api_requests()]


def sent_zones(server) -> list[str | None]:
    """The ``timezone`` of every create and update body, in order (None: left out)."""
    return [
        (r.json or {}).get("timezone", None)
        for r in server.api_requests()
        if r.method in ("POST", "PATCH")
    ]


def fresh(session_id: int) -> Session:
    db.session.expire_all()
    return db.session.get(Session, session_id)


@pytest.mark.parametrize(("zone", "equivalent"), sorted(ZONE_EQUIVALENTS.items()))
def test_equivalent_zones_keep_the_same_clock_every_hour_until_2040(zone, equivalent):
    one, other = ZoneInfo(zone), ZoneInfo(equivalent)
    moment, end = datetime(1992, 6, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    differing = []
    while moment < end:
        if moment.astimezone(one).utcoffset() != moment.astimezone(other).utcoffset():
            differing.append(moment)
        moment += timedelta(hours=1)

    assert differing == []


def test_sync_unknown_home_zone_makes_the_meeting_with_its_equivalent(zoom_session, zoom_server):
    zoom_server.account.unknown_time_zones.add(HOME)
    session = zoom_session(time_zone=HOME)

    result = sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    record = record_of(session.id)
    assert result.action == "created"
    assert calls(zoom_server) == [f"POST {CREATE}", f"POST {CREATE}"]
    assert sent_zones(zoom_server) == [HOME, EQUIVALENT]
    assert (record.state, record.meeting_id) == (MeetingState.READY, meeting["id"])
    assert meeting["timezone"] == EQUIVALENT
    assert meeting["start_time"] == session.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert refused_zones(datetime.now(UTC)) == {HOME}
    assert usage_today([record.host_email], datetime.now(UTC)) == {record.host_email: 2}


def test_sync_refused_zone_is_remembered_so_the_next_meeting_takes_one_call(
    zoom_session, zoom_server
):
    zoom_server.account.unknown_time_zones.add(HOME)
    sync_one(zoom_session(time_zone=HOME).id)
    zoom_server.requests.clear()
    later = zoom_session(time_zone=HOME, starts_local=soon(9))

    sync_one(later.id)

    assert calls(zoom_server) == [f"POST {CREATE}"]
    assert sent_zones(zoom_server) == [EQUIVALENT]
    assert record_of(later.id).state is MeetingState.READY


def test_sync_zone_without_a_known_equivalent_is_left_out(zoom_app, zoom_session, zoom_server):
    zoom_server.account.unknown_time_zones.update({HOME, EQUIVALENT})
    session = zoom_session(time_zone=HOME)

    sync_one(session.id)

    (meeting,) = marked(zoom_server, session.id)
    assert sent_zones(zoom_server) == [HOME, EQUIVALENT, None]
    assert record_of(session.id).state is MeetingState.READY
    assert meeting["timezone"] == "America/New_York"  # the stand-in host's own zone
    assert meeting["start_time"] == session.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert refused_zones(datetime.now(UTC)) == {HOME, EQUIVALENT}


def test_sync_after_a_fallback_is_in_step_for_the_sweep_and_the_next_run(zoom_session, zoom_server):
    zoom_server.account.unknown_time_zones.add(HOME)
    session = zoom_session(time_zone=HOME)
    sync_one(session.id)
    zoom_server.requests.clear()

    result = sync_one(session.id)

    assert result.action == "unchanged"
    assert zoom_server.api_requests() == []
    assert session.id not in due_session_ids(current_setup())


def test_sync_move_into_a_refused_zone_patches_again_with_the_fallback(zoom_session, zoom_server):
    session = zoom_session(time_zone="Europe/Samara")
    sync_one(session.id)
    meeting_id = record_of(session.id).meeting_id
    zoom_server.account.unknown_time_zones.add(HOME)
    reschedule_session(fresh(session.id), soon(8, 10), HOME, 60, None)
    db.session.commit()
    zoom_server.requests.clear()

    result = sync_one(session.id)

    meeting = zoom_server.meeting(meeting_id)
    assert result.action == "updated"
    assert calls(zoom_server) == [f"PATCH {MEETING}", f"PATCH {MEETING}", f"GET {MEETING}"]
    assert sent_zones(zoom_server) == [HOME, EQUIVALENT]
    assert meeting["timezone"] == EQUIVALENT
    assert meeting["start_time"] == fresh(session.id).starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert sync_one(session.id).action == "unchanged"


def test_refusal_naming_more_than_the_zone_is_not_a_zone_refusal(zoom_server, zoom_client):
    zoom_server.account.unknown_time_zones.add(HOME)
    body = {"topic": "Talk", "type": 2, "duration": 30, "timezone": HOME}

    with pytest.raises(ZoomValidationError) as zone_only:
        zoom_client.create_meeting("host1@example.edu", body)
    with pytest.raises(ZoomValidationError) as zone_and_more:
        zoom_client.create_meeting("host1@example.edu", {**body, "password": "much-too-long"})

    assert refuses_only_zone(zone_only.value) is True
    assert refuses_only_zone(zone_and_more.value) is False


def test_refusal_is_forgotten_after_a_while_so_the_zone_is_tried_again(zctx):
    now = datetime.now(UTC)
    remember_refused(HOME, now - REMEMBER_REFUSAL - timedelta(minutes=1))
    remember_refused("Europe/Samara", now - timedelta(days=1))
    remember_refused("Europe/Samara", now)  # a second refusal keeps one row, renewed

    refused = refused_zones(now)

    assert refused == {"Europe/Samara"}
    assert zone_for_zoom(HOME, refused) == HOME
    assert zone_for_zoom("Europe/Samara", refused) is None


@pytest.mark.parametrize(
    ("unknown", "words"),
    [
        ({HOME}, "Zoom shows this meeting's time in Asia/Tashkent, which has the same clock"),
        ({HOME, EQUIVALENT}, "Zoom shows this meeting's time in its host's own time zone"),
    ],
)
def test_session_page_says_how_zoom_shows_the_time(
    zoom_app, zoom_session, zoom_server, make_user, unknown, words
):
    lecturer = make_user(Role.LECTURER)
    zoom_server.account.unknown_time_zones.update(unknown)
    session = zoom_session(actor=lecturer, time_zone=HOME)
    sync_one(session.id)

    page = parse(client_as(zoom_app, lecturer).get(f"/manage/sessions/{session.id}").get_data(True))

    note = by_id(page, "zoom-time-zone").text()
    assert note.startswith("Zoom does not know the time zone Asia/Samarkand, so")
    assert words in note
    assert "The meeting starts at the right moment" in note


def test_session_page_has_no_zone_note_when_zoom_knows_the_zone(zoom_app, zoom_session, make_user):
    lecturer = make_user(Role.LECTURER)
    session = zoom_session(actor=lecturer, time_zone=HOME)
    sync_one(session.id)

    page = parse(client_as(zoom_app, lecturer).get(f"/manage/sessions/{session.id}").get_data(True))

    assert by_id(page, "zoom-status").attrs["data-state"] == "ready"
    assert [e for e in page.iter() if e.attrs.get("id") == "zoom-time-zone"] == []
