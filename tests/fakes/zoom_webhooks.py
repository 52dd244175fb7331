"""Sends webhook events signed exactly as Zoom signs them, to a URL or a Flask test client.

sender = WebhookSender("secret-token")
envelope = sender.meeting_event("meeting.started", 81234567890)
headers, body = sender.prepare(envelope)
client.post("/zoom/webhook", data=body, headers=headers)   # Flask test client
sender.post("http://127.0.0.1:5000/zoom/webhook", envelope)  # a live server
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

# Zoom writes the meeting id as a string in these events and as an integer in the rest.
STRING_ID_EVENTS = frozenset(
    {
        "meeting.started",
        "meeting.ended",
        "meeting.participant_joined",
        "meeting.participant_left",
    }
)


class WebhookSender:
    """Builds, signs and delivers Zoom webhook events."""

    def __init__(
        self,
        secret_token: str,
        *,
        account_id: str = "fake-account-id",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret_token = secret_token
        self.account_id = account_id
        self.clock = clock

    def signature(self, timestamp: int | str, body: bytes) -> str:
        """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` under the secret token."""
        message = f"v0:{timestamp}:".encode() + body
        return "v0=" + hmac.new(self.secret_token.encode(), message, hashlib.sha256).hexdigest()

    def prepare(
        self, envelope: Mapping[str, Any] | bytes, *, timestamp: int | None = None
    ) -> tuple[dict[str, str], bytes]:
        """The headers and raw body of one delivery; ``timestamp`` defaults to now."""
        if isinstance(envelope, bytes):
            body = envelope
        else:
            body = json.dumps(envelope, separators=(",", ":")).encode("utf-8")
        stamp = int(self.clock()) if timestamp is None else timestamp
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Zoom Marketplace/1.0a",
            "x-zm-request-timestamp": str(stamp),
            "x-zm-signature": self.signature(stamp, body),
        }
        return headers, body

    def post(
        self,
        url: str,
        envelope: Mapping[str, Any] | bytes,
        *,
        timestamp: int | None = None,
        timeout: float = 5.0,
    ) -> requests.Response:
        """Deliver one event over HTTP, as Zoom does (Zoom waits about 3 s for the answer)."""
        headers, body = self.prepare(envelope, timestamp=timestamp)
        return requests.post(url, data=body, headers=headers, timeout=timeout)

    def envelope(
        self,
        event: str,
        obj: Mapping[str, Any],
        *,
        event_ts_ms: int | None = None,
        **payload_extra: Any,
    ) -> dict[str, Any]:
        """``{"event", "event_ts", "payload": {"account_id", "object", ...}}``."""
        stamp = int(self.clock() * 1000) if event_ts_ms is None else event_ts_ms
        payload = {"account_id": self.account_id, "object": dict(obj), **payload_extra}
        return {"event": event, "event_ts": stamp, "payload": payload}

    def meeting_event(
        self,
        event: str,
        meeting_id: int,
        *,
        event_ts_ms: int | None = None,
        old_object: Mapping[str, Any] | None = None,
        **object_fields: Any,
    ) -> dict[str, Any]:
        """A ``meeting.*`` or ``recording.completed`` event with Zoom's id quirk applied."""
        obj = {
            "id": str(meeting_id) if event in STRING_ID_EVENTS else int(meeting_id),
            "uuid": f"uuid-{meeting_id}==",
            "host_id": "fake-host",
            "type": 2,
            **object_fields,
        }
        extra: dict[str, Any] = {}
        if old_object is not None:
            extra["old_object"] = dict(old_object)
        if event in ("meeting.created", "meeting.updated", "meeting.deleted"):
            extra["operator"] = "admin@example.edu"
        return self.envelope(event, obj, event_ts_ms=event_ts_ms, **extra)

    def participant_event(
        self,
        event: str,
        meeting_id: int,
        participant: Mapping[str, Any],
        *,
        event_ts_ms: int | None = None,
    ) -> dict[str, Any]:
        """``meeting.participant_joined`` / ``_left`` with the participant object."""
        return self.meeting_event(
            event, meeting_id, event_ts_ms=event_ts_ms, participant=dict(participant)
        )

    @staticmethod
    def url_validation(plain_token: str, *, event_ts_ms: int | None = None) -> dict[str, Any]:
        """The ``endpoint.url_validation`` challenge Zoom posts when the URL is saved."""
        stamp = int(time.time() * 1000) if event_ts_ms is None else event_ts_ms
        return {
            "event": "endpoint.url_validation",
            "event_ts": stamp,
            "payload": {"plainToken": plain_token},
        }
