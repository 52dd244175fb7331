"""Webhook checks: signatures, replays, the URL challenge, id quirks and de-duplication."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.fakes.zoom_fixtures import WEBHOOK_SECRET
from tests.fakes.zoom_webhooks import WebhookSender
from webinars.zoom import (
    WebhookRejected,
    event_id,
    meeting_id_of,
    parse_envelope,
    url_validation_response,
    verify_signature,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
STAMP = int(NOW.timestamp())


def signed(sender: WebhookSender, timestamp: int = STAMP) -> tuple[dict[str, str], bytes]:
    envelope = sender.meeting_event("meeting.started", 81234567890, event_ts_ms=timestamp * 1000)
    return sender.prepare(envelope, timestamp=timestamp)


def check(headers: dict[str, str], body: bytes, secret: str = WEBHOOK_SECRET) -> None:
    verify_signature(
        secret,
        headers.get("x-zm-request-timestamp"),
        headers.get("x-zm-signature"),
        body,
        now=NOW,
    )


def test_verify_signature_good_signature_accepted(webhook_sender: WebhookSender) -> None:
    headers, body = signed(webhook_sender)

    assert check(headers, body) is None


def test_verify_signature_matches_zoom_recipe_by_hand() -> None:
    body = b'{"event":"meeting.ended"}'
    digest = hmac.new(b"s3cret", b"v0:1700000000:" + body, hashlib.sha256).hexdigest()

    verify_signature("s3cret", "1700000000", f"v0={digest}", body, now=1700000100.0)


def test_verify_signature_wrong_secret_rejected_403(webhook_sender: WebhookSender) -> None:
    headers, body = signed(webhook_sender)

    with pytest.raises(WebhookRejected) as caught:
        check(headers, body, secret="another-secret")

    assert caught.value.status == 403


def test_verify_signature_altered_body_rejected_403(webhook_sender: WebhookSender) -> None:
    headers, body = signed(webhook_sender)

    with pytest.raises(WebhookRejected) as caught:
        check(headers, body.replace(b"81234567890", b"81234567891"))

    assert caught.value.status == 403


def _one_character_changed(signature: str, position: int) -> str:
    """`signature` with the hex digit at `position` of its digest (after "v0=") changed."""
    at = len("v0=") + position
    digit = signature[at]
    return signature[:at] + ("0" if digit != "0" else "1") + signature[at + 1 :]


@pytest.mark.parametrize("position", [0, 32, 63], ids=["start", "middle", "end"])
def test_verify_signature_one_character_changed_rejected_403(
    webhook_sender: WebhookSender, position: int
) -> None:
    headers, body = signed(webhook_sender)
    near_miss = _one_character_changed(headers["x-zm-signature"], position)

    with pytest.raises(WebhookRejected) as caught:
        check({**headers, "x-zm-signature": near_miss}, body)

    assert len(near_miss) == len(headers["x-zm-signature"]) == 67
    assert (caught.value.status, caught.value.reason) == (403, "the signature does not match")


@pytest.mark.parametrize(
    "edit",
    [lambda s: s[:-1], lambda s: s + "0", lambda s: s[3:], lambda s: s.upper()],
    ids=["last-missing", "one-more", "no-v0-prefix", "upper-case"],
)
def test_verify_signature_almost_the_same_text_rejected_403(
    webhook_sender: WebhookSender, edit: Callable[[str], str]
) -> None:
    headers, body = signed(webhook_sender)
    near_miss = edit(headers["x-zm-signature"])

    with pytest.raises(WebhookRejected) as caught:
        check({**headers, "x-zm-signature": near_miss}, body)

    assert (caught.value.status, caught.value.reason) == (403, "the signature does not match")


def test_verify_signature_of_another_body_rejected_403(webhook_sender: WebhookSender) -> None:
    headers, body = signed(webhook_sender)
    other_body = body.replace(b"meeting.started", b"meeting.ended")

    with pytest.raises(WebhookRejected) as caught:
        check({**headers, "x-zm-signature": webhook_sender.signature(STAMP, other_body)}, body)

    assert other_body != body
    assert (caught.value.status, caught.value.reason) == (403, "the signature does not match")


@pytest.mark.parametrize("other_stamp", [STAMP - 1, STAMP + 1, STAMP - 300])
def test_verify_signature_of_another_timestamp_rejected_403(
    webhook_sender: WebhookSender, other_stamp: int
) -> None:
    # Every stamp here is fresh enough on its own: only the signature gives it away.
    headers, body = signed(webhook_sender)

    with pytest.raises(WebhookRejected) as caught:
        check({**headers, "x-zm-signature": webhook_sender.signature(other_stamp, body)}, body)

    assert (caught.value.status, caught.value.reason) == (403, "the signature does not match")


@pytest.mark.parametrize("missing", ["x-zm-request-timestamp", "x-zm-signature"])
def test_verify_signature_missing_header_rejected_401(
    webhook_sender: WebhookSender, missing: str
) -> None:
    headers, body = signed(webhook_sender)
    del headers[missing]

    with pytest.raises(WebhookRejected) as caught:
        check(headers, body)

    assert caught.value.status == 401


@pytest.mark.parametrize("age", [301, -301, 86400])
def test_verify_signature_replayed_or_future_timestamp_rejected_403(
    webhook_sender: WebhookSender, age: int
) -> None:
    headers, body = signed(webhook_sender, timestamp=STAMP - age)

    with pytest.raises(WebhookRejected) as caught:
        check(headers, body)

    assert caught.value.status == 403
    assert "too old" in caught.value.reason


@pytest.mark.parametrize("stamp", ["yesterday", "1.7e9", "-5", "١٧٠٠"])
def test_verify_signature_non_numeric_timestamp_rejected_403(stamp: str) -> None:
    with pytest.raises(WebhookRejected) as caught:
        verify_signature(WEBHOOK_SECRET, stamp, "v0=00", b"{}", now=NOW)

    assert caught.value.status == 403


def test_verify_signature_empty_secret_never_accepts(webhook_sender: WebhookSender) -> None:
    sender = WebhookSender("")
    headers, body = signed(sender)

    with pytest.raises(WebhookRejected) as caught:
        check(headers, body, secret="")

    assert caught.value.status == 403


def test_url_validation_response_hashes_plain_token() -> None:
    expected = hmac.new(b"s3cret", b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()

    answer = url_validation_response("s3cret", "qgg8vlvZRS6UYooatFL8Aw")

    assert answer == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


def test_url_validation_challenge_round_trip(webhook_sender: WebhookSender) -> None:
    headers, body = webhook_sender.prepare(webhook_sender.url_validation("abc123"))

    verify_signature(
        WEBHOOK_SECRET,
        headers["x-zm-request-timestamp"],
        headers["x-zm-signature"],
        body,
        now=datetime.now(UTC),
    )
    envelope = parse_envelope(body)
    answer = url_validation_response(WEBHOOK_SECRET, envelope["payload"]["plainToken"])

    assert envelope["event"] == "endpoint.url_validation"
    assert answer["plainToken"] == "abc123"


@pytest.mark.parametrize(("event", "sent_as"), [("meeting.started", str), ("meeting.deleted", int)])
def test_meeting_id_of_reads_string_and_integer_ids(
    webhook_sender: WebhookSender, event: str, sent_as: type
) -> None:
    envelope = webhook_sender.meeting_event(event, 81234567890)
    obj = envelope["payload"]["object"]

    assert type(obj["id"]) is sent_as
    assert meeting_id_of(obj) == 81234567890


@pytest.mark.parametrize("value", [None, "", "81x", True, 1.5, " "])
def test_meeting_id_of_refuses_non_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        meeting_id_of({"id": value})


def test_event_id_same_for_redelivery_serialised_differently(
    webhook_sender: WebhookSender,
) -> None:
    envelope = webhook_sender.meeting_event("meeting.ended", 81234567890, event_ts_ms=1)
    compact = json.dumps(envelope, separators=(",", ":")).encode()
    spaced = json.dumps(envelope, indent=2, sort_keys=True).encode()

    first = event_id(json.loads(compact), compact)
    again = event_id(json.loads(spaced), spaced)

    assert first == again
    assert len(first) == 64


def test_event_id_differs_between_events(webhook_sender: WebhookSender) -> None:
    ended = webhook_sender.meeting_event("meeting.ended", 81234567890, event_ts_ms=1)
    later = webhook_sender.meeting_event("meeting.ended", 81234567890, event_ts_ms=2)
    other = webhook_sender.meeting_event("meeting.ended", 81234567891, event_ts_ms=1)

    ids = {event_id(e, json.dumps(e).encode()) for e in (ended, later, other)}

    assert len(ids) == 3


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'{"payload": {}}'])
def test_parse_envelope_refuses_what_is_not_an_event(raw: bytes) -> None:
    with pytest.raises(WebhookRejected) as caught:
        parse_envelope(raw)

    assert caught.value.status == 400
