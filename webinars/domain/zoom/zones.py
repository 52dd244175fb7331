"""Time zones Zoom does not know, and what the sync sends instead.

Zoom keeps its own list of time zones, and some IANA names are missing from it:
Asia/Samarkand, the department's home zone, very likely among them. Zoom then refuses
the whole meeting (400, code 300, naming ``timezone``). The start time always goes to
Zoom in UTC, so ``timezone`` only decides how Zoom *shows* the time; the sync therefore
never lets it stop a meeting from being made:

1. the session's own zone, unless Zoom refused it lately;
2. else the zone's equivalent in ``ZONE_EQUIVALENTS`` (the same clock time all year);
3. else no ``timezone`` at all: Zoom then shows the time in its host's own zone.

A refused zone is remembered (``zoom_refused_time_zones``) so later calls go straight to
the fallback, and forgotten after ``REMEMBER_REFUSAL`` so the zone is tried again once
Zoom's list has caught up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import insert

from webinars.extensions import db
from webinars.models import ZoomRefusedTimeZone
from webinars.zoom import ZoomValidationError

# Zones with an equivalent Zoom surely knows: the same UTC offset at every moment since
# 1992 and no daylight saving time (a test checks the offsets hour by hour until 2040).
ZONE_EQUIVALENTS: dict[str, str] = {
    "Asia/Samarkand": "Asia/Tashkent",  # Uzbekistan: UTC+5 all year since 1992
}
REMEMBER_REFUSAL = timedelta(days=30)

T = TypeVar("T")


def refused_zones(now: datetime) -> frozenset[str]:
    """The zones Zoom refused within ``REMEMBER_REFUSAL`` of ``now``."""
    rows = db.session.execute(
        db.select(ZoomRefusedTimeZone.time_zone).where(
            ZoomRefusedTimeZone.refused_at > now - REMEMBER_REFUSAL
        )
    ).scalars()
    return frozenset(rows)


def remember_refused(zone: str, now: datetime) -> None:
    """Note that Zoom refused ``zone`` (one statement, safe when two workers race)."""
    values = {"time_zone": zone[:64], "refused_at": now}
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert  # noqa: PLC0415
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as upsert  # noqa: PLC0415
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
        row = db.session.get(ZoomRefusedTimeZone, values["time_zone"])
        if row is None:
            db.session.execute(insert(ZoomRefusedTimeZone).values(**values))
        else:
            row.refused_at = now
        return
    statement = upsert(ZoomRefusedTimeZone).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["time_zone"], set_={"refused_at": now})
    )


def zone_for_zoom(zone: str, refused: frozenset[str] | set[str]) -> str | None:
    """The ``timezone`` to send for a session in ``zone``; None: send none."""
    if zone not in refused:
        return zone
    equivalent = ZONE_EQUIVALENTS.get(zone)
    if equivalent and equivalent not in refused:
        return equivalent
    return None


def refuses_only_zone(exc: ZoomValidationError) -> bool:
    """True when Zoom's refusal names the ``timezone`` field and nothing else."""
    return bool(exc.fields) and all(name == "timezone" for name, _message in exc.fields)


def with_zone(body: Mapping[str, Any], zone: str | None) -> dict[str, Any]:
    """``body`` with ``timezone`` set to ``zone``, or left out when ``zone`` is None."""
    changed = {k: v for k, v in body.items() if k != "timezone"}
    if zone is not None:
        changed["timezone"] = zone
    return changed


def send_with_zone_fallback(
    send: Callable[[dict[str, Any]], T],
    body: dict[str, Any],
    session_zone: str,
    now: datetime,
    before_retry: Callable[[], None],
) -> tuple[T, dict[str, Any]]:
    """Send ``body``; while Zoom refuses only its ``timezone``, remember that zone and
    send again with the next fallback. Returns Zoom's answer and the body it accepted.

    Each retry drops a zone for good, so there are at most two: the equivalent, then
    none. ``before_retry`` runs before each (count the call, commit what must last).
    """
    while True:
        try:
            return send(body), body
        except ZoomValidationError as exc:
            sent = body.get("timezone")
            if not isinstance(sent, str) or not refuses_only_zone(exc):
                raise
            remember_refused(sent, now)
            body = with_zone(body, zone_for_zoom(session_zone, refused_zones(now) | {sent}))
            before_retry()
