"""Contract: every body the client sends is valid against Zoom's published OpenAPI document.

The document lives beside the repository in ``../shared/zoom`` (CI has it); without it
these tests skip. Bodies are recorded by the stand-in server while the client makes real
calls, so what is checked is exactly what went over the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes.zoom_server import ZoomServer
from tests.fixtures.zoom_openapi import (
    CREATE_PATH,
    CREATE_ROUTE,
    HOST,
    MEETING_PATH,
    MEETING_ROUTE,
    problems,
    request_validator,
    response_validator,
    to_json_schema,
)
from webinars.zoom import ZoomClient, build_meeting_body


def meeting_body(session_id: int, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "session_id": session_id,
        "topic": "Contract law across borders — a guest lecture",
        "start": datetime.now(UTC).replace(microsecond=0) + timedelta(days=5),
        "duration_minutes": 75,
        "timezone": "Europe/Warsaw",
    }
    values.update(fields)
    return build_meeting_body(**values)


@pytest.fixture
def recorded(zoom_client: ZoomClient, zoom_server: ZoomServer) -> ZoomServer:
    """The stand-in after the client created and changed meetings in every way it can."""
    full = zoom_client.create_meeting(
        HOST,
        meeting_body(
            1,
            agenda="Reading: chapters 1–3.\nBring questions. " * 80,
            waiting_room=False,
            join_before_host=True,
            mute_upon_entry=False,
            auto_recording="cloud",
            alternative_hosts=["host2@example.edu", "lecturer@example.edu"],
            password="Qx7@_-*",
        ),
    )
    plain = zoom_client.create_meeting("host2@example.edu", meeting_body(2, topic="🎓" * 150))
    later = datetime.now(UTC) + timedelta(days=9, hours=3)
    zoom_client.update_meeting(full["id"], meeting_body(1, start=later, auto_recording="local"))
    zoom_client.update_meeting(plain["id"], meeting_body(2, alternative_hosts=[]))
    return zoom_server


def test_create_bodies_valid_against_openapi(recorded: ZoomServer) -> None:
    validator = request_validator(CREATE_PATH, "post")
    bodies = [r.json for r in recorded.api_requests("POST", CREATE_ROUTE)]

    assert len(bodies) == 2
    assert [problems(validator, body) for body in bodies] == [[], []]


def test_update_bodies_valid_against_openapi(recorded: ZoomServer) -> None:
    validator = request_validator(MEETING_PATH, "patch")
    bodies = [r.json for r in recorded.api_requests("PATCH", MEETING_ROUTE)]

    assert len(bodies) == 2
    assert [problems(validator, body) for body in bodies] == [[], []]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"settings": {"waiting_rom": True}}, "settings"),
        ({"topic": "x" * 201}, "topic"),
        ({"duration": 0}, "duration"),
        ({"start_time": "14.09.2026 10:00"}, "start_time"),
        ({"settings": {"auto_recording": "youtube"}}, "settings/auto_recording"),
    ],
)
def test_contract_check_catches_bodies_zoom_would_refuse(
    change: dict[str, Any], where: str
) -> None:
    body = {**meeting_body(3), **change}

    found = problems(request_validator(CREATE_PATH, "post"), body)

    assert len(found) == 1
    assert found[0].startswith(f"{where}:")


def test_nullable_becomes_null_type_in_json_schema() -> None:
    schema = {"type": "string", "nullable": True, "enum": ["a"], "example": "a"}

    converted = to_json_schema(schema, request=True, strict=True)

    assert converted == {"type": ["string", "null"], "enum": ["a", None]}


def test_stand_in_replies_match_openapi(
    zoom_client: ZoomClient, make_zoom_client: Callable[..., ZoomClient]
) -> None:
    created = zoom_client.create_meeting(HOST, meeting_body(4, password="abc123"))
    read = zoom_client.get_meeting(created["id"])

    assert problems(response_validator(CREATE_PATH, "post", "201"), created) == []
    assert problems(response_validator(MEETING_PATH, "get", "200"), read) == []
