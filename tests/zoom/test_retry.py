"""When to retry: exponential backoff with full jitter, Retry-After and the daily reset."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from webinars.zoom import (
    ZoomAuthError,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomTransientError,
    ZoomValidationError,
    backoff_delay,
    next_retry_at,
    next_utc_midnight,
)
from webinars.zoom.errors import parse_retry_after

NOW = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)


class Highest:
    """A stand-in random source that always draws the top of the range."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_backoff_delay_doubles_up_to_the_cap() -> None:
    delays = [backoff_delay(attempt, Highest()) for attempt in (1, 2, 3, 4, 5, 30, 5000)]

    assert delays == [2.0, 4.0, 8.0, 16.0, 32.0, 600.0, 600.0]


def test_backoff_delay_draws_within_zero_and_ceiling() -> None:
    rng = random.Random(42)

    draws = [backoff_delay(4, rng) for _ in range(1000)]

    assert min(draws) >= 0.0
    assert max(draws) <= 16.0
    assert len(set(draws)) > 900  # jittered, not one fixed delay


def test_backoff_delay_attempt_zero_rejected() -> None:
    with pytest.raises(ValueError):
        backoff_delay(0)


def test_next_retry_at_honours_retry_after() -> None:
    exc = ZoomRateLimited("slow down", retry_at=NOW + timedelta(seconds=30))

    assert next_retry_at(exc, attempt=1, now=NOW) == NOW + timedelta(seconds=30)


def test_next_retry_at_past_retry_after_backs_off() -> None:
    exc = ZoomRateLimited("slow down", retry_at=NOW - timedelta(seconds=30))

    assert next_retry_at(exc, attempt=2, now=NOW, rng=Highest()) == NOW + timedelta(seconds=4)


def test_next_retry_at_transient_error_backs_off() -> None:
    exc = ZoomTransientError("502", status=502)

    assert next_retry_at(exc, attempt=3, now=NOW, rng=Highest()) == NOW + timedelta(seconds=8)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 5, 1, 23, 59, 30, tzinfo=UTC), datetime(2026, 5, 2, tzinfo=UTC)),
        (datetime(2026, 5, 2, 0, 0, 0, tzinfo=UTC), datetime(2026, 5, 3, tzinfo=UTC)),
        (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    ],
)
def test_next_retry_at_daily_limit_waits_for_utc_midnight(
    now: datetime, expected: datetime
) -> None:
    exc = ZoomRateLimited("You have exceeded the daily rate limit (100)", daily=True)

    assert next_retry_at(exc, attempt=1, now=now) == expected
    assert next_utc_midnight(now) == expected


@pytest.mark.parametrize(
    "exc",
    [
        ZoomValidationError("bad topic"),
        ZoomNotFound("gone", code=3001),
        ZoomAuthError("bad secret"),
        ZoomError("not the host", code=3003),
    ],
)
def test_next_retry_at_errors_that_need_a_person_answer_none(exc: ZoomError) -> None:
    assert next_retry_at(exc, attempt=1, now=NOW) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2026-05-02T00:00:00Z", datetime(2026, 5, 2, tzinfo=UTC)),
        ("2026-05-02T05:00:00+05:00", datetime(2026, 5, 2, tzinfo=UTC)),
        ("2026-05-02T00:00:00", datetime(2026, 5, 2, tzinfo=UTC)),
        ("Sat, 02 May 2026 00:00:00 GMT", datetime(2026, 5, 2, tzinfo=UTC)),
        ("120", NOW + timedelta(seconds=120)),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after_reads_iso_and_http_forms(
    header: str | None, expected: datetime | None
) -> None:
    assert parse_retry_after(header, now=NOW) == expected
