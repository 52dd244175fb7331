"""Contract: the bodies the background sync sends (creates with the passcode choice,
changes after a move or a new setting) are valid against Zoom's OpenAPI document.

Skips, saying why, where ../shared/zoom is absent, and fails under CI=true (see
test_contract)."""

from __future__ import annotations

from tests.fixtures.zoom import record_of, soon
from tests.fixtures.zoom_openapi import (
    CREATE_PATH,
    CREATE_ROUTE,
    MEETING_PATH,
    MEETING_ROUTE,
    problems,
    request_validator,
)
from webinars.domain.sessions.scheduling import reschedule_session
from webinars.domain.zoom.settings import SettingOverrides, set_session_overrides
from webinars.extensions import db
from webinars.jobs.zoom import sync_one
from webinars.models import AutoRecording, Session


def test_sync_bodies_valid_against_openapi(zoom_session, zoom_server, make_user):
    lecturer = make_user(zoom_email="lecturer@example.edu")
    plain = zoom_session(description="")
    rich = zoom_session(
        lecturer_ids=[lecturer.id],
        title="Sepsis in the newborn: " + "recognition and first hour " * 6,
        description="Reading list and cases. " * 150,
        starts_local=soon(8, 10),
    )
    set_session_overrides(
        db.session.get(Session, rich.id),
        SettingOverrides(False, False, False, AutoRecording.CLOUD),
    )
    db.session.commit()
    for session in (plain, rich):
        sync_one(session.id)
    reschedule_session(db.session.get(Session, plain.id), soon(9, 16), "Asia/Almaty", 45, None)
    db.session.commit()
    sync_one(plain.id)
    assert record_of(plain.id).meeting_id is not None

    creates = [r.json for r in zoom_server.api_requests("POST", CREATE_ROUTE)]
    patches = [r.json for r in zoom_server.api_requests("PATCH", MEETING_ROUTE)]

    assert len(creates) == 2 and len(patches) == 1
    assert {body["default_password"] for body in creates} == {True, False}
    post, patch = request_validator(CREATE_PATH, "post"), request_validator(MEETING_PATH, "patch")
    assert [problems(post, body) for body in creates] == [[], []]
    assert [problems(patch, body) for body in patches] == [[]]
