"""The Zoom client against the stand-in server: meetings, errors, limits and lost replies."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes.zoom_server import ZoomServer
from webinars.zoom import (
    ZoomAuthError,
    ZoomClient,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomTransientError,
    ZoomValidationError,
    backoff_delay,
    build_meeting_body,
    find_meeting_by_marker,
    next_retry_at,
    next_utc_midnight,
)

HOST = "host1@example.edu"
CREATE = "/v2/users/{userId}/meetings"


def in_days(days: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)


def body(session_id: int = 1, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "session_id": session_id,
        "topic": "Quantum optics for beginners",
        "start": in_days(7),
        "duration_minutes": 90,
        "timezone": "Asia/Tashkent",
    }
    values.update(fields)
    return build_meeting_body(**values)


def test_create_meeting_returns_64_bit_id_and_utc_start(zoom_client: ZoomClient) -> None:
    start = in_days(3)

    meeting = zoom_client.create_meeting(HOST, body(start=start))

    assert isinstance(meeting["id"], int)
    assert len(str(meeting["id"])) == 11
    assert meeting["start_time"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert meeting["host_email"] == HOST
    assert meeting["status"] == "waiting"
    assert meeting["join_url"].startswith("https://")


def test_meeting_round_trip_create_update_get_delete(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    meeting = zoom_client.create_meeting(HOST, body(session_id=5))
    moved = in_days(10)

    zoom_client.update_meeting(meeting["id"], body(session_id=5, start=moved, duration_minutes=45))
    read_back = zoom_client.get_meeting(meeting["id"])
    zoom_client.delete_meeting(meeting["id"])

    assert read_back["start_time"] == moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert read_back["duration"] == 45
    assert zoom_server.meetings() == []
    with pytest.raises(ZoomNotFound) as caught:
        zoom_client.get_meeting(meeting["id"])
    assert caught.value.code == 3001


def test_update_meeting_past_start_time_is_ignored_by_zoom(zoom_client: ZoomClient) -> None:
    meeting = zoom_client.create_meeting(HOST, body())

    zoom_client.update_meeting(meeting["id"], {"start_time": "2020-01-01T10:00:00Z"})

    assert zoom_client.get_meeting(meeting["id"])["start_time"] == meeting["start_time"]


def test_delete_meeting_unknown_counts_as_deleted(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_client.delete_meeting(12345678901)

    (request,) = zoom_server.api_requests("DELETE")
    assert request.path == "/v2/meetings/12345678901"
    assert request.query == {"schedule_for_reminder": "false", "cancel_meeting_reminder": "false"}


def test_get_user_unknown_raises_not_found(zoom_client: ZoomClient) -> None:
    with pytest.raises(ZoomNotFound) as caught:
        zoom_client.get_user("nobody@example.edu")

    assert caught.value.code == 1001


def test_list_upcoming_meetings_follows_next_page_token(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    made = [zoom_client.create_meeting(HOST, body(session_id=n))["id"] for n in range(5)]

    listed = zoom_client.list_upcoming_meetings(HOST, page_size=2)

    assert sorted(m["id"] for m in listed) == sorted(made)
    assert len(zoom_server.api_requests("GET", CREATE)) == 3


def test_call_with_expired_token_renews_and_retries_once(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_client.get_user(HOST)
    zoom_server.expire_all_tokens()

    user = zoom_client.get_user(HOST)

    assert user["email"] == HOST
    assert zoom_server.token_requests == 2
    assert len(zoom_server.api_requests("GET")) == 3


def test_call_with_tokens_always_refused_raises_auth_error_after_one_retry(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_server.account.token_lifetime = 0  # every token is expired when issued

    with pytest.raises(ZoomAuthError) as caught:
        zoom_client.get_user(HOST)

    assert caught.value.code == 124
    assert zoom_server.token_requests == 2
    assert len(zoom_server.api_requests()) == 2


def test_bad_credentials_raise_auth_error(make_zoom_client: Callable[..., ZoomClient]) -> None:
    client = make_zoom_client()
    client._client_secret = "wrong"

    with pytest.raises(ZoomAuthError) as caught:
        client.get_user(HOST)

    assert "Invalid client_id or client_secret" in caught.value.message


def test_token_api_url_used_when_no_base_url_configured(
    make_zoom_client: Callable[..., ZoomClient], zoom_server: ZoomServer
) -> None:
    zoom_server.account.token_api_url = zoom_server.base_url  # Zoom sends it without /v2
    client = make_zoom_client(api_base_url=None)

    client.get_user(HOST)

    assert [r.path for r in zoom_server.api_requests()] == [f"/v2/users/{HOST}"]


def test_configured_base_url_wins_over_token_api_url(
    make_zoom_client: Callable[..., ZoomClient], zoom_server: ZoomServer
) -> None:
    zoom_server.account.token_api_url = "http://127.0.0.1:9"  # nothing listens there
    client = make_zoom_client()

    assert client.get_user(HOST)["email"] == HOST


def test_rate_limited_with_retry_after_gives_retry_time(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_server.fail_next(1, fault="429-retry-after")
    now = datetime.now(UTC)

    with pytest.raises(ZoomRateLimited) as caught:
        zoom_client.get_user(HOST)

    exc = caught.value
    assert exc.daily is False
    assert exc.retry_at is not None
    assert now < exc.retry_at <= now + timedelta(seconds=3)
    assert next_retry_at(exc, attempt=1, now=now) == exc.retry_at


def test_rate_limited_without_retry_after_backs_off_with_jitter(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_server.fail_next(1, status=429)
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

    with pytest.raises(ZoomRateLimited) as caught:
        zoom_client.get_user(HOST)

    assert caught.value.retry_at is None
    expected = now + timedelta(seconds=backoff_delay(3, random.Random(7)))
    assert next_retry_at(caught.value, attempt=3, now=now, rng=random.Random(7)) == expected


def test_per_second_limit_answers_429_with_optional_retry_after(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_server.account.per_second_limit = 2
    zoom_client.get_user(HOST)
    zoom_client.get_user(HOST)

    with pytest.raises(ZoomRateLimited) as plain:
        zoom_client.get_user(HOST)
    zoom_server.account.per_second_retry_after = True
    with pytest.raises(ZoomRateLimited) as timed:
        zoom_client.get_user(HOST)

    assert (plain.value.retry_at, plain.value.daily) == (None, False)
    assert timed.value.retry_at is not None


def test_daily_limit_defers_to_next_utc_midnight(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_server.account.daily_limit = 2
    first = zoom_client.create_meeting(HOST, body(session_id=1))
    zoom_client.update_meeting(first["id"], {"duration": 30})
    zoom_client.delete_meeting(first["id"])  # deletes do not count
    now = datetime.now(UTC)

    with pytest.raises(ZoomRateLimited) as caught:
        zoom_client.create_meeting(HOST, body(session_id=2))

    exc = caught.value
    assert exc.daily is True
    assert "daily rate limit (2)" in exc.message
    assert exc.retry_at == next_utc_midnight(now)
    assert next_retry_at(exc, attempt=1, now=now) == next_utc_midnight(now)
    assert zoom_client.create_meeting("host2@example.edu", body(session_id=2))["id"] > 0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_raises_transient(
    zoom_client: ZoomClient, zoom_server: ZoomServer, status: int
) -> None:
    zoom_server.fail_next(1, status=status)

    with pytest.raises(ZoomTransientError) as caught:
        zoom_client.get_user(HOST)

    assert caught.value.status == status
    assert caught.value.retryable is True


def test_slow_reply_raises_transient_after_timeout(
    make_zoom_client: Callable[..., ZoomClient], zoom_server: ZoomServer
) -> None:
    client = make_zoom_client(timeout=0.2)
    client.get_user(HOST)  # fetch the token first: the fault applies to API calls
    zoom_server.slow_seconds = 0.6
    zoom_server.fail_next(1, fault="slow")

    with pytest.raises(ZoomTransientError, match="did not answer within 0.2 s"):
        client.get_user(HOST)


def test_unreachable_zoom_raises_transient(make_zoom_client: Callable[..., ZoomClient]) -> None:
    client = make_zoom_client(oauth_url="http://127.0.0.1:9/oauth/token")

    with pytest.raises(ZoomTransientError):
        client.get_user(HOST)


def test_validation_error_explains_in_plain_words(zoom_client: ZoomClient) -> None:
    too_long = {"topic": "x" * 201, "type": 2, "duration": 60}

    with pytest.raises(ZoomValidationError) as caught:
        zoom_client.create_meeting(HOST, too_long)

    exc = caught.value
    assert exc.code == 300
    assert exc.fields == [("topic", "Invalid field.")]
    assert exc.message == "Zoom did not accept the title (at most 200 characters)."
    assert exc.retryable is False
    assert next_retry_at(exc, attempt=1, now=datetime.now(UTC)) is None


def test_validation_error_names_every_refused_field(zoom_client: ZoomClient) -> None:
    meeting = zoom_client.create_meeting(HOST, body())

    with pytest.raises(ZoomValidationError) as caught:
        zoom_client.update_meeting(meeting["id"], {"duration": 2000, "password": "much-too-long"})

    assert [field for field, _ in caught.value.fields] == ["duration", "password"]
    assert "the duration (between 1 minute and 24 hours)" in caught.value.message
    assert "the passcode" in caught.value.message


def test_dropped_create_reply_then_marker_finds_meeting_without_second_create(
    zoom_client: ZoomClient, zoom_server: ZoomServer
) -> None:
    zoom_client.create_meeting(HOST, body(session_id=7))  # a neighbour on the same host
    long_agenda = "Reading list and outline. " * 100  # far past the 250 characters lists keep
    zoom_server.fail_next(1, fault="drop")

    with pytest.raises(ZoomTransientError):
        zoom_client.create_meeting(HOST, body(session_id=42, agenda=long_agenda))
    found = find_meeting_by_marker(zoom_client.list_upcoming_meetings(HOST), 42)

    assert found is not None
    assert zoom_server.meeting(found["id"])["agenda"].startswith("[webinars:session-42]\n")
    assert len(zoom_server.meetings()) == 2
    assert len(zoom_server.api_requests("POST", CREATE)) == 2
