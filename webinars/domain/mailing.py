"""Which area writes which email: the students' notices (domain.registration.notices) or
the partner side's (domain.partners.mail). The worker and the outbox page ask here."""

from __future__ import annotations

from webinars.domain.partners import mail as partner_mail
from webinars.domain.registration import notices
from webinars.models import OutboxMessage


def still_wanted(message: OutboxMessage) -> str | None:
    """A reason to drop the message instead of sending it, or None to send it."""
    if partner_mail.handles(message.kind):
        return partner_mail.still_wanted(message)
    return notices.still_wanted(message)


def render(message: OutboxMessage) -> None:
    """Fill the message's subject, bodies and attachment (call after still_wanted)."""
    if partner_mail.handles(message.kind):
        partner_mail.render(message)
    else:
        notices.render(message)


def prepare(message: OutboxMessage) -> str | None:
    """Right before sending: a reason to drop the message, or None after rendering it."""
    if partner_mail.handles(message.kind):
        return partner_mail.render(message)
    return notices.prepare(message)
