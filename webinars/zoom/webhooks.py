"""Checking and reading Zoom's webhook deliveries. Pure functions, no Flask.

A view hands over the raw body and the two headers; anything wrong comes back as a
``WebhookRejected`` carrying the HTTP status to answer (401 or 403, never 500).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

TIMESTAMP_HEADER = "x-zm-request-timestamp"
SIGNATURE_HEADER = "x-zm-signature"
URL_VALIDATION_EVENT = "endpoint.url_validation"
DEFAULT_MAX_AGE = 300  # seconds a delivery may be old (or ahead of our clock)


class WebhookRejected(Exception):
    """A delivery that must not be handled; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _seconds(now: datetime | float) -> float:
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.timestamp()
    return float(now)


def verify_signature(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    raw_body: bytes,
    now: datetime | float,
    max_age: int = DEFAULT_MAX_AGE,
) -> None:
    """Accept a delivery only when Zoom signed exactly these bytes, recently.

    Zoom signs ``v0:{timestamp}:{raw body}`` with HMAC-SHA256 under the app's secret token
    and sends ``v0=<hex>``. Missing headers answer 401; a malformed, stale or future
    timestamp (a replay) and a wrong signature answer 403. ``now`` is an aware datetime or
    Unix seconds. Returns None when the delivery is genuine.
    """
    if not timestamp_header or not signature_header:
        raise WebhookRejected(401, "the Zoom signature headers are missing")
    if not secret:
        raise WebhookRejected(403, "no webhook secret token is configured")
    stamp = timestamp_header.strip()
    if not stamp.isascii() or not stamp.isdigit():
        raise WebhookRejected(403, "the request timestamp is not a number")
    if abs(_seconds(now) - int(stamp)) > max_age:
        raise WebhookRejected(403, "the request timestamp is too old or in the future")
    expected = "v0=" + _hmac_hex(secret, b"v0:" + stamp.encode("ascii") + b":" + raw_body)
    given = signature_header.strip().encode("utf-8", "replace")
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise WebhookRejected(403, "the signature does not match")


def url_validation_response(secret: str, plain_token: str) -> dict[str, str]:
    """The answer to ``endpoint.url_validation``: the token and its HMAC-SHA256 in hex."""
    return {
        "plainToken": plain_token,
        "encryptedToken": _hmac_hex(secret, plain_token.encode("utf-8")),
    }


def parse_envelope(raw_body: bytes) -> dict[str, Any]:
    """The delivery's JSON envelope; a body that is not a JSON object answers 400."""
    try:
        envelope = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRejected(400, "the body is not JSON") from exc
    if not isinstance(envelope, dict) or not isinstance(envelope.get("event"), str):
        raise WebhookRejected(400, "the body is not a Zoom event")
    return envelope


def meeting_id_of(payload_object: Mapping[str, Any]) -> int:
    """The meeting id of ``payload.object`` as an int.

    Zoom sends it as a string in started/ended/participant events and as an integer in
    created/updated/deleted/recording events.
    """
    value = payload_object.get("id")
    if isinstance(value, bool):
        raise ValueError("the meeting id is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    raise ValueError(f"the meeting id is not a number: {value!r}")


def event_id(envelope: Mapping[str, Any], raw_body: bytes) -> str:
    """A stable id for one event, to handle each event once when Zoom delivers it again.

    Not every Zoom event carries an id of its own, so this is the SHA-256 (64 hex digits)
    of the event name, its ``event_ts`` (milliseconds) and the payload. The payload is
    hashed in canonical JSON (sorted keys, no spaces) so a redelivery that is serialised
    differently still matches; when it cannot be canonicalised the raw body is used.
    """
    digest = hashlib.sha256()
    digest.update(str(envelope.get("event", "")).encode("utf-8") + b"\n")
    digest.update(str(envelope.get("event_ts", "")).encode("utf-8") + b"\n")
    try:
        payload = json.dumps(
            envelope.get("payload"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
    except (TypeError, ValueError):
        payload = raw_body
    digest.update(payload)
    return digest.hexdigest()
