"""Telling confirmed registrants that their session's join link is ready, or new.

A Zoom meeting is made in the background, often after students have registered and
confirmed; it is made again (with a new link) when someone deletes it in Zoom or it moves
to another host. Confirmed registrants then get one email with the link and an updated
calendar invitation. Held and waiting registrants get nothing: they are sent the link
when their seat is confirmed. Nothing here calls Zoom or SMTP.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from webinars.domain.registration import notices
from webinars.domain.sessions.conferencing import join_link
from webinars.extensions import db
from webinars.models import (
    MailStatus,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Session,
)


def announce_join_link(session_id: int, replaced: bool, now: datetime) -> int:
    """Queue the "join link" email for each confirmed registrant; the caller commits.

    Safe to run twice: one email per registration and link. Registrants whose
    confirmation (or other invitation) is still waiting in the outbox are skipped: it
    is rendered when sent, with the link. Returns how many emails were queued.
    """
    session = db.session.get(Session, session_id)
    if session is None:
        return 0
    link = join_link(session)
    if link is None:
        return 0
    confirmed = list(
        db.session.execute(
            select(Registration).where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.email.is_not(None),
            )
        ).scalars()
    )
    keys = {r.id: notices.join_link_key(r, link) for r in confirmed}
    known = set(
        db.session.execute(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys.values()))
        ).scalars()
    )
    inviting_soon = set(
        db.session.execute(
            select(OutboxMessage.registration_id).where(
                OutboxMessage.session_id == session.id,
                OutboxMessage.status == MailStatus.PENDING,
                OutboxMessage.kind.in_(sorted(notices.INVITING_KINDS - {"join_link"})),
            )
        ).scalars()
    )
    queued = 0
    for registration in confirmed:
        if keys[registration.id] in known or registration.id in inviting_soon:
            continue
        message = notices.notify(
            registration, "join_link", now, dedupe_key=keys[registration.id], replaced=replaced
        )
        queued += message is not None
    return queued
