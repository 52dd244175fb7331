"""What the service's state says about its health, for operators' metrics and alerts.

Plain reads, a handful of grouped queries whatever the size of the data: a scrape every
15 seconds must stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func

from webinars.domain.zoom.hosts import DAILY_LIMIT, usage_today
from webinars.extensions import db
from webinars.models import (
    MailStatus,
    OutboxMessage,
    Registration,
    Session,
    WorkerHeartbeat,
    ZoomHostUsage,
)


@dataclass
class ServiceFigures:
    """The state an operator graphs and alerts on, read at one moment."""

    outbox: dict[str, int] = field(default_factory=dict)  # messages per status
    oldest_pending_seconds: float = 0.0  # 0 when nothing waits
    registrations: dict[str, int] = field(default_factory=dict)  # upcoming, per status
    worker_heartbeat_age: dict[str, float] = field(default_factory=dict)  # seconds, per name
    zoom_budget_left: dict[str, int] = field(default_factory=dict)  # per host, today (UTC)


def service_figures(now: datetime, zoom_hosts: Iterable[str]) -> ServiceFigures:
    """Outbox backlog, registrations of sessions not yet over, heartbeats, Zoom budget."""
    figures = ServiceFigures()
    for status, count in db.session.execute(
        db.select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ):
        figures.outbox[status.value] = count
    oldest = db.session.scalar(
        db.select(func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status.in_((MailStatus.PENDING, MailStatus.SENDING))
        )
    )
    if oldest is not None:
        figures.oldest_pending_seconds = max(0.0, (now - oldest).total_seconds())
    for status, count in db.session.execute(
        db.select(Registration.status, func.count())
        .join(Session, Session.id == Registration.session_id)
        .where(Session.ends_at > now)
        .group_by(Registration.status)
    ):
        figures.registrations[status.value] = count
    for name, seen_at in db.session.execute(
        db.select(WorkerHeartbeat.name, WorkerHeartbeat.seen_at)
    ):
        figures.worker_heartbeat_age[name] = max(0.0, (now - seen_at).total_seconds())
    figures.zoom_budget_left = zoom_budget_left(list(zoom_hosts), now)
    return figures


def zoom_budget_left(hosts: list[str], now: datetime) -> dict[str, int]:
    """Creates and updates each host may still be sent today (0 once Zoom said no)."""
    if not hosts:
        return {}
    used = usage_today(hosts, now)
    exhausted = set(
        db.session.scalars(
            db.select(ZoomHostUsage.host_email).where(
                ZoomHostUsage.host_email.in_(hosts),
                ZoomHostUsage.day == now.astimezone(UTC).date(),
                ZoomHostUsage.exhausted.is_(True),
            )
        )
    )
    return {h: 0 if h in exhausted else max(0, DAILY_LIMIT - used[h]) for h in hosts}
