"""The mail outbox: messages are rows first, and a worker delivers each one once.

A message is claimed by a conditional UPDATE (PENDING -> SENDING) before it is handed to
the mail server, so two workers never send the same row; a failure puts it back to PENDING
with a later `next_attempt_at` (exponential backoff, never given up on while the server is
merely unreachable). A claim left behind by a crashed worker is taken again after
STALE_CLAIM; the Message-ID stays the same, so a receiver can still tell a repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_

from webinars.domain import signals
from webinars.domain.operations.workers import holder_is_dead, this_worker
from webinars.extensions import db
from webinars.mail import PermanentMailError, TemporaryMailError
from webinars.models import MailStatus, OutboxMessage, Registration, utcnow
from webinars.observability.metrics import MAIL_SENT

STALE_CLAIM = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class Attachment:
    """A file sent with a message, e.g. a calendar invitation."""

    filename: str
    content_type: str  # may carry parameters: "text/calendar; method=REQUEST"
    data: bytes


def message_values(
    *,
    kind: str,
    to: str,
    session_id: int | None = None,
    params: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The columns of a newly queued email (all but its registration)."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    now = now or utcnow()
    return {
        "kind": kind,
        "to_address": to,
        "session_id": session_id,
        "params": params or {},
        "dedupe_key": dedupe_key,
        "message_id": make_msgid(domain=domain),
        "status": MailStatus.PENDING,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
    }


def queue_message(
    *,
    kind: str,
    to: str,
    registration: Registration | None = None,
    session_id: int | None = None,
    params: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Queue an email as an intent (the caller commits); the worker renders and sends it."""
    signals.mail_queued.send()
    message = OutboxMessage(
        registration=registration,
        **message_values(
            kind=kind,
            to=to,
            session_id=session_id,
            params=params,
            dedupe_key=dedupe_key,
            now=now,
        ),
    )
    db.session.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: 1, 2, 4 ... minutes, at most 1 h."""
    return min(MAX_BACKOFF, timedelta(minutes=2 ** max(0, attempts - 1)))


def due_message_ids(now: datetime, limit: int = 200) -> list[int]:
    """Messages to try now: pending and due, or claimed by a worker that has gone quiet
    (its heartbeat silent, or its claim older than STALE_CLAIM)."""
    return list(
        db.session.execute(
            db.select(OutboxMessage.id)
            .where(_claimable(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).scalars()
    )


def _claimable(now: datetime):
    return or_(
        and_(
            OutboxMessage.status == MailStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        ),
        and_(
            OutboxMessage.status == MailStatus.SENDING,
            or_(
                OutboxMessage.claimed_at <= now - STALE_CLAIM,
                holder_is_dead(OutboxMessage.claimed_by, now),
            ),
        ),
    )


def held_by_dead_workers(now: datetime) -> int:
    """How many messages a dead worker claimed and never finished (caught mid-send)."""
    return db.session.execute(
        db.select(func.count(OutboxMessage.id)).where(
            OutboxMessage.status == MailStatus.SENDING,
            holder_is_dead(OutboxMessage.claimed_by, now),
        )
    ).scalar_one()


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Take one message for sending, atomically; None when another worker has it or it is done.

    Commits, so the claim is visible to every other worker before anything is sent.
    """
    result = db.session.execute(
        db.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(
            status=MailStatus.SENDING,
            claimed_at=now,
            claimed_by=this_worker(),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def mark_sent(message: OutboxMessage, now: datetime) -> None:
    """The server accepted the message."""
    message.status = MailStatus.SENT
    message.sent_at = now
    message.last_error = None
    db.session.commit()


def mark_failed(message: OutboxMessage, error: Exception, now: datetime, *, permanent: bool):
    """Back to the queue with a later try, or FAILED for good when the server said so."""
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if permanent:
        message.status = MailStatus.FAILED
    else:
        message.status = MailStatus.PENDING
        message.next_attempt_at = now + backoff(message.attempts)
    db.session.commit()


def mark_dropped(message: OutboxMessage, reason: str) -> None:
    """No longer wanted (e.g. a reminder for a time that changed): never sent."""
    message.status = MailStatus.DROPPED
    message.last_error = reason
    db.session.commit()


Sender = Callable[[OutboxMessage], None]
# Renders a claimed message (filling its subject, bodies, attachment) or returns a reason
# to drop it because it no longer makes sense (e.g. a reminder for a time that changed).
Preparer = Callable[[OutboxMessage], str | None]


@dataclass
class DeliveryReport:
    """What one delivery round did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0


def deliver_due(
    send: Sender, now: datetime | None = None, prepare: Preparer | None = None
) -> DeliveryReport:
    """Send every due message once through `send`; failures wait for a later round.

    `send` raises TemporaryMailError or PermanentMailError.
    """
    now = now or utcnow()
    report = DeliveryReport()
    for message_id in due_message_ids(now):
        message = claim(message_id, now)
        if message is None:
            continue
        try:
            reason = prepare(message) if prepare else None
        except Exception as exc:  # a rendering bug must not lose the message: retry later
            db.session.rollback()
            message = db.session.get(OutboxMessage, message_id)
            mark_failed(message, exc, now, permanent=False)
            report.retried += 1
            continue
        if reason:
            mark_dropped(message, reason)
            report.dropped += 1
            continue
        try:
            send(message)
        except PermanentMailError as exc:
            mark_failed(message, exc, now, permanent=True)
            MAIL_SENT.labels("failed").inc()
            report.failed += 1
        except TemporaryMailError as exc:
            mark_failed(message, exc, now, permanent=False)
            report.retried += 1
        else:
            mark_sent(message, utcnow())
            MAIL_SENT.labels("sent").inc()
            report.sent += 1
    return report
