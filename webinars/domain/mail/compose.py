"""Which area writes which email: the students' notices (domain.registration.notices),
the partner side's (domain.partners.mail) or a certificate's (domain.certificates.mail).
The worker and the outbox page ask here."""

from __future__ import annotations

from webinars.domain.certificates import mail as certificate_mail
from webinars.domain.partners import mail as partner_mail
from webinars.domain.registration import notices
from webinars.models import OutboxMessage


def still_wanted(message: OutboxMessage) -> str | None:
    """A reason to drop the message instead of sending it, or None to send it."""
    if certificate_mail.handles(message.kind):
        return certificate_mail.still_wanted(message)
    if partner_mail.handles(message.kind):
        return partner_mail.still_wanted(message)
    return notices.still_wanted(message)


def render(message: OutboxMessage) -> None:
    """Fill the message's subject, bodies and attachment (call after still_wanted)."""
    if certificate_mail.handles(message.kind):
        certificate_mail.render(message)
    elif partner_mail.handles(message.kind):
        partner_mail.render(message)
    else:
        notices.render(message)


def prepare(message: OutboxMessage) -> str | None:
    """Right before sending: a reason to drop the message, or None after rendering it."""
    if certificate_mail.handles(message.kind):
        return certificate_mail.render(message)
    if partner_mail.handles(message.kind):
        return partner_mail.render(message)
    return notices.prepare(message)
