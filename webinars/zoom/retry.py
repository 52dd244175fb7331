"""When to try a failed Zoom call again. Pure functions: background jobs do the waiting."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from .errors import ZoomError, ZoomRateLimited

BACKOFF_BASE = 2.0  # seconds before the first retry, at most
BACKOFF_CAP = 600.0  # never wait longer than ten minutes between attempts


class Uniform(Protocol):
    """Anything with ``uniform(a, b)``: the ``random`` module or a seeded ``random.Random``."""

    def uniform(self, a: float, b: float) -> float:
        """A float between ``a`` and ``b``."""
        ...


def backoff_delay(
    attempt: int,
    rng: Uniform = random,
    *,
    base: float = BACKOFF_BASE,
    cap: float = BACKOFF_CAP,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 for the first retry).

    Exponential backoff with full jitter: a uniform draw between 0 and
    ``min(cap, base * 2 ** (attempt - 1))``, so many workers that failed together do not
    all come back at the same moment.
    """
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    ceiling = min(cap, base * 2 ** min(attempt - 1, 62))
    return rng.uniform(0.0, ceiling)


def next_utc_midnight(now: datetime) -> datetime:
    """The next 00:00 UTC strictly after ``now``: when Zoom resets its daily limits."""
    today = now.astimezone(UTC).date()
    return datetime.combine(today + timedelta(days=1), time(0, 0), tzinfo=UTC)


def next_retry_at(
    exc: ZoomError, attempt: int, now: datetime, rng: Uniform = random
) -> datetime | None:
    """When to try again after ``exc`` on retry number ``attempt``; None means do not retry.

    A 429 with ``Retry-After`` waits until then; the daily per-host limit waits until the
    next 00:00 UTC (or Zoom's later ``Retry-After``); other 429s, 5xx and network failures
    back off with jitter. Validation, not-found and credential errors need a person, not
    another attempt, so they answer None.
    """
    if not exc.retryable:
        return None
    if isinstance(exc, ZoomRateLimited):
        if exc.daily:
            midnight = next_utc_midnight(now)
            return exc.retry_at if exc.retry_at and exc.retry_at > midnight else midnight
        if exc.retry_at and exc.retry_at > now:
            return exc.retry_at
    return now + timedelta(seconds=backoff_delay(attempt, rng))
