"""The stand-in Zoom server itself: faithful where the client does not look, and its switches."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from tests.fakes.zoom_server import ZoomServer
from tests.fakes.zoom_webhooks import WebhookSender
from webinars.zoom import (
    ZoomClient,
    ZoomError,
    ZoomRateLimited,
    build_meeting_body,
    verify_signature,
)

HOST = "host1@example.edu"


def token_reply(server: ZoomServer, **overrides: Any) -> requests.Response:
    options: dict[str, Any] = {
        "auth": (server.client_id, server.client_secret),
        "data": {"grant_type": "account_credentials", "account_id": server.account_id},
    }
    options.update(overrides)
    return requests.post(server.oauth_url, timeout=2, **options)


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"auth": ("fake-client-id", "wrong")}, 401, "invalid_client"),
        ({"auth": None}, 401, "invalid_client"),
        (
            {"data": {"grant_type": "client_credentials", "account_id": "x"}},
            400,
            "unsupported_grant_type",
        ),
        (
            {"data": {"grant_type": "account_credentials", "account_id": "other"}},
            400,
            "invalid_grant",
        ),
        (
            {"data": None, "params": {"grant_type": "account_credentials", "account_id": "x"}},
            400,
            "unsupported_grant_type",
        ),
    ],
)
def test_token_endpoint_refusals_use_oauth_error_shape(
    zoom_server: ZoomServer, overrides: dict[str, Any], status: int, error: str
) -> None:
    reply = token_reply(zoom_server, **overrides)

    assert reply.status_code == status
    assert reply.json()["error"] == error
    assert "reason" in reply.json()


def test_token_endpoint_grants_bearer_token_with_lifetime(zoom_server: ZoomServer) -> None:
    zoom_server.account.token_lifetime = 120

    reply = token_reply(zoom_server).json()

    assert (reply["token_type"], reply["expires_in"]) == ("bearer", 120)
    assert "api_url" not in reply


@pytest.mark.parametrize("authorization", [None, "Bearer made-up", "Basic abc"])
def test_api_without_valid_bearer_answers_401_code_124(
    zoom_server: ZoomServer, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    reply = requests.get(f"{zoom_server.api_base_url}/users/{HOST}", headers=headers, timeout=2)

    assert reply.status_code == 401
    assert reply.json()["code"] == 124


def test_user_found_by_id_and_by_email(zoom_client: ZoomClient) -> None:
    by_email = zoom_client.get_user("HOST1@example.edu")

    assert zoom_client.get_user(by_email["id"]) == by_email


def test_create_local_start_time_read_in_given_zone(zoom_client: ZoomClient) -> None:
    body = {
        "topic": "Local time",
        "type": 2,
        "start_time": "2030-01-15T09:00:00",
        "timezone": "Asia/Tokyo",
        "duration": 30,
    }

    meeting = zoom_client.create_meeting(HOST, body)

    assert meeting["start_time"] == "2030-01-15T00:00:00Z"


def test_create_past_start_means_now(zoom_client: ZoomClient) -> None:
    before = datetime.now(UTC).replace(microsecond=0)

    meeting = zoom_client.create_meeting(
        HOST, {"topic": "Late", "start_time": "2001-01-01T00:00:00Z"}
    )

    started = datetime.fromisoformat(meeting["start_time"])
    assert before <= started <= datetime.now(UTC)


def test_live_meeting_cannot_be_deleted(zoom_client: ZoomClient, zoom_server: ZoomServer) -> None:
    meeting = zoom_client.create_meeting(HOST, {"topic": "On air"})
    zoom_server.set_meeting_status(meeting["id"], "started")

    with pytest.raises(ZoomError) as caught:
        zoom_client.delete_meeting(meeting["id"])

    assert caught.value.code == 3002


def test_fault_rate_fails_about_the_share_asked_in_mixed_ways(
    make_zoom_client: Callable[..., ZoomClient], zoom_server: ZoomServer
) -> None:
    wire = requests.Session()  # numbers each call, so the stand-in's log names it
    client = make_zoom_client(timeout=0.1, session=wire)
    client.get_user(HOST)
    # Held far past the client's timeout: a slowed reply is never written once it gave up.
    zoom_server.slow_seconds = 10
    zoom_server.set_fault_rate(0.3, seed=3)
    seen: dict[str, str | None] = {}

    for call in map(str, range(100)):
        wire.headers["X-Call"] = call
        try:
            client.get_user(HOST)
        except ZoomError as exc:
            seen[call] = _what_the_client_saw(exc)
        else:
            seen[call] = None

    # The stand-in's own report of what it did to each call.
    done = {r.headers["x-call"]: r.fault for r in zoom_server.wait_for_api_requests(101)[1:]}
    kinds = Counter(fault for fault in done.values() if fault)
    expected = {call: "late" if fault == "slow" else fault for call, fault in done.items()}
    # A busy runner may make any reply late; nothing else may differ from what was done.
    differences = {
        call: (expected[call], outcome)
        for call, outcome in seen.items()
        if outcome not in (expected[call], "late")
    }
    assert len(done) == 100
    assert 15 <= kinds.total() <= 45
    assert len(kinds) >= 5
    assert differences == {}


def _what_the_client_saw(error: ZoomError) -> str:
    """A failed call in the stand-in's words: the fault kind it looks like, or "late"."""
    if isinstance(error, ZoomRateLimited):
        return "429-retry-after" if error.retry_at else "429"
    if error.status:
        return str(error.status)
    if error.message.startswith("Zoom did not answer within"):
        return "late"
    if error.message.startswith("The connection to Zoom failed"):
        return "drop"
    return repr(error)


def test_concurrent_creates_each_make_one_meeting(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_client.get_user(HOST)  # one token for all threads
    start = datetime(2031, 1, 1, tzinfo=UTC)

    def create(n: int) -> None:
        body = build_meeting_body(
            session_id=n, topic=f"Talk {n}", start=start, duration_minutes=30, timezone="UTC"
        )
        zoom_client.create_meeting(f"host{n % 3 + 1}@example.edu", body)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    meetings = zoom_server.meetings()
    assert len({m["id"] for m in meetings}) == 20
    assert zoom_server.calls["POST /v2/users/{userId}/meetings"] == 20


class _Inbox(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802  (the http.server naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def inbox() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    _Inbox.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Inbox)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/zoom/webhook", _Inbox.received
    server.shutdown()
    server.server_close()


def test_webhook_sender_posts_signed_event_over_http(
    webhook_sender: WebhookSender, inbox: tuple[str, list[tuple[dict[str, str], bytes]]]
) -> None:
    url, received = inbox
    envelope = webhook_sender.meeting_event("meeting.ended", 81234567890)

    reply = webhook_sender.post(url, envelope)

    ((headers, body),) = received
    assert reply.status_code == 204
    verify_signature(
        webhook_sender.secret_token,
        headers["x-zm-request-timestamp"],
        headers["x-zm-signature"],
        body,
        now=datetime.now(UTC),
    )
