"""Contract: every body the client sends is valid against Zoom's published OpenAPI document.

The document lives beside the repository in ``../shared/zoom`` (CI has it); without it
these tests skip, and under CI=true the run fails (tests/environment). Bodies are recorded
by the stand-in server while the client makes real calls, so what is checked is exactly
what went over the wire.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker

from tests.environment import ZOOM_OPENAPI as OPENAPI
from tests.environment import require, zoom_documents_missing
from tests.fakes.zoom_server import ZoomServer
from webinars.zoom import ZoomClient, build_meeting_body

CREATE_PATH, CREATE_ROUTE = "/users/{userId}/meetings", "/v2/users/{userId}/meetings"
MEETING_PATH, MEETING_ROUTE = "/meetings/{meetingId}", "/v2/meetings/{meetingId}"
HOST = "host1@example.edu"

require(zoom_documents_missing(), allow_module_level=True)

# OpenAPI 3.0 keywords that are not JSON Schema, or only documentation.
_DROPPED = {"example", "examples", "deprecated", "discriminator", "xml", "externalDocs"}
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@cache
def openapi() -> dict[str, Any]:
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = openapi()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def to_json_schema(node: Any, *, request: bool, strict: bool) -> Any:
    """An OpenAPI 3.0 schema as a draft-4 JSON Schema.

    ``nullable`` becomes a ``null`` type; ``readOnly`` properties are left out of request
    schemas; ``strict`` refuses properties the document does not name (Zoom would silently
    ignore a misspelt setting, which is a bug on our side all the same).
    """
    if isinstance(node, list):
        return [to_json_schema(n, request=request, strict=strict) for n in node]
    if not isinstance(node, dict):
        return node
    node = _resolve(node)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED or key.startswith("x-") or key in ("nullable", "readOnly"):
            continue
        if key == "properties":
            out[key] = {
                name: to_json_schema(sub, request=request, strict=strict)
                for name, sub in value.items()
                if not (request and isinstance(sub, dict) and _resolve(sub).get("readOnly"))
            }
        elif key in ("items", "not", "additionalProperties") or key in _SUBSCHEMA_LISTS:
            out[key] = to_json_schema(value, request=request, strict=strict)
        else:
            out[key] = value
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("date-time")
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str) or not _RFC3339.fullmatch(value):
            return False
        datetime.fromisoformat(value)  # raises for 2026-02-30 and the like
        return True

    return checker


def request_validator(path: str, method: str) -> Draft4Validator:
    body = openapi()["paths"][path][method]["requestBody"]
    schema = _resolve(body)["content"]["application/json"]["schema"]
    strict_schema = to_json_schema(schema, request=True, strict=True)
    return Draft4Validator(strict_schema, format_checker=_format_checker())


def response_validator(path: str, method: str, status: str) -> Draft4Validator:
    reply = openapi()["paths"][path][method]["responses"][status]
    schema = _resolve(reply)["content"]["application/json"]["schema"]
    loose = to_json_schema(schema, request=False, strict=False)
    return Draft4Validator(loose, format_checker=_format_checker())


def problems(validator: Draft4Validator, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


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
