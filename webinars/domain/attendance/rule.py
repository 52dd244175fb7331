"""The attendance rule: attended when present at least a set share of the session's minutes.

Minutes present come from a person's stays in the Zoom meeting; overlapping stays (two
devices, a rejoin before the old stay was closed) count once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

MIN_SHARE, MAX_SHARE = 1, 100


def present_minutes(stays: Iterable[tuple[datetime | None, datetime | None, int | None]]) -> int:
    """Whole minutes covered by the stays ``(joined, left, minutes)``, overlaps once.

    A stay with both ends known counts by its interval; one missing an end counts by the
    minutes Zoom reported for it (if any), since it cannot be placed in time.
    """
    intervals: list[tuple[datetime, datetime]] = []
    loose = 0
    for joined, left, minutes in stays:
        if joined is not None and left is not None:
            if left > joined:
                intervals.append((joined, left))
        else:
            loose += minutes or 0
    intervals.sort()
    seconds = 0.0
    current: tuple[datetime, datetime] | None = None
    for start, end in intervals:
        if current is None or start > current[1]:
            if current is not None:
                seconds += (current[1] - current[0]).total_seconds()
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        seconds += (current[1] - current[0]).total_seconds()
    return int(seconds // 60) + loose


def share_of(minutes: int, session_minutes: int) -> int:
    """Minutes present as a whole percentage of the session (rounded down, at most 100)."""
    if session_minutes <= 0:
        return 0
    return min(100, minutes * 100 // session_minutes)


def meets_rule(minutes: int, session_minutes: int, share_percent: int) -> bool:
    """True when ``minutes`` are at least ``share_percent`` % of the session's minutes.

    Exact arithmetic: 49 of 70 minutes is exactly 70 % and counts; 48 does not.
    """
    if session_minutes <= 0:
        return False
    return minutes * 100 >= share_percent * session_minutes
